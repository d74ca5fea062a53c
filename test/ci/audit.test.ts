import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** tools/ci/audit.sh judges a saved report here; in CI it asks the registry. */
function judge(report: string, status = 1): { code: number; out: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'audit-')), 'report.json');
  writeFileSync(file, report);
  try {
    const out = execFileSync('bash', ['tools/ci/audit.sh'], { env: { ...process.env, AUDIT_REPORT: file, AUDIT_STATUS: String(status) }, encoding: 'utf8' });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, out: err.stdout };
  }
}

const metadata = (v: Record<string, number>) => ({ metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...v, total: Object.values(v).reduce((a, b) => a + b, 0) }, dependencies: { prod: 42 } } });

describe('the CI dependency audit', () => {
  it('passes when the production dependencies have no advisories', () => {
    expect(judge(JSON.stringify(metadata({})), 0)).toEqual({ code: 0, out: 'audit: no advisories for the 42 production dependencies\n' });
  });

  it('fails on an advisory, naming the package and its severity', () => {
    const r = judge(JSON.stringify({ ...metadata({ high: 1 }), vulnerabilities: { 'some-lib': { severity: 'high', range: '<1.2.3', fixAvailable: true } } }));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/advisories for production dependencies: 1 high/);
    expect(r.out).toMatch(/some-lib \(high\): <1\.2\.3 \(fix available\)/);
  });

  it('skips with the reason when the advisories endpoint does not answer, never silently', () => {
    const r = judge(JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 }));
    expect(r).toEqual({ code: 0, out: 'audit skipped: the advisories endpoint is unavailable (405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk)\n' });
    expect(judge('', 1).out).toMatch(/^audit skipped: npm audit gave no report/);
  });
});
