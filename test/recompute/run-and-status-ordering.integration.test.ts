import { describe, expect, it, vi } from 'vitest';
import { beginRecomputeRun, fanOutRun } from '../../shared/recompute/run';
import { DIRECTORY_BUCKETS, DIRECTORY_PARTITION, listDirectory, registerPartner } from '../../shared/recompute/directory';
import { importSnapshotAsState } from '../../tools/fixtures/snapshot-import';
import { sendMessages } from '../../shared/queues/send';
import { QUEUES } from '../../shared/queues/names';
import { recomputePartner } from '../../shared/recompute/partner';
import { readScoreDay, readScoreStatus, updateDoc, upsertDoc } from '../../shared/score-history/score-store';
import { getRun } from '../../shared/runs/run-store';
import { useIsolatedStores } from '../helpers/emulators';
import { newPartnerId } from '../helpers/ids';
import { partnerSnapshot } from '../helpers/partner-snapshot';

const faults = vi.hoisted(() => ({ send: false, register: false }));

vi.mock('../../shared/queues/send', () => ({
  sendMessages: vi.fn(async () => {
    if (faults.send) throw new Error('queue unavailable (test)');
  }),
}));

vi.mock('../../shared/recompute/directory', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../shared/recompute/directory')>();
  return {
    ...actual,
    registerPartner: async (...args: Parameters<typeof actual.registerPartner>) => {
      if (faults.register) throw new Error('directory bucket busy (test)');
      return actual.registerPartner(...args);
    },
  };
});

const DATE = '2026-11-21';

/** A partner with its state stored and scored once for DATE: its status and day documents, and their state version. */
async function scoredPartner(prefix: string) {
  const p = newPartnerId(prefix);
  await importSnapshotAsState(partnerSnapshot(p, DATE));
  await recomputePartner(p, { date: DATE, reason: 'manual' });
  const status = (await readScoreStatus(p))!;
  const day = (await readScoreDay(p, DATE))!;
  return { p, status, day, v: status.stateVersion };
}

describe('recompute runs survive lost page sends, failed registrations and out-of-order writers', () => {
  useIsolatedStores();

  it('a start message whose pages could not be sent leaves the run without a total, and its redelivery sends them', async () => {
    const ids = [newPartnerId('f'), newPartnerId('f')];
    for (const p of ids) await registerPartner(p);
    const { run, start: message } = await beginRecomputeRun('2026-11-19', 'test');
    if (message?.kind !== 'start') throw new Error('expected a start message');
    const start = message;
    const send = vi.mocked(sendMessages);
    send.mockClear();
    faults.send = true;
    try {
      await expect(fanOutRun(start)).rejects.toThrow(/queue unavailable/);
    } finally {
      faults.send = false;
    }
    expect((await getRun(run.id))?.total).toBeUndefined();

    const again = await fanOutRun(start);
    expect(again.skipped).toBe(false);
    expect(again.total).toBe(ids.length);
    expect(send).toHaveBeenLastCalledWith(QUEUES.recomputeRun, again.pages);
    expect(again.pages.flatMap((m) => (m.kind === 'page' ? m.partnerIds : [])).sort()).toEqual([...ids].sort());
    expect((await getRun(run.id))?.total).toBe(ids.length);

    send.mockClear();
    expect((await fanOutRun(start)).skipped).toBe(true);
    expect(send).not.toHaveBeenCalled();
  });

  it('retries the directory registration of a new partner when it failed on the first recompute', async () => {
    const p = newPartnerId('d');
    await importSnapshotAsState(partnerSnapshot(p, DATE));
    // The import registers the partner; take it out again, as for a partner created by its first webhook event.
    for (let n = 0; n < DIRECTORY_BUCKETS; n++) {
      await updateDoc<{ id: string; partnerId: string; partnerIds: string[] }>(DIRECTORY_PARTITION, `partner-directory:${n}`, () => ({ id: `partner-directory:${n}`, partnerId: DIRECTORY_PARTITION, partnerIds: [] }), (d) => {
        if (!d.partnerIds.includes(p)) return false;
        d.partnerIds = d.partnerIds.filter((x) => x !== p);
        return true;
      });
    }
    expect(await listDirectory()).not.toContain(p);
    faults.register = true;
    try {
      await expect(recomputePartner(p, { date: DATE, reason: 'manual' })).rejects.toThrow(/directory bucket busy/);
    } finally {
      faults.register = false;
    }
    await recomputePartner(p, { date: DATE, reason: 'manual' });
    expect(await listDirectory()).toContain(p);
    expect((await readScoreStatus(p))?.latestDate).toBe(DATE);
  });

  it('a recompute of an older state does not overwrite the status or day written from a newer one', async () => {
    const { p, status, day, v } = await scoredPartner('v');
    // A concurrent recompute of a newer state committed while this one was running.
    await upsertDoc({ ...day, stateVersion: v + 1 });
    await upsertDoc({ ...status, stateVersion: v + 1, contentHash: 'newer', reason: 'state-change' });
    const res = await recomputePartner(p, { date: DATE, reason: 'nightly' });
    expect(res.changed).toBe(false);
    expect(await readScoreStatus(p)).toMatchObject({ stateVersion: v + 1, contentHash: 'newer', reason: 'state-change' });
    expect((await readScoreDay(p, DATE))?.stateVersion).toBe(v + 1);
  });

  it('does not put an older day document back when the status it read was not yet the newer one', async () => {
    const { p, status, day, v } = await scoredPartner('w');
    // The newer recompute has written its day document but not yet its status.
    await upsertDoc({ ...day, stateVersion: v + 1 });
    await upsertDoc({ ...status, contentHash: 'stale' });
    await recomputePartner(p, { date: DATE, reason: 'nightly' });
    expect((await readScoreDay(p, DATE))?.stateVersion).toBe(v + 1);
  });
});
