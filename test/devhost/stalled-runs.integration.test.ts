import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSettings } from '../../shared/config/settings';
import { QUEUES } from '../../shared/queues/names';
import { getQueueService } from '../../shared/queues/client';
import { beginRecomputeRun } from '../../shared/recompute/run';
import { getRun } from '../../shared/runs/run-store';
import { watchStalledRuns } from '../../tools/devhost/interrupted-runs';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { eventually } from '../helpers/host-process';

/** A run whose queued work vanished while the host ran (Azurite restarted on older data) is resumed and says so. */
describe('the stalled-run watch of the local host', () => {
  let stores: IsolatedStores;
  beforeAll(async () => {
    stores = await isolatedStores({ ownAzurite: true });
  });
  afterAll(async () => stores?.close());

  it('leaves a busy or queued run alone, and resumes one with nothing queued and no progress over two looks', async () => {
    const { run, start } = await beginRecomputeRun('2026-11-30', 'test');
    expect(start).toBeDefined(); // never sent: as if Azurite lost it
    const service = getQueueService(getSettings());
    const lines: string[] = [];
    let busy = true;
    const stop = watchStalledRuns(service, { intervalMs: 150, busy: () => busy, log: (_, m) => lines.push(m) });
    try {
      await new Promise((r) => setTimeout(r, 800));
      expect((await getRun(run.id))?.interruptions ?? []).toEqual([]);
      busy = false;
      const after = await eventually(async () => {
        const r = await getRun(run.id);
        return r?.interruptions?.length ? r : undefined;
      }, 10_000, 'the interruption to be recorded');
      expect(after.interruptions![0]!.detail).toMatch(/its work was lost while it ran .*start message was sent again/);
      const queued = (await service.getQueueClient(QUEUES.recomputeRun).getProperties()).approximateMessagesCount;
      expect(queued).toBe(1);
      expect(lines.join('\n')).toMatch(new RegExp(`Run ${run.id}: stalled`));
      // With its start message queued again the run is no longer stalled: no second interruption.
      await new Promise((r) => setTimeout(r, 800));
      expect((await getRun(run.id))?.interruptions).toHaveLength(1);
    } finally {
      stop();
    }
  });
});
