import { QUEUES } from '../queues/names';
import { readCountedRunId, recordRunResult } from '../runs/run-store';
import { recomputePartner } from './partner';
import { todayUtc } from '../lib/dates';
import { isThrottled } from '../store/errors';
import { RequestCharges } from '../store/request-charges';
import { recordDeadLetter } from '../deadletters/dead-letter-store';
import type { RecomputeMessage, SendMessages } from './request';
import type { StatusChange } from './plan';

export interface NotificationMessage {
  partnerId: string;
  alertId: string;
  attempt: number;
}

export interface WorkerOutcome {
  outcome: 'done' | 'stale' | 'failed';
  date: string;
  changed: boolean;
  statusChanges: StatusChange[];
  notifications: NotificationMessage[];
  charges: RequestCharges;
  reason?: string;
}

const describe = (e: unknown) => (isThrottled(e) ? 'throttled by Cosmos DB (429) after every retry' : e instanceof Error ? e.message : String(e));

/**
 * Processes one recompute message. A failure is rethrown so the queue redelivers it, except on the last attempt
 * the host allows: then the partner is recorded as failed in its run and in the dead-letter store with the reason,
 * and the message completes, so the run still finishes.
 */
export async function processRecomputeMessage(message: RecomputeMessage, attempt: { dequeueCount: number; maxDequeueCount: number; now?: Date; send?: SendMessages }): Promise<WorkerOutcome> {
  const now = attempt.now ?? new Date();
  const date = message.date ?? todayUtc(now);
  const charges = new RequestCharges();
  try {
    // The run marker is read alongside the recompute's own reads rather than after them.
    const [res, countedRunId] = await Promise.all([
      // Each Cosmos request of the recompute retries its own 429s (shared/store), so the whole is not retried again here.
      recomputePartner(message.partnerId, { date, reason: message.reason, runId: message.runId, now: attempt.now, charges, send: attempt.send, retry: attempt.dequeueCount > 1 }),
      message.runId ? readCountedRunId(message.runId, message.partnerId) : Promise.resolve(null),
    ]);
    const outcome = res.outcome === 'done' ? 'done' : 'stale';
    if (message.runId) await recordRunResult(message.runId, message.partnerId, outcome, outcome === 'stale' ? 'unknown partner (no profile document)' : undefined, { now, countedRunId });
    return {
      outcome,
      date,
      changed: res.changed,
      statusChanges: res.statusChanges,
      notifications: res.notify.map((alertId) => ({ partnerId: message.partnerId, alertId, attempt: 1 })),
      charges,
      ...(outcome === 'stale' ? { reason: 'unknown partner' } : {}),
    };
  } catch (e) {
    if (attempt.dequeueCount < attempt.maxDequeueCount) throw e;
    const reason = `recompute failed ${attempt.dequeueCount} times: ${describe(e)}`;
    if (message.runId) await recordRunResult(message.runId, message.partnerId, 'failed', reason, { now });
    await recordDeadLetter({ queue: QUEUES.recompute, body: message, reason, partnerId: message.partnerId });
    return { outcome: 'failed', date, changed: false, statusChanges: [], notifications: [], charges, reason };
  }
}
