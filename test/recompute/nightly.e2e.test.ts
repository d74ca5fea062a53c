import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSnapshotAsState } from '../../tools/fixtures/snapshot-import';
import { readScoreDay, readScoreStatus, readHistory } from '../../shared/score-history/score-store';
import { todayUtc } from '../../shared/lib/dates';
import { decodeBreakdown } from '../../shared/score-history/read';
import type { RunDoc } from '../../shared/runs/run-store';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { newPartnerId } from '../helpers/ids';
import { partnerSnapshot } from '../helpers/partner-snapshot';

describe('nightly recompute through the local host, Azurite queues and the Cosmos emulator', () => {
  let stores: IsolatedStores;
  let host: HostProcess;
  const today = todayUtc();
  const partners = [newPartnerId('n'), newPartnerId('n'), newPartnerId('n')];

  beforeAll(async () => {
    stores = await isolatedStores({ ownAzurite: true });
    await Promise.all(partners.map((p, i) => importSnapshotAsState(partnerSnapshot(p, today, i === 0 ? 'medium' : 'small', 11 + i))));
    // A schedule that never fires during the test: the run is started on demand, as an operator would.
    host = await startHostProcess({ env: { ...stores.env, SCORE_RECOMPUTE_SCHEDULE: '0 0 0 1 1 *' } });
  }, 90_000);
  afterAll(async () => {
    if (process.env.DEBUG_HOST) console.log(host?.output());
    await host?.stop();
    await stores?.close();
  });

  const latest = async () => {
    const res = await fetch(`${host.url}/api/runs?latest=true&kind=recompute`);
    return res.status === 200 ? ((await res.json()) as RunDoc) : undefined;
  };

  it('runs the timer on demand, fans out to every partner and finishes the run document', async () => {
    const fire = await fetch(`${host.url}/admin/functions/scoreRecomputeNightly`, { method: 'POST', body: '{}', headers: host.adminHeaders });
    expect(fire.status).toBe(202);
    const run = await eventually(async () => {
      const r = await latest();
      return r?.status === 'finished' ? r : undefined;
    }, 45_000, 'the run to finish');
    expect(run.id).toBe(`recompute-${today}`);
    expect(run).toMatchObject({ kind: 'recompute', date: today, total: 3, done: 3, failed: 0, stale: 0 });
    expect(run.finishedAt! >= run.startedAt).toBe(true);

    const byId = await fetch(`${host.url}/api/runs/${run.id}`);
    expect(byId.status).toBe(200);
    expect(((await byId.json()) as RunDoc).done).toBe(3);

    for (const p of partners) {
      const status = await readScoreStatus(p);
      expect(status?.latestDate).toBe(today);
      expect(status?.lastRunId).toBe(run.id);
      expect(status?.areas).toHaveLength(6);
      const day = await readScoreDay(p, today);
      expect(day?.areas.map((a) => a.area)).toEqual(status?.areas.map((a) => a.area));
      expect(decodeBreakdown(day!)[0]?.metrics[0]?.explanation.length).toBeGreaterThan(0);
      const history = await readHistory(p, today.slice(0, 7));
      expect(Object.keys(history?.days[today] ?? {})).toHaveLength(6);
    }
  }, 60_000);

  it('makes one run when the timer fires again the same day, and rewrites nothing', async () => {
    const before = await Promise.all(partners.map(async (p) => [(await readScoreStatus(p))?._etag, (await readScoreDay(p, today))?._etag]));
    const fire = await fetch(`${host.url}/admin/functions/scoreRecomputeNightly`, { method: 'POST', body: '{}', headers: host.adminHeaders });
    expect(fire.status).toBe(202);
    // A second start over HTTP is also the same run.
    const again = await fetch(`${host.url}/api/runs/recompute`, { method: 'POST' });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { created: boolean; run: RunDoc }).created).toBe(false);
    // A manual recompute of an unchanged partner is processed but leaves its documents as they were.
    await new Promise((r) => setTimeout(r, 1500));
    const run = await latest();
    expect(run).toMatchObject({ id: `recompute-${today}`, total: 3, done: 3, status: 'finished' });
    const after = await Promise.all(partners.map(async (p) => [(await readScoreStatus(p))?._etag, (await readScoreDay(p, today))?._etag]));
    expect(after).toEqual(before);
  }, 30_000);

  it('answers unknown and malformed run ids with 404 and 400', async () => {
    expect((await fetch(`${host.url}/api/runs/recompute-1999-01-01`)).status).toBe(404);
    const bad = await fetch(`${host.url}/api/runs/nonsense`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('run id');
    const noLatest = await fetch(`${host.url}/api/runs`);
    expect(noLatest.status).toBe(400);
    const badKind = await fetch(`${host.url}/api/runs?latest=true&kind=other`);
    expect(badKind.status).toBe(400);
    expect(((await badKind.json()) as { message: string }).message).toContain('kind');
  });
});
