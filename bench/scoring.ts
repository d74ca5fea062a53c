import { parseSnapshot, scorePartner } from '../shared/scoring';
import { collectGarbage, fmtMs, printPeakRss } from './lib/measure';
import { generateSnapshot, LARGE_PARTNER, type GenerateOptions } from './scoring-generate';

/**
 * Scoring benchmark: a large partner (2,000 tenants x 24 months, 5,000 associations, 500 professionals) is
 * serialised, then timed for JSON.parse and for scoring all six areas (with explanations and gaps); then the same
 * for a partner twice that size. Goals: scoring no slower than parsing (ratio <= 1.0), doubling at most doubles
 * the time (<= 2.2).
 *
 * Parse and score runs alternate, so both see the same machine load, and the median of each is reported. The heap
 * is collected once before the runs, not before each: a forced full collection also discards optimised code, so
 * every run would start cold, which a long-running service scoring partner after partner never does.
 */

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

function measure(opts: GenerateOptions, runs: number): Measured {
  const json = JSON.stringify(generateSnapshot(opts));
  const snapshot = parseSnapshot(JSON.parse(json) as unknown);
  const validateMs = ms(() => parseSnapshot(JSON.parse(json) as unknown));
  for (let i = 0; i < 5; i++) {
    JSON.parse(json);
    scorePartner(snapshot, { date: opts.date });
  }
  collectGarbage();
  const parse: number[] = [];
  const score: number[] = [];
  for (let i = 0; i < runs; i++) {
    parse.push(ms(() => JSON.parse(json)));
    score.push(
      ms(() => {
        const result = scorePartner(snapshot, { date: opts.date });
        if (result.areas.length !== 6) throw new Error('scoring did not return six areas');
      }),
    );
  }
  const parseMs = median(parse);
  return { bytes: json.length, rows: snapshot.telemetry.length, parseMs, scoreMs: median(score), validateMs: validateMs - parseMs };
}

export function run(args: string[]): void {
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 21);
  const base = LARGE_PARTNER;
  const double: GenerateOptions = { ...base, tenants: base.tenants * 2, associations: base.associations * 2, professionals: base.professionals * 2 };
  const one = measure(base, runs);
  console.log(`snapshot: ${base.tenants} tenants, ${one.rows} telemetry rows, ${base.associations} associations, ${base.professionals} professionals, ${(one.bytes / 1e6).toFixed(1)} MB JSON`);
  console.log(`parse_ms=${fmtMs(one.parseMs)} score_ms=${fmtMs(one.scoreMs)} (median of ${runs}; zod validation, not part of the ratio: ${fmtMs(one.validateMs)} ms)`);
  const two = measure(double, runs);
  console.log(`doubled: ${double.tenants} tenants, ${two.rows} telemetry rows, ${(two.bytes / 1e6).toFixed(1)} MB JSON: parse_ms=${fmtMs(two.parseMs)} score_ms=${fmtMs(two.scoreMs)}`);
  console.log(`doubling_ratio=${(two.scoreMs / one.scoreMs).toFixed(2)} (goal <= 2.2)`);
  console.log(`scoring_vs_parse_doubled=${(two.scoreMs / two.parseMs).toFixed(3)}`);
  printPeakRss();
  console.log(`scoring_vs_parse=${(one.scoreMs / one.parseMs).toFixed(3)}`);
}
