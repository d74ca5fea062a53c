import { describe, expect, it } from 'vitest';
import { getRun, recordRunResult, setRunTotal, startRun } from '../../shared/runs/run-store';
import { useIsolatedStores } from '../helpers/emulators';

describe('counting partners in a run', () => {
  useIsolatedStores();

  it('does not finish early when a partner was counted twice, and finishes with the counts its markers give', async () => {
    const { run } = await startRun('recompute', '2026-11-29');
    await setRunTotal(run.id, 2);
    // Two deliveries of one partner that both read "not counted yet" (or a worker killed between count and mark).
    await recordRunResult(run.id, 'p1', 'done', undefined, { countedRunId: null });
    const twice = await recordRunResult(run.id, 'p1', 'done', undefined, { countedRunId: null });
    expect(twice.run).toMatchObject({ status: 'running', done: 2 });
    const last = await recordRunResult(run.id, 'p2', 'stale');
    expect(last.run).toMatchObject({ status: 'finished', done: 1, stale: 1, failed: 0 });
    expect(await getRun(run.id)).toMatchObject({ status: 'finished', done: 1, stale: 1 });
  });
});
