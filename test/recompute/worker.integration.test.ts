import { describe, expect, it } from 'vitest';
import { processRecomputeMessage } from '../../shared/recompute/worker';
import { listDirectory, registerPartner } from '../../shared/recompute/directory';
import { runPartnerIds } from '../../shared/recompute/run';
import { importSnapshotAsState } from '../../tools/fixtures/snapshot-import';
import { recomputePartner } from '../../shared/recompute/partner';
import { readScoreDay, readScoreStatus } from '../../shared/score-history/score-store';
import { getRun, setRunTotal, startRun, recordRunResult } from '../../shared/runs/run-store';
import { getContainer } from '../../shared/store/cosmos';
import { getSettings } from '../../shared/config/settings';
import { partnersContainer } from '../../shared/state/state-store';
import { useIsolatedStores } from '../helpers/emulators';
import { newPartnerId } from '../helpers/ids';
import { partnerSnapshot } from '../helpers/partner-snapshot';

const DATE = '2026-11-20';

describe('recompute worker against the Cosmos emulator', () => {
  useIsolatedStores();

  it('stores the same documents for the same partner and day however often it runs', async () => {
    const p = newPartnerId();
    await importSnapshotAsState(partnerSnapshot(p, DATE));
    const first = await recomputePartner(p, { date: DATE, reason: 'manual' });
    expect(first).toMatchObject({ outcome: 'done', changed: true });
    const etags = [(await readScoreStatus(p))?._etag, (await readScoreDay(p, DATE))?._etag];
    const again = await recomputePartner(p, { date: DATE, reason: 'manual' });
    expect(again).toMatchObject({ outcome: 'done', changed: false });
    expect(again.charges.writes).toBe(0);
    expect([(await readScoreStatus(p))?._etag, (await readScoreDay(p, DATE))?._etag]).toEqual(etags);
  });

  it('keeps the current status when an older day is recomputed', async () => {
    const p = newPartnerId();
    await importSnapshotAsState(partnerSnapshot(p, DATE));
    await recomputePartner(p, { date: DATE, reason: 'manual' });
    await recomputePartner(p, { date: '2026-11-10', reason: 'manual' });
    expect((await readScoreStatus(p))?.latestDate).toBe(DATE);
    expect((await readScoreDay(p, '2026-11-10'))?.date).toBe('2026-11-10');
  });

  it('counts each partner once per run, dead-letters a partner that keeps failing, and still finishes the run', async () => {
    const date = '2026-10-02';
    const good = newPartnerId('good');
    const broken = newPartnerId('broken');
    const gone = newPartnerId('gone');
    await importSnapshotAsState(partnerSnapshot(good, date));
    await importSnapshotAsState(partnerSnapshot(broken, date));
    // A hand-edited document the recompute cannot read (stored state is not validated again): it fails every time.
    const assoc = (await partnersContainer().item('associations', broken).read()).resource as { items: unknown };
    assoc.items = null;
    await partnersContainer().items.upsert(assoc);

    const { run, created } = await startRun('recompute', date);
    expect(created).toBe(true);
    expect((await startRun('recompute', date)).created).toBe(false);
    await setRunTotal(run.id, 3);

    const msg = (partnerId: string) => ({ partnerId, reason: 'nightly' as const, runId: run.id, date });
    expect((await processRecomputeMessage(msg(good), { dequeueCount: 1, maxDequeueCount: 5 })).outcome).toBe('done');
    // Redelivered: recomputed again (idempotent) but not counted twice.
    await processRecomputeMessage(msg(good), { dequeueCount: 2, maxDequeueCount: 5 });
    expect((await processRecomputeMessage(msg(gone), { dequeueCount: 1, maxDequeueCount: 5 })).outcome).toBe('stale');

    await expect(processRecomputeMessage(msg(broken), { dequeueCount: 1, maxDequeueCount: 5 })).rejects.toThrow();
    expect((await getRun(run.id))?.status).toBe('running');
    const last = await processRecomputeMessage(msg(broken), { dequeueCount: 5, maxDequeueCount: 5 });
    expect(last.outcome).toBe('failed');
    expect(last.reason).toContain('null');

    const finished = await getRun(run.id);
    expect(finished).toMatchObject({ status: 'finished', total: 3, done: 1, stale: 1, failed: 1 });
    expect(finished?.failures[0]).toMatchObject({ partnerId: broken });
    expect(finished?.failures[0]?.reason).toContain('failed 5 times');

    const dead = await getContainer(getSettings(), 'deadletters')
      .items.query({ query: 'SELECT * FROM c WHERE c.type = "deadletter" AND ARRAY_CONTAINS(c.partnerIds, @p)', parameters: [{ name: '@p', value: broken }] })
      .fetchAll();
    expect(dead.resources).toHaveLength(1);
    expect(JSON.stringify(dead.resources[0])).toContain('failed 5 times');

    // A late duplicate of an already counted outcome changes nothing.
    expect((await recordRunResult(run.id, good, 'done')).counted).toBe(false);
    expect((await getRun(run.id))?.done).toBe(1);
  });

  it('keeps a directory of partners for the nightly fan-out, one entry per partner', async () => {
    const p = newPartnerId('dir');
    await registerPartner(p);
    await registerPartner(p);
    expect((await listDirectory()).filter((x) => x === p)).toHaveLength(1);
    const imported = newPartnerId('dir');
    await importSnapshotAsState(partnerSnapshot(imported, DATE));
    expect(await runPartnerIds()).toEqual(expect.arrayContaining([p, imported]));
  });

  it('finishes a run of zero partners as soon as its total is known', async () => {
    const { run } = await startRun('cert-sync', '2026-01-03');
    expect((await setRunTotal(run.id, 0))?.status).toBe('finished');
  });
});
