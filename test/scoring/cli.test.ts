import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../tools/score';
import { qualifyingInfrastructure } from './helpers';

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(path.join(tmpdir(), 'score-cli-'));
const file = (name: string, body: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
};
const example = path.join(__dirname, '..', '..', 'docs', 'examples', 'small-partner.json');

describe('npm run score', () => {
  it('says an area below 70 that qualified within its window is eligible to enrol, and until when', () => {
    const snap = qualifyingInfrastructure();
    for (const p of snap.professionals) for (const c of p.certifications) c.expiresOn = '2026-03-20';
    const r = run([file('lapsed.json', snap), '--date', '2026-04-05', '--area', 'Infrastructure']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Infrastructure\s+\S+\s+eligible-to-enroll/);
    expect(r.out).toMatch(/qualified on 2026-03-20: eligible to enrol until 2026-08-31 although below 70 today/);
  });

  it('prints a table per area with explanations and the gap', () => {
    const r = run([example, '--date', '2026-11-20', '--area', 'Infrastructure']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Infrastructure: 66 \/ 100, in progress/);
    expect(r.out).toMatch(/Net customer adds\s+20\s+30\s+2 \/ 3 net new customers/);
    expect(r.out).toMatch(/Windows Server Hybrid Administrator Associate expired on 2026-09-01/);
    expect(r.out).toMatch(/To qualify: 4 points short of 70/);
    expect(r.out).toMatch(/cheapest plan \(cost 3; customer 3, certified person 4, deployment 2, point of growth 1\), verified by re-scoring:\n {6}add 1 new customer \(Azure customers\) .* -> Net customer adds \+10; total 76/);
    expect(r.out).toMatch(/alternative 1 \(cost 4\):\n {6}add 1 person certified in one of: Azure Virtual Desktop Specialty.* -> Advanced certifications \+4; total 70/);
  });
  it('takes the cost weights of the gap planner with --gap-costs, and refuses a bad one', () => {
    const r = run([example, '--date', '2026-11-20', '--area', 'Infrastructure', '--gap-costs', 'customer=10']);
    expect(r.out).toMatch(/cheapest plan \(cost 4; customer 10,.*\n {6}add 1 person certified/);
    const bad = run([example, '--gap-costs', 'customers=1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--gap-costs: "customers=1" must be one of customer, person, deployment, growth/);
  });
  it('prints JSON with --json, filtered by --area', () => {
    const r = run([example, '--date', '2026-11-20', '--area', 'security', '--json']);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { areas: { area: string }[] };
    expect(parsed.areas.map((a) => a.area)).toEqual(['security']);
  });
  it('exits 2 and names each bad field of a malformed snapshot', () => {
    const bad = file('bad.json', { partnerId: 'x', associations: [{ id: 'a', type: 'CPOR', tenantId: 't', startDate: '2026-01-01' }], telemetry: [{ tenantId: 't', month: '26-01', platform: 'azure', workload: 'w', associationType: 'PAL' }] });
    const r = run([bad, '--date', '2026-02-01']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/associations\[0\]\.role: a CPOR association needs its partner role/);
    expect(r.err).toMatch(/telemetry\[0\]\.month: must be a month YYYY-MM/);
  });
  it('exits 2 on unreadable JSON, unknown options and bad dates', () => {
    expect(run([file('broken.json', '{"partnerId":')]).code).toBe(2);
    expect(run([example, '--frobnicate']).code).toBe(2);
    expect(run([example, '--date', '2026-2-1']).err).toMatch(/--date must be YYYY-MM-DD/);
    expect(run([example, '--area', 'Gardening']).err).toMatch(/unknown area "Gardening"/);
    expect(run([]).code).toBe(2);
  });
});
