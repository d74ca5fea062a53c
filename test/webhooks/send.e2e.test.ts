import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../shared/lib/signing';
import { REPO_ROOT, startHostProcess, type HostProcess } from '../helpers/host-process';
import { uid } from '../helpers/ids';
import { ev } from './client';

/** `npm run send`: signs and posts a file of events to a running app. */
describe('tools/send', () => {
  let host: HostProcess;
  const secret = generateSecret();
  const dir = mkdtempSync(path.join(tmpdir(), 'pcs-send-'));
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'tools', 'send.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

  beforeAll(async () => {
    host = await startHostProcess({ env: { WEBHOOK_SOURCES: 'hr-system', WEBHOOK_SECRET_HR_SYSTEM: secret, WEBHOOK_PARTNERS_HR_SYSTEM: '*' } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('splits a file into batches of 500, signs them, and reports each status; a second run is a redelivery', () => {
    const partner = uid('p-send');
    const events = Array.from({ length: 501 }, (_, i) => ev(`s${i}`, 'professional.linked', partner, '2026-01-01T00:00:00Z', { learnProfileId: `lp-${i}` }));
    const file = path.join(dir, 'events.json');
    writeFileSync(file, JSON.stringify(events));
    const first = run([file, '--source', 'hr-system', '--url', host.url], { WEBHOOK_SECRET_HR_SYSTEM: secret });
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/delivery 1\/2 \(500 events.*: 202/);
    expect(first.stdout).toMatch(/delivery 2\/2 \(1 events.*: 202/);
    const again = run([file, '--source', 'hr-system', '--url', host.url, '--secret', secret]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/"status":"duplicate"/);
  });

  it('exits non-zero and prints the answer when a delivery is refused', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ events: [{ id: 'x', type: 'pal.linked', partnerId: 'p', occurredAt: 'soon', data: {} }] }));
    const res = run([file, '--source', 'hr-system', '--url', host.url, '--secret', secret]);
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/: 400/);
    expect(res.stdout).toContain('events[0].occurredAt');
    const wrong = run([file, '--source', 'hr-system', '--url', host.url, '--secret', generateSecret()]);
    expect(wrong.stdout).toMatch(/: 401/);
    expect(run([file]).status).toBe(2);
  });
});
