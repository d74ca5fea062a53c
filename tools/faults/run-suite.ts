import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCli } from '../cli-args';

/**
 * `npm run test:faults`: runs the fault suite (vitest.faults.config.mts, test/faults/*.faults.ts), then prints the
 * sum of what its scenarios measured against the stores as the last line:
 *
 *   faults: sent=N accepted=N applied=N lost=N duplicated=N server_errors=N
 *
 * Exits non-zero when a scenario failed, when no scenario reported, or when lost, duplicated or server_errors is not 0.
 * Test file filters and -t (a scenario's name) are passed to vitest.
 */

const USAGE = `usage: npm run test:faults [-- <file filter>...] [-t NAME]
Runs the fault suite and ends with the faults: line (docs/faults.md).
  <file filter>  only test files whose path contains it (e.g. restart)
  -t NAME        only scenarios whose name matches NAME (e.g. -t SIGKILL)
  -h, --help     print this text`;

const FIELDS = ['sent', 'accepted', 'applied', 'lost', 'duplicated', 'server_errors'] as const;
type Totals = Record<(typeof FIELDS)[number], number>;

export function sumTallies(lines: string[]): { totals: Totals; scenarios: number } {
  const totals = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Totals;
  let scenarios = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    const t = JSON.parse(line) as Partial<Totals>;
    scenarios++;
    for (const f of FIELDS) totals[f] += Number(t[f] ?? 0);
  }
  return { totals, scenarios };
}

export const faultsLine = (t: Totals) => `faults: ${FIELDS.map((f) => `${f}=${t[f]}`).join(' ')}`;

function main(argv: string[]): number {
  const parsed = parseCli(argv, { usage: USAGE, options: { 'test-name-pattern': { type: 'string', short: 't' } }, maxPositionals: 20 });
  if (typeof parsed === 'number') return parsed;
  const forwarded = [...parsed.positionals, ...(parsed.values['test-name-pattern'] !== undefined ? ['-t', parsed.values['test-name-pattern']] : [])];
  const root = path.resolve(__dirname, '..', '..', '..');
  const dir = mkdtempSync(path.join(tmpdir(), 'faults-results-'));
  const results = path.join(dir, 'tallies.jsonl');
  const started = Date.now();
  const vitest = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'vitest.faults.config.mts', ...forwarded], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FAULTS_RESULTS: results },
  });
  const { totals, scenarios } = sumTallies(existsSync(results) ? readFileSync(results, 'utf8').split('\n') : []);
  rmSync(dir, { recursive: true, force: true });
  const failed = vitest.status !== 0;
  console.log(`\nfault suite: ${scenarios} scenario tallies, ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? `, vitest exited with ${vitest.status ?? vitest.signal}` : ''}`);
  console.log(faultsLine(totals));
  return failed || scenarios === 0 || totals.lost > 0 || totals.duplicated > 0 || totals.server_errors > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
