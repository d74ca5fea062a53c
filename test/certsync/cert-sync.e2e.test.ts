import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { startFakeLearn, type FakeLearn } from '../../tools/fixtures/fake-learn';
import { isolatedStores } from '../helpers/emulators';
import { uniqueSuffix } from '../helpers/ids';
import { professional, readProfessionals, readProfile, seedPartner } from './helpers';

/**
 * The certification sync end to end: the compiled app in the local host, the Cosmos emulator and Azurite over
 * their real protocols, and a local server playing Learn (good, slow, failing, throttling, changed shape,
 * private). Concurrency toward Learn is set to 3 so the bound is tested well below the number of transcripts.
 */

const CONCURRENCY = 3;
const TIMEOUT_MS = 300;
let host: HostProcess;
let learn: FakeLearn;
const s = uniqueSuffix();
const P = { good: `p-good-${s}`, mixed: `p-mixed-${s}`, down: `p-down-${s}`, empty: `p-empty-${s}`, reg: `p-reg-${s}` };
const link = (shareId: string) => `https://learn.microsoft.com/en-us/users/someone/transcript/${shareId}`;
const today = new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
const api = (path: string, init?: RequestInit) => fetch(`${host.url}/api${path}`, init);
const put = (path: string, body: unknown) => api(path, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

beforeAll(async () => {
  learn = await startFakeLearn({ slowMs: 1500, latencyMs: 30 });
  const { env } = await isolatedStores({
    env: {
      LEARN_BASE_URL: learn.url,
      CERT_SYNC_CONCURRENCY: String(CONCURRENCY),
      CERT_SYNC_TIMEOUT_MS: String(TIMEOUT_MS),
      CERT_SYNC_MAX_ATTEMPTS: '3',
      CERT_SYNC_BACKOFF_MS: '50',
      CERT_IMPORTS_CONTAINER: `cert-imports-${s}`,
      RECOMPUTE_COALESCE_SECONDS: '0',
    },
  });
  // Six good transcripts for one partner, so the bound of 3 at once is actually pressed.
  const goodPeople = Array.from({ length: 6 }, (_, i) => professional(`g${i}`, { transcriptUrl: link(`good${s}${i}`), email: `g${i}@example.com` }));
  for (let i = 0; i < 6; i++) {
    learn.setTranscript(`good${s}${i}`, [
      { name: 'Microsoft Certified: Azure Administrator Associate', certificationNumber: `A${i}-1`, status: 'Active', dateEarned: '2026-01-15T00:00:00Z', expiration: i === 0 ? `${inDays(30)}T00:00:00Z` : `${inDays(300)}T00:00:00Z` },
      { name: 'Microsoft Certified: Azure Solutions Architect Expert', status: 'Active', dateEarned: '2025-12-01', expiration: `${inDays(400)}T00:00:00Z` },
      { name: 'Microsoft Certified: Azure Fundamentals', status: 'Active', dateEarned: '2020-01-01' },
    ]);
  }
  await seedPartner(P.good, [...goodPeople, professional('away', { linked: false, unlinkedOn: '2026-06-01', transcriptUrl: link(`good${s}0`) })]);
  learn.setTranscript(`throttle${s}`, [{ name: 'Microsoft Certified: DevOps Engineer Expert', dateEarned: '2026-03-01', expiration: '2027-03-01' }]);
  const known = { certificationId: 'azure-administrator-associate', earnedOn: '2026-01-01', expiresOn: '2027-01-01', source: 'learn', updatedAt: '2026-01-01T00:00:00.000Z' };
  await seedPartner(P.mixed, [
    professional('slow', { transcriptUrl: link(`slow${s}`) }, [known]),
    professional('shape', { transcriptUrl: link(`shape${s}`) }, [known]),
    professional('private', { transcriptUrl: link(`private${s}`) }, [known]),
    professional('throttled', { transcriptUrl: link(`throttle${s}`) }),
  ]);
  await seedPartner(P.down, [professional('down', { transcriptUrl: link(`down${s}`) }, [known])]);
  await seedPartner(P.empty, []);
  learn.setTranscript(`reg${s}`, [{ name: 'Microsoft Certified: Cybersecurity Architect Expert', dateEarned: '2026-05-01', expiration: `${inDays(200)}` }]);
  await seedPartner(P.reg, [professional('r1')]);
  host = await startHostProcess({ env });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await learn?.close();
});

describe('registering transcript share links', () => {
  it('refuses a malformed link with the reason, naming the field', async () => {
    const res = await put(`/partners/${P.good}/professionals/g1/transcript`, { url: 'https://learn.microsoft.com/en-us/users/ada/achievements/abc123' });
    expect(res.status).toBe(400);
    const body = await json<{ error: string; message: string; details: { path: string; message: string }[] }>(res);
    expect(body.error).toBe('BadRequest');
    expect(body.message).toContain('path must be /<locale>/users/<name>/transcript/<shareId>');
    expect(body.details[0]!.path).toBe('url');
    const wrongHost = await json<{ message: string }>(await put(`/partners/${P.good}/professionals/g1/transcript`, { url: 'https://evil.example.com/en-us/users/a/transcript/abc123' }));
    expect(wrongHost.message).toContain('must be on learn.microsoft.com');
    const missing = await put(`/partners/${P.good}/professionals/g1/transcript`, {});
    expect(missing.status).toBe(400);
    expect((await json<{ details: { path: string }[] }>(missing)).details[0]!.path).toBe('url');
  });

  it('answers 404 for an unknown partner or professional, stores a good link and reads it at once', async () => {
    expect((await put(`/partners/nobody-${s}/professionals/r1/transcript`, { url: link('abcdef123') })).status).toBe(404);
    const unknownPro = await put(`/partners/${P.reg}/professionals/nobody/transcript`, { url: link('abcdef123') });
    expect(unknownPro.status).toBe(404);
    expect((await json<{ message: string }>(unknownPro)).message).toContain('Professional nobody is not linked');
    const res = await put(`/partners/${P.reg}/professionals/r1/transcript`, { url: `https://learn.microsoft.com/EN-US/users/someone/transcript/reg${s}` });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ professionalId: 'r1', transcriptUrl: link(`reg${s}`), shareId: `reg${s}`, syncRequested: true });
    const doc = await eventually(async () => {
      const d = await readProfessionals(P.reg);
      return d.items.r1!.certifications['cybersecurity-architect-expert'] ? d : undefined;
    }, 20_000, 'the new link to be read');
    expect(doc.items.r1!.transcriptUrl).toBe(link(`reg${s}`));
    expect(doc.items.r1!.sync).toMatchObject({ status: 'ok' });
  });
});

describe('a sync run through the timer, the queue fan-out and the partner worker', () => {
  let runId = '';

  it('runs the timer on demand and finishes the run with every partner counted', async () => {
    learn.resetCounters();
    const started = await fetch(`${host.url}/admin/functions/certSyncTimer`, { method: 'POST', body: '{}', headers: host.adminHeaders });
    expect(started.status).toBe(202);
    runId = `cert-sync-${today}`;
    const run = await eventually(async () => {
      const res = await api(`/cert-sync/runs/${runId}`);
      if (res.status !== 200) return undefined;
      const r = await json<{ status: string; total: number; done: number; stale: number; failed: number; problems: { partnerId: string; reason: string }[] }>(res);
      return r.status === 'finished' ? r : undefined;
    }, 40_000, `run ${runId} to finish`);
    expect(run).toMatchObject({ total: 5, done: 3, stale: 2, failed: 0 });
    const reasons = Object.fromEntries(run.problems.map((p) => [p.partnerId, p.reason]));
    expect(Object.keys(reasons).sort()).toEqual([P.down, P.mixed].sort());
    expect(reasons[P.down]).toContain('down: Learn did not answer: HTTP 503 after 3 attempts');
    expect(reasons[P.mixed]).toContain(`slow: Learn did not answer: no answer within ${TIMEOUT_MS} ms after 3 attempts`);
    expect(reasons[P.mixed]).toContain('shape: Learn transcript answer changed shape: certificationData');
    expect(reasons[P.mixed]).toContain(`private: Learn transcript private${s} is private or no longer shared (HTTP 404)`);
    // The same run is readable through the generic runs endpoint too.
    expect((await api(`/runs/${runId}`)).status).toBe(200);
  }, 60_000);

  it('never had more requests in flight toward Learn than the configured concurrency', () => {
    expect(learn.maxInFlight).toBeGreaterThan(1);
    expect(learn.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
    // 6 good + 1 registered + throttled twice + slow x3 + down x3 + shape + private; the unlinked person is never fetched.
    expect(learn.requests).toBe(6 + 1 + 2 + 3 + 3 + 1 + 1);
  });

  it('stored what Learn reported, mapped to rule-set ids, and recorded the changes per person', async () => {
    const doc = await readProfessionals(P.good);
    const g0 = doc.items.g0!;
    expect(Object.keys(g0.certifications).sort()).toEqual(['azure-administrator-associate', 'azure-solutions-architect-expert']);
    expect(g0.certifications['azure-administrator-associate']).toMatchObject({ earnedOn: '2026-01-15', expiresOn: inDays(30), credentialNumber: 'A0-1', source: 'learn' });
    expect(g0.sync).toMatchObject({ status: 'ok' });
    expect(doc.items.away!.certifications).toEqual({});
    const record = await json<{ last: { outcome: string; counts: Record<string, number>; persons: { professionalId: string; changes: { kind: string }[]; ignored?: string[] }[]; warnings: { warnings: { professionalId: string; certificationId: string; pointsAtStake: unknown[] }[] } } }>(await api(`/partners/${P.good}/cert-sync`));
    expect(record.last.outcome).toBe('done');
    expect(record.last.counts).toMatchObject({ added: 12, renewed: 0, removed: 0, professionals: 6 });
    expect(record.last.persons.find((p) => p.professionalId === 'g0')!.ignored).toEqual(['Microsoft Certified: Azure Fundamentals']);
    expect(record.last.warnings.warnings.map((w) => `${w.professionalId}:${w.certificationId}`)).toEqual(['g0:azure-administrator-associate']);
  });

  it('kept the last known certifications of people whose source failed, and marked them with the reason', async () => {
    const mixed = await readProfessionals(P.mixed);
    for (const id of ['slow', 'shape', 'private']) {
      expect(mixed.items[id]!.certifications['azure-administrator-associate']!.removed, id).toBeUndefined();
    }
    expect(mixed.items.slow!.sync).toMatchObject({ status: 'stale', reason: expect.stringContaining(`no answer within ${TIMEOUT_MS} ms`) });
    expect(mixed.items.shape!.sync).toMatchObject({ status: 'error', reason: expect.stringContaining('changed shape') });
    expect(mixed.items.private!.sync).toMatchObject({ status: 'not-found' });
    // A 429 with Retry-After was retried and then succeeded.
    expect(mixed.items.throttled!.certifications['devops-engineer-expert']).toMatchObject({ earnedOn: '2026-03-01', expiresOn: '2027-03-01' });
    const down = await readProfessionals(P.down);
    expect(down.items.down!.certifications['azure-administrator-associate']!.removed).toBeUndefined();
    expect(down.items.down!.sync).toMatchObject({ status: 'stale', reason: expect.stringContaining('HTTP 503 after 3 attempts') });
  });

  it('asked for a recompute only where skilling data changed', async () => {
    expect((await readProfile(P.good)).stateVersion).toBeGreaterThan(0);
    expect((await readProfile(P.down)).stateVersion).toBe(0);
  });

  it('returns the existing run when the same run is started again on demand', async () => {
    const res = await api('/runs/cert-sync', { method: 'POST' });
    expect(res.status).toBe(202);
    const body = await json<{ created: boolean; run: { id: string; status: string } }>(res);
    expect(body).toMatchObject({ created: false, run: { id: runId, status: 'finished' } });
  });
});

describe('import files and warnings', () => {
  it('refuses a file with no usable row, listing each bad line', async () => {
    const res = await api(`/partners/${P.empty}/cert-imports`, { method: 'POST', body: 'person,certification,earned_on\nnobody,AZ-104,2026-01-01\n', headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(400);
    const body = await json<{ details: { path: string; message: string }[] }>(res);
    expect(body.details).toEqual([{ path: 'line 2', message: expect.stringContaining('person "nobody" is not a professional') }]);
  });

  it('applies the good rows of an uploaded CSV, reports the bad ones by line, and syncs the partner', async () => {
    const csv = ['person,certification,earned_on,expires_on', `g1@example.com,SC-200,2026-02-01,${inDays(200)}`, 'g1@example.com,AZ-104,someday,', 'g2,Microsoft Certified: Azure Network Engineer Associate,2026-04-01,2027-04-01'].join('\n');
    const res = await api(`/partners/${P.good}/cert-imports`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(202);
    const body = await json<{ accepted: number; rows: number; errors: { line: number; reason: string }[]; blob: string }>(res);
    expect(body).toMatchObject({ accepted: 2, rows: 3, errors: [{ line: 3, reason: 'earned on "someday" is not a date YYYY-MM-DD' }] });
    expect((await json<{ importBlob: string }>(await api(`/partners/${P.good}/cert-sources`))).importBlob).toBe(body.blob);
    const doc = await eventually(async () => {
      const d = await readProfessionals(P.good);
      return d.items.g2!.certifications['azure-network-engineer-associate'] ? d : undefined;
    }, 20_000, 'the import to be applied');
    expect(doc.items.g1!.certifications['security-operations-analyst-associate']).toMatchObject({ earnedOn: '2026-02-01', expiresOn: inDays(200), source: 'import' });
    // Learn-sourced records are untouched by the import.
    expect(doc.items.g1!.certifications['azure-administrator-associate']!.source).toBe('learn');
    const record = await eventually(async () => {
      const r = await json<{ last: { runId?: string; problems: string[]; counts: { added: number } } }>(await api(`/partners/${P.good}/cert-sync`));
      return r.last.runId === undefined ? r : undefined;
    });
    expect(record.last.problems).toEqual([`${body.blob} line 3: earned on "someday" is not a date YYYY-MM-DD`]);
    expect(record.last.counts.added).toBe(2);
  });

  it('lists expiry warnings with the points at stake per area, and validates its query', async () => {
    const res = await api(`/partners/${P.good}/cert-warnings?days=60`);
    expect(res.status).toBe(200);
    const body = await json<{ horizonDays: number; warnings: { professionalId: string; certificationId: string; daysLeft: number; pointsAtStake: { area: string; points: number }[] }[] }>(res);
    expect(body.horizonDays).toBe(60);
    expect(body.warnings).toEqual([expect.objectContaining({ professionalId: 'g0', certificationId: 'azure-administrator-associate', daysLeft: 30 })]);
    const bad = await api(`/partners/${P.good}/cert-warnings?days=zero`);
    expect(bad.status).toBe(400);
    expect((await json<{ details: { path: string }[] }>(bad)).details[0]!.path).toBe('query.days');
    expect((await api(`/partners/nobody-${s}/cert-warnings`)).status).toBe(404);
  });
});
