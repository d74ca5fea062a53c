import { z } from 'zod';
import { getSettings } from '../config/settings';
import { QUEUES } from '../queues/names';
import { sendMessages } from '../queues/send';
import { DOC_IDS, type ProfileDoc } from '../state/documents';
import { initProfile, updateStateDoc } from '../state/state-store';
import type { RequestCharges } from '../store/request-charges';

/** A request to recompute one partner's scores (all six areas). */
export const recomputeMessageSchema = z.object({
  partnerId: z.string().min(1),
  reason: z.enum(['state-change', 'nightly', 'cert-sync', 'manual']),
  /** The nightly run this belongs to, so its progress can be recorded. */
  runId: z.string().optional(),
  /** Evaluation date YYYY-MM-DD; default: today (UTC) when the message is processed. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});
export type RecomputeMessage = z.infer<typeof recomputeMessageSchema>;

/** A pending flag older than this is treated as lost (its message failed to send) and a new request is made. */
const PENDING_STALE_MS = 10 * 60 * 1000;

/**
 * Records that a partner's state changed and asks for one recompute. Bursts coalesce: the first
 * change sets `recomputePendingSince` and enqueues a message delayed by RECOMPUTE_COALESCE_SECONDS;
 * changes until that message is picked up only bump the state version.
 */
export async function markStateChanged(
  partnerId: string,
  opts: { reason?: RecomputeMessage['reason']; charges?: RequestCharges; now?: Date; send?: typeof sendMessages } = {},
): Promise<{ enqueued: boolean }> {
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  let setPending = false;
  await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), (doc) => {
    doc.stateVersion += 1;
    doc.updatedAt = nowIso;
    const pending = doc.recomputePendingSince ? Date.parse(doc.recomputePendingSince) : undefined;
    // Our own flag, from an attempt whose answer was lost (a timeout, a reset): it still needs its message.
    const ours = doc.recomputePendingSince === nowIso;
    setPending = ours || pending === undefined || now.getTime() - pending > PENDING_STALE_MS;
    if (setPending) doc.recomputePendingSince = nowIso;
    return true;
  }, { charges: opts.charges });
  if (!setPending) return { enqueued: false };
  const message: RecomputeMessage = { partnerId, reason: opts.reason ?? 'state-change' };
  try {
    await (opts.send ?? sendMessages)(QUEUES.recompute, [message], { delaySeconds: getSettings().RECOMPUTE_COALESCE_SECONDS });
  } catch (e) {
    // Without the message the flag would stop the caller's retry from asking again: take back our own flag.
    await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), (doc) => {
      if (doc.recomputePendingSince !== nowIso) return false;
      delete doc.recomputePendingSince;
      return true;
    }, { charges: opts.charges }).catch(() => undefined);
    throw e;
  }
  return { enqueued: true };
}

/** Called by the recompute worker before it reads the state, so changes after this point request a new recompute. */
export async function clearRecomputePending(partnerId: string, charges?: RequestCharges): Promise<void> {
  await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), (doc) => {
    if (!doc.recomputePendingSince) return false;
    delete doc.recomputePendingSince;
    return true;
  }, { charges });
}
