import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncPartner } from '../../shared/certsync/sync';
import { processCertSyncMessage } from '../../shared/certsync/worker';
import { LearnTranscriptSource } from '../../shared/certsync/sources/learn';
import type { CertSource } from '../../shared/certsync/sources/types';
import { Semaphore } from '../../shared/certsync/limiter';
import { getSettings } from '../../shared/config/settings';
import { getRun, setRunTotal, startRun } from '../../shared/runs/run-store';
import { DOC_IDS, type ProfessionalsDoc } from '../../shared/state/documents';
import { initProfessionals, updateStateDoc } from '../../shared/state/state-store';
import { startFakeLearn, type FakeLearn } from '../../tools/fixtures/fake-learn';
import { isolatedStores } from '../helpers/emulators';
import { uniqueSuffix } from '../helpers/ids';
import { professional, readProfessionals, readProfile, seedPartner } from './helpers';

/**
 * The sync of one partner in process, against the Cosmos emulator, Azurite (recompute requests) and the fake
 * Learn: idempotency, concurrent writers, a source turned off, and the last-attempt failure accounting.
 */

let learn: FakeLearn;
const s = uniqueSuffix();
const link = (shareId: string) => `https://learn.microsoft.com/en-us/users/someone/transcript/${shareId}`;
const learnSource = () => new LearnTranscriptSource({ ...getSettings(), LEARN_BASE_URL: learn.url, CERT_SYNC_MAX_ATTEMPTS: 2, CERT_SYNC_BACKOFF_MS: 10, CERT_SYNC_TIMEOUT_MS: 500 }, new Semaphore(4));

beforeAll(async () => {
  learn = await startFakeLearn();
  await isolatedStores();
  learn.setTranscript(`ada${s}`, [{ name: 'Microsoft Certified: Azure Administrator Associate', dateEarned: '2026-01-15', expiration: '2027-06-15' }]);
});
afterAll(() => learn?.close());

describe('syncing one partner', () => {
  it('asks for a recompute when skilling data changed, and a second sync with the same answers changes nothing', async () => {
    const partnerId = `p-idem-${s}`;
    await seedPartner(partnerId, [professional('ada', { transcriptUrl: link(`ada${s}`) })]);
    const first = await syncPartner(partnerId, { sources: [learnSource()] });
    expect(first.record).toMatchObject({ outcome: 'done', skillingChanged: true, recomputeRequested: true, counts: { added: 1 } });
    const version = (await readProfile(partnerId)).stateVersion;
    expect(version).toBe(1);
    const certs = (await readProfessionals(partnerId)).items.ada!.certifications;
    const second = await syncPartner(partnerId, { sources: [learnSource()] });
    expect(second.record).toMatchObject({ outcome: 'done', skillingChanged: false, recomputeRequested: false, counts: { added: 0, renewed: 0, removed: 0 } });
    expect((await readProfile(partnerId)).stateVersion).toBe(version);
    expect((await readProfessionals(partnerId)).items.ada!.certifications).toEqual(certs);
  });

  it('never loses a change made to the same document while it syncs (etag)', async () => {
    const partnerId = `p-race-${s}`;
    await seedPartner(partnerId, [professional('ada', { transcriptUrl: link(`ada${s}`) })]);
    // A webhook linking another professional lands between the sync's read and its write.
    const slowSource: CertSource = {
      name: 'learn',
      appliesTo: () => true,
      collect: async (ctx) => {
        const report = await learnSource().collect(ctx);
        await updateStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, initProfessionals(partnerId), (d) => {
          d.items.bob = professional('bob');
          return true;
        });
        return report;
      },
    };
    await syncPartner(partnerId, { sources: [slowSource] });
    const doc = await readProfessionals(partnerId);
    expect(Object.keys(doc.items).sort()).toEqual(['ada', 'bob']);
    expect(doc.items.ada!.certifications['azure-administrator-associate']).toBeDefined();
  });

  it('does not read Learn for a partner that turned the source off', async () => {
    const partnerId = `p-off-${s}`;
    await seedPartner(partnerId, [professional('ada', { transcriptUrl: link(`ada${s}`) })]);
    await updateStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, initProfessionals(partnerId), (d) => {
      d.certSources = { learn: false };
      return true;
    });
    learn.resetCounters();
    const res = await syncPartner(partnerId, { sources: [learnSource()] });
    expect(learn.requests).toBe(0);
    expect(res.record).toMatchObject({ outcome: 'done', requests: 0, counts: { professionals: 0 } });
  });

  it('counts a partner as failed on the last attempt only, so the run still finishes', async () => {
    const partnerId = `p-fail-${s}`;
    await seedPartner(partnerId, [professional('ada', { transcriptUrl: link(`ada${s}`) })]);
    const date = '2026-01-02';
    const { run } = await startRun('cert-sync', date);
    await setRunTotal(run.id, 1);
    const broken: CertSource = { name: 'learn', appliesTo: () => true, collect: () => Promise.reject(new Error('source exploded')) };
    await expect(processCertSyncMessage({ partnerId, runId: run.id }, { dequeueCount: 1, maxDequeueCount: 3 }, { sources: [broken] })).rejects.toThrow('source exploded');
    expect(await getRun(run.id)).toMatchObject({ status: 'running', failed: 0 });
    await expect(processCertSyncMessage({ partnerId, runId: run.id }, { dequeueCount: 3, maxDequeueCount: 3 }, { sources: [broken] })).rejects.toThrow('source exploded');
    const after = await getRun(run.id);
    expect(after).toMatchObject({ status: 'finished', failed: 1, failures: [{ partnerId, reason: 'gave up after 3 attempts: source exploded' }] });
  });
});
