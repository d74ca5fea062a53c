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

  it('finishes when the last partners end at once, their marker counts shared: every caller sees its own marker counted', async () => {
    const { run } = await startRun('recompute', '2026-11-30');
    await setRunTotal(run.id, 24);
    for (let i = 0; i < 8; i++) await recordRunResult(run.id, `q${i}`, 'done');
    // Two workers of one partner counted twice first, so the counters reach the total before the markers do.
    await recordRunResult(run.id, 'q0', 'done', undefined, { countedRunId: null });
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => recordRunResult(run.id, `q${8 + i}`, i % 5 === 0 ? 'failed' : 'done', i % 5 === 0 ? 'boom' : undefined)));
    expect(results.every((r) => r.counted)).toBe(true);
    expect(await getRun(run.id)).toMatchObject({ status: 'finished', done: 20, failed: 4, stale: 0 });
  });
});
