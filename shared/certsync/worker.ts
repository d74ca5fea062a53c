import { recordRunResult } from '../runs/run-store';
import type { CertSyncMessage } from './run';
import { syncPartner, type PartnerSyncResult, type SyncOptions } from './sync';

/**
 * One partner's message: sync it and count the outcome in its run. An error is thrown back to the queue so the
 * host retries the message; on the last attempt the partner is first counted as failed, so the run still
 * finishes while the message goes on to the poison queue and the dead-letter store.
 */
export async function processCertSyncMessage(msg: CertSyncMessage, attempt: { dequeueCount: number; maxDequeueCount: number }, opts: SyncOptions = {}): Promise<PartnerSyncResult> {
  let result: PartnerSyncResult;
  try {
    result = await syncPartner(msg.partnerId, { ...opts, ...(msg.runId ? { runId: msg.runId } : {}) });
  } catch (e) {
    if (msg.runId && attempt.dequeueCount >= attempt.maxDequeueCount) {
      await recordRunResult(msg.runId, msg.partnerId, 'failed', `gave up after ${attempt.dequeueCount} attempts: ${(e as Error).message}`);
    }
    throw e;
  }
  if (msg.runId) await recordRunResult(msg.runId, msg.partnerId, result.outcome, result.reason);
  return result;
}
