import { parseSnapshot, planToQualify, resolveSettings, ruleSetFor, scoreArea, scorePartner, type AreaId, type PartnerSnapshot } from '../shared/scoring';
import { collectGarbage, fmtMs, printPeakRss } from './lib/measure';
import { generateSnapshot, LARGE_PARTNER, type GenerateOptions } from '../tools/fixtures/snapshot-generate';

/**
 * Scoring benchmark: a large partner (2,000 tenants x 24 months, 5,000 associations, 500 professionals) is
 * serialised, then timed for JSON.parse and for scoring all six areas (with explanations and gaps); then the same
 * for a partner twice that size. Goals: scoring no slower than parsing (ratio <= 1.0), doubling at most doubles
 * the time (<= 2.2).
 *
 * The two sizes alternate, so both see the same machine load; the median of each is reported. The heap is collected
 * between blocks, not before each run: a forced full collection shrinks the young generation and makes the next
 * runs start cold, which a long-running service scoring partner after partner never does.
 */

interface Prepared {
  opts: GenerateOptions;
  json: string;
  snapshot: PartnerSnapshot;
  validateMs: number;
}

interface Measured {
  bytes: number;
  rows: number;
  parseMs: number;
  scoreMs: number;
  validateMs: number;
}

function ms(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function prepare(opts: GenerateOptions): Prepared {
  const json = JSON.stringify(generateSnapshot(opts));
  const snapshot = parseSnapshot(JSON.parse(json) as unknown);
  const validateMs = ms(() => parseSnapshot(JSON.parse(json) as unknown));
  return { opts, json, snapshot, validateMs };
}

function scoreOnce(p: Prepared): void {
  const result = scorePartner(p.snapshot, { date: p.opts.date });
  if (result.areas.length !== 6) throw new Error('scoring did not return six areas');
}

/**
 * Times every size in interleaved rounds (1x, 2x, 1x, 2x, ...), so a change in the machine's load during the run
 * touches all sizes alike instead of skewing the ratio between them. Parsing and scoring are timed in blocks of
 * their own, so each pays for its own garbage: a 40 MB JSON.parse leaves tens of MB for the next full collection,
 * which would otherwise land in whichever scoring run came next.
 */
function measure(sizes: Prepared[], runs: number): Measured[] {
  const warm = () => {
    for (let i = 0; i < 5; i++) for (const p of sizes) scoreOnce(p);
  };
  for (const p of sizes) for (let i = 0; i < 3; i++) JSON.parse(p.json);
  warm();
  collectGarbage();
  const parse = sizes.map((): number[] => []);
  for (let i = 0; i < runs; i++) sizes.forEach((p, k) => parse[k]!.push(ms(() => JSON.parse(p.json))));
  // The forced collection also shrinks the young generation; warm runs let it grow back before timing.
  collectGarbage();
  warm();
  const score = sizes.map((): number[] => []);
  for (let i = 0; i < runs; i++) sizes.forEach((p, k) => score[k]!.push(ms(() => scoreOnce(p))));
  return sizes.map((p, k) => {
    const parseMs = median(parse[k]!);
    return { bytes: p.json.length, rows: p.snapshot.telemetry.length, parseMs, scoreMs: median(score[k]!), validateMs: p.validateMs - parseMs };
  });
}

/** The area the gap benchmark plans. */
const PLANNED_AREA: AreaId = 'data-ai';

/**
 * Gap planning against scoring, same partner, same run: the large partner qualifies everywhere, so its professionals
 * are left out and Data & AI must be planned (gate steps and certified people, verified by re-scoring). Reports the
 * median of planning the area alone (planToQualify: levers, search, verification of the plan and its alternatives)
 * over the median of scoring the area without a gap.
 */
function measureGap(p: Prepared, runs: number): { scoreMs: number; planMs: number; steps: number } {
  const snapshot: PartnerSnapshot = { ...p.snapshot, professionals: [] };
  const date = p.opts.date;
  const opts = { date, includeGap: false } as const;
  const input = () => {
    const score = scoreArea(snapshot, PLANNED_AREA, opts);
    return { snapshot, area: PLANNED_AREA, date, rules: ruleSetFor(date), settings: resolveSettings(), score, rescore: (s: PartnerSnapshot) => scoreArea(s, PLANNED_AREA, opts) };
  };
  const planInput = input();
  let steps = 0;
  for (let i = 0; i < 3; i++) steps = planToQualify(planInput).steps.length;
  if (!planInput.score.qualifiesToday && steps === 0) throw new Error('the gap benchmark found no plan to time');
  collectGarbage();
  const score: number[] = [];
  const plan: number[] = [];
  for (let i = 0; i < runs; i++) {
    score.push(ms(() => scoreArea(snapshot, PLANNED_AREA, opts)));
    plan.push(ms(() => planToQualify(planInput)));
  }
  return { scoreMs: median(score), planMs: median(plan), steps };
}

export function run(args: string[]): void {
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 21);
  const base = LARGE_PARTNER;
  const double: GenerateOptions = { ...base, tenants: base.tenants * 2, associations: base.associations * 2, professionals: base.professionals * 2 };
  const [one, two] = measure([prepare(base), prepare(double)], runs) as [Measured, Measured];
  console.log(`snapshot: ${base.tenants} tenants, ${one.rows} telemetry rows, ${base.associations} associations, ${base.professionals} professionals, ${(one.bytes / 1e6).toFixed(1)} MB JSON`);
  console.log(`parse_ms=${fmtMs(one.parseMs)} score_ms=${fmtMs(one.scoreMs)} (median of ${runs}; zod validation, not part of the ratio: ${fmtMs(one.validateMs)} ms)`);
  console.log(`doubled: ${double.tenants} tenants, ${two.rows} telemetry rows, ${(two.bytes / 1e6).toFixed(1)} MB JSON: parse_ms=${fmtMs(two.parseMs)} score_ms=${fmtMs(two.scoreMs)}`);
  console.log(`doubling_ratio=${(two.scoreMs / one.scoreMs).toFixed(2)} (goal <= 2.2)`);
  console.log(`scoring_vs_parse_doubled=${(two.scoreMs / two.parseMs).toFixed(3)}`);
  const gap = measureGap(prepare(base), Math.max(5, Math.round(runs / 3)));
  console.log(`gap: ${PLANNED_AREA} of the large partner without its professionals: plan_ms=${fmtMs(gap.planMs)} (${gap.steps} steps) score_area_ms=${fmtMs(gap.scoreMs)}`);
  console.log(`gap_vs_score=${(gap.planMs / gap.scoreMs).toFixed(2)} (goal <= 5)`);
  printPeakRss();
  console.log(`scoring_vs_parse=${(one.scoreMs / one.parseMs).toFixed(3)}`);
}
