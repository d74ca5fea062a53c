import { type CliIo, consoleIo, parseCli, runAsCommand, usageError, UsageError } from './cli-args';
import { readFileSync } from 'node:fs';
import {
  AREA_NAMES,
  AREAS,
  formatLine,
  fmt,
  parseSnapshot,
  RULE_VERSIONS,
  scorePartner,
  scoreQualificationWindow,
  withEligibility,
  SnapshotError,
  type AreaId,
  type AreaScore,
  type GapCosts,
  type GapStep,
  type MetricScore,
  type ScoringSettings,
} from '../shared/scoring';

/**
 * `npm run score -- <snapshot.json> [--date YYYY-MM-DD] [--area NAME] [--json] [--rules VERSION] [--metric-test gt0|gte1] [--gap-costs customer=3,person=4,deployment=2,growth=1] [--all]`
 * Prints each area's score as a table with explanations and the gap to qualification, or the raw result as JSON.
 * Exit codes: 0 scored (or --help), 2 bad arguments or a malformed snapshot (each bad field is named), 1 anything else.
 */

const USAGE = `usage: npm run score -- <snapshot.json> [--date YYYY-MM-DD] [--area NAME] [--json] [--rules ${RULE_VERSIONS.join('|')}] [--metric-test gt0|gte1] [--gap-costs KIND=N,...] [--all]
  --date         evaluation date (default: today, UTC)
  --area         one area: ${AREAS.join(', ')} (or its name, e.g. "Modern Work")
  --json         print the full result as JSON
  --rules        force a rule version instead of the one in effect on the date
  --metric-test  "points in every metric" as > 0 (gt0, default; env QUALIFY_METRIC_TEST) or >= 1 (gte1)
  --gap-costs    the gap planner's cost of each addition, e.g. customer=3,person=4,deployment=2,growth=1 (the defaults)
  --all          print every explanation line (default: the first ${8} per metric)
  -h, --help     print this text`;


interface Args {
  file: string;
  date: string;
  area?: AreaId;
  json: boolean;
  rules?: string;
  metricTest?: ScoringSettings['qualifyMetricTest'];
  gapCosts?: Partial<GapCosts>;
  all: boolean;
}

function resolveArea(name: string): AreaId {
  const norm = (s: string) => s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '');
  const hit = AREAS.find((a) => norm(a) === norm(name) || norm(AREA_NAMES[a]) === norm(name));
  if (!hit) throw new UsageError(`unknown area "${name}"; use one of: ${AREAS.join(', ')}`);
  return hit;
}

const COST_KEYS: Record<string, keyof GapCosts> = { customer: 'customer', person: 'certifiedPerson', deployment: 'deployment', growth: 'growthPoint' };

function parseGapCosts(v: string): Partial<GapCosts> {
  const out: Partial<GapCosts> = {};
  for (const part of v.split(',')) {
    const [k, n] = part.split('=');
    const key = COST_KEYS[k ?? ''];
    const value = Number(n);
    if (!key || !(value > 0) || !Number.isFinite(value)) throw new UsageError(`--gap-costs: "${part}" must be one of ${Object.keys(COST_KEYS).join(', ')} = a positive number`);
    out[key] = value;
  }
  return out;
}

const OPTIONS = {
  date: { type: 'string' },
  area: { type: 'string' },
  json: { type: 'boolean' },
  rules: { type: 'string' },
  'metric-test': { type: 'string' },
  'gap-costs': { type: 'string' },
  all: { type: 'boolean' },
} as const;

/** The command line (util.parseArgs, strict), or the exit code after --help (0) or a usage error (2). */
export function parseArgs(argv: readonly string[], today: string, io: CliIo = consoleIo): Args | number {
  const parsed = parseCli(argv, { usage: USAGE, options: OPTIONS, maxPositionals: 1 }, io);
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  try {
    const file = positionals[0];
    if (!file) throw new UsageError('give the snapshot file, e.g. npm run score -- docs/examples/small-partner.json');
    const args: Args = { file, date: v.date ?? today, json: v.json ?? false, all: v.all ?? false };
    if (v.area !== undefined) args.area = resolveArea(v.area);
    if (v.rules !== undefined) args.rules = v.rules;
    if (v['metric-test'] !== undefined) {
      if (v['metric-test'] !== 'gt0' && v['metric-test'] !== 'gte1') throw new UsageError('--metric-test must be gt0 or gte1');
      args.metricTest = v['metric-test'];
    }
    if (v['gap-costs'] !== undefined) args.gapCosts = parseGapCosts(v['gap-costs']);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(args.date) || Number.isNaN(Date.parse(`${args.date}T00:00:00Z`))) throw new UsageError(`--date must be YYYY-MM-DD, got "${args.date}"`);
    if (args.rules && !RULE_VERSIONS.includes(args.rules)) throw new UsageError(`unknown rule version "${args.rules}"; known: ${RULE_VERSIONS.join(', ')}`);
    return args;
  } catch (e) {
    if (e instanceof UsageError) return usageError({ usage: USAGE }, e.message, io);
    throw e;
  }
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

function metricRows(metrics: MetricScore[]): string[] {
  const rows = metrics.map((m) => [m.name, fmt(m.points), fmt(m.max), `${fmt(m.units)}${m.unitsForMax !== undefined ? ` / ${fmt(m.unitsForMax)}` : ''} ${m.unitLabel}`]);
  const w = [Math.max(6, ...rows.map((r) => r[0]!.length)), 6, 4];
  const out = [`  ${pad('Metric', w[0]!)}  ${pad('Points', w[1]!, true)}  ${pad('Max', w[2]!, true)}  Units`];
  out.push(`  ${'-'.repeat(w[0]!)}  ${'-'.repeat(w[1]!)}  ${'-'.repeat(w[2]!)}  ${'-'.repeat(24)}`);
  for (const r of rows) out.push(`  ${pad(r[0]!, w[0]!)}  ${pad(r[1]!, w[1]!, true)}  ${pad(r[2]!, w[2]!, true)}  ${r[3]}`);
  return out;
}

function costWords(c: GapCosts): string {
  return `customer ${fmt(c.customer)}, certified person ${fmt(c.certifiedPerson)}, deployment ${fmt(c.deployment)}, point of growth ${fmt(c.growthPoint)}`;
}

function planLines(steps: readonly GapStep[]): string[] {
  return steps.map((s) => `      add ${fmt(s.add)} ${s.what} -> ${s.gains.map((x) => `${x.metricName} ${x.points >= 0 ? '+' : ''}${fmt(x.points)}`).join(', ') || 'no points by itself'}; total ${fmt(s.totalAfter)}`);
}

export function renderArea(a: AreaScore, all: boolean): string {
  const out: string[] = [];
  const status = a.status.replace(/-/g, ' ');
  out.push(`${a.name}: ${fmt(a.total)} / ${a.max}, ${status}${a.qualifiesToday && a.status !== 'qualified' ? ' (qualifies today)' : ''}`);
  if (a.eligibility) out.push(`  qualified on ${a.eligibility.qualifiedOn}: eligible to enrol until ${a.eligibility.eligibleUntil} although below 70 today`);
  out.push(`  rules ${a.ruleVersion}; ${a.track === 'smb' ? 'SMB' : 'Enterprise'} track: ${a.trackReason}`);
  if (a.tracks) out.push(`  tracks: ${a.tracks.map((t) => `${t.track === 'smb' ? 'SMB' : 'Enterprise'} ${fmt(t.total)}${t.qualifies ? ' (qualifies)' : ''}`).join(', ')}`);
  out.push(...metricRows(a.metrics));
  for (const m of a.metrics) {
    out.push(`  ${m.name}:`);
    const shown = all ? m.explanation : m.explanation.slice(0, 8);
    for (const l of shown) out.push(`    ${l.kind === 'counted' ? '+' : l.kind === 'not-counted' ? '-' : '*'} ${formatLine(l)}`);
    if (shown.length < m.explanation.length) out.push(`    ... ${m.explanation.length - shown.length} more lines (--all shows them)`);
  }
  if (a.gap) {
    const g = a.gap;
    out.push(`  To qualify: ${fmt(g.pointsShort)} points short of 70${g.zeroMetrics.length ? `; metrics without points: ${g.zeroMetrics.join(', ')}` : ''}`);
    if (g.reachable) {
      out.push(`    cheapest plan (cost ${fmt(g.cost)}; ${costWords(g.costModel)}), verified by re-scoring:`);
      out.push(...planLines(g.steps));
      g.alternatives.forEach((alt, i) => {
        out.push(`    alternative ${i + 1} (cost ${fmt(alt.cost)}):`);
        out.push(...planLines(alt.steps));
      });
    } else out.push('    no plan within the caps');
    for (const n of g.notes) out.push(`    note: ${n}`);
  }
  return out.join('\n');
}

export function main(argv: readonly string[], io: CliIo = consoleIo): number {
  const args = parseArgs(argv, new Date().toISOString().slice(0, 10), io);
  if (typeof args === 'number') return args;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(args.file, 'utf8'));
  } catch (e) {
    io.err(`error: cannot read ${args.file}: ${(e as Error).message}`);
    return 2;
  }
  let snapshot;
  try {
    snapshot = parseSnapshot(raw);
  } catch (e) {
    if (e instanceof SnapshotError) {
      io.err(`error: ${args.file} is not a valid partner snapshot:`);
      for (const i of e.issues) io.err(`  ${i.path}: ${i.message}`);
      return 2;
    }
    throw e;
  }
  const metricTest = args.metricTest ?? (process.env.QUALIFY_METRIC_TEST === 'gte1' ? 'gte1' : undefined);
  const options = { date: args.date, ...(args.rules ? { ruleVersion: args.rules } : {}), settings: { ...(metricTest ? { qualifyMetricTest: metricTest } : {}), ...(args.gapCosts ? { gapCosts: args.gapCosts } : {}) } };
  const scored = scorePartner(snapshot, options);
  // An area below 70 today may still be eligible from a day of its qualification window: score the window for those.
  const below = scored.areas.filter((a) => a.status === 'in-progress' || a.status === 'not-started').map((a) => a.area);
  const windows = below.length ? scoreQualificationWindow(snapshot, { ...options, areas: below }) : [];
  const result = { ...scored, areas: scored.areas.map((a) => withEligibility(a, windows.find((w) => w.area === a.area)?.lastQualifiedOn, args.date)) };
  const areas = args.area ? result.areas.filter((a) => a.area === args.area) : result.areas;
  if (args.json) {
    io.out(JSON.stringify({ ...result, areas }, null, 2));
    return 0;
  }
  io.out(`Partner ${result.partnerId} on ${result.date} (rules ${result.ruleVersion})`);
  io.out(areas.map((a) => `  ${pad(a.name, 26)} ${pad(fmt(a.total), 6, true)}  ${a.status}`).join('\n'));
  for (const a of areas) io.out(`\n${renderArea(a, args.all)}`);
  return 0;
}

if (require.main === module) runAsCommand(main);
