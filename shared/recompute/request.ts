import { randomUUID } from 'node:crypto';
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

/**
 * Coalescing, leading edge first (issue 16). The partner's profile carries the marker, so every change sets it in
 * the same etag-guarded write that bumps `stateVersion`, and two instances racing on it are ordered by Cosmos DB:
 *
 *   quiet    -> a change sets `recomputePendingSince` and sends a message visible at once (no coalescing delay);
 *   pending  -> a change only bumps the version: the queued recompute has not read the state yet, so it will see it;
 *   running  -> a change sets `recomputeFollowUp`: the worker that holds `recomputeRunning` sends exactly one
 *               follow-up when it ends, no sooner than RECOMPUTE_COALESCE_SECONDS after its own start.
 *
 * The worker claims (pending -> running) before it reads the state it scores, so every change either happened
 * before the claim (and is read) or sees `running` (and asks for the follow-up). A marker older than its stale
 * limit is treated as lost (a send that failed after its write, a worker that died) and a change asks anew: at
 * worst one extra recompute, never a change left unscored.
 */

/** A pending flag older than this is treated as lost (its message failed to send) and a new request is made. */
export const PENDING_STALE_MS = 2 * 60 * 1000;
/** A running marker older than this is treated as a worker that died: a change enqueues a recompute of its own. */
export const RUNNING_STALE_MS = 60 * 1000;

const isFresh = (iso: string | undefined, limitMs: number, now: Date) => iso !== undefined && now.getTime() - Date.parse(iso) <= limitMs;

export type SendMessages = typeof sendMessages;

async function sendOrTakeBack(partnerId: string, pendingBy: string, message: RecomputeMessage, delaySeconds: number, opts: { charges?: RequestCharges; send?: SendMessages }): Promise<void> {
  try {
    await (opts.send ?? sendMessages)(QUEUES.recompute, [message], { delaySeconds });
  } catch (e) {
    // Without the message the flag would stop the caller's retry from asking again: take back our own flag.
    await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), (doc) => {
      if (doc.recomputePendingBy !== pendingBy) return false;
      delete doc.recomputePendingSince;
      delete doc.recomputePendingBy;
      return true;
    }, { charges: opts.charges }).catch(() => undefined);
    throw e;
  }
}

/**
 * Records that a partner's state changed (its `stateVersion` goes up by one) and makes sure a recompute that
 * reads this change will run: at once when none is pending or running, else by the one pending or the running
 * one's follow-up. Returns the new state version, which the delivery's receipt keeps.
 */
export async function markStateChanged(
  partnerId: string,
  opts: { reason?: RecomputeMessage['reason']; charges?: RequestCharges; now?: Date; send?: SendMessages; retry?: boolean } = {},
): Promise<{ enqueued: boolean; stateVersion: number }> {
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  // Names the pending flag this call sets, so an attempt whose answer was lost knows the flag for its own on the
  // re-read (a timestamp would be shared by two writers of the same millisecond).
  const pendingBy = randomUUID();
  let setPending = false;
  const { doc } = await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), (doc) => {
    doc.stateVersion += 1;
    doc.updatedAt = nowIso;
    // Our own flag, from an attempt whose answer was lost (a timeout, a reset): it still needs its message.
    // On a retried delivery the flag may be our earlier attempt's, written before that attempt failed and never sent:
    // asking again costs at most one extra recompute, trusting it could leave the change unscored (fault suite).
    const ours = doc.recomputePendingBy === pendingBy || (opts.retry === true && doc.recomputePendingSince !== undefined);
    setPending = false;
    if (ours || !isFresh(doc.recomputePendingSince, PENDING_STALE_MS, now)) {
      if (isFresh(doc.recomputeRunning?.since, RUNNING_STALE_MS, now) && !ours) doc.recomputeFollowUp = true;
      else {
        setPending = true;
        doc.recomputePendingSince = nowIso;
        doc.recomputePendingBy = pendingBy;
      }
    }
    return true;
  }, { charges: opts.charges });
  if (!setPending) return { enqueued: false, stateVersion: doc.stateVersion };
  await sendOrTakeBack(partnerId, pendingBy, { partnerId, reason: opts.reason ?? 'state-change' }, 0, opts);
  return { enqueued: true, stateVersion: doc.stateVersion };
}

/** A worker's hold on a partner's recompute, from its claim to its release. */
export interface RecomputeClaim {
  partnerId: string;
  token: string;
  since: Date;
  /** The partner's stateVersion when claimed: a later one at the release means changes came in meanwhile. */
  stateVersion?: number;
}

/**
 * Called by the recompute worker before it reads the state it scores: takes the pending request (changes from now
 * on ask for a follow-up). Returns the profile as written, or undefined (and writes nothing) when no request is
 * pending, as in most nightly recomputes, or when the partner is unknown.
 */
export async function claimRecompute(partnerId: string, opts: { charges?: RequestCharges; now?: Date; takeOver?: boolean } = {}): Promise<{ claim: RecomputeClaim; profile: ProfileDoc } | { claim: undefined; profile: ProfileDoc | undefined }> {
  const since = opts.now ?? new Date();
  const token = randomUUID();
  let exists = true;
  const { doc, changed } = await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, () => {
    exists = false;
    return initProfile(partnerId)();
  }, (doc) => {
    // A retried message takes over a running marker: its earlier attempt most likely died holding it (a fault before
    // or during the release), and changes that only asked that run for a follow-up would otherwise wait for a change
    // that may never come (seen in the fault suite: four partners never scored their last state). If the holder is in
    // fact alive, two recomputes run at once, which is harmless: the overtaken one's release changes nothing.
    // Our own claim, written by an attempt of this call whose answer was lost: it is ours, not someone else's run.
    if (exists && doc.recomputeRunning?.token === token) return true;
    if (!exists || !(doc.recomputePendingSince || (opts.takeOver && doc.recomputeRunning))) return false;
    delete doc.recomputePendingSince;
    delete doc.recomputePendingBy;
    // Whoever ran before (a worker now overtaken) no longer owns the follow-up: this run reads every change so far.
    delete doc.recomputeFollowUp;
    doc.recomputeRunning = { token, since: since.toISOString() };
    return true;
  }, { charges: opts.charges });
  if (!exists) return { claim: undefined, profile: undefined };
  return changed ? { claim: { partnerId, token, since, stateVersion: doc.stateVersion }, profile: doc } : { claim: undefined, profile: doc };
}

/**
 * Called when the claimed recompute ended (stored, or failed): clears the running marker and, when changes came in
 * meanwhile, sends the one follow-up, visible RECOMPUTE_COALESCE_SECONDS after this run started (at once when the
 * run took longer), so a burst is scored by a handful of recomputes and its last state always is.
 */
export async function releaseRecompute(claim: RecomputeClaim, opts: { charges?: RequestCharges; now?: Date; send?: SendMessages; reason?: RecomputeMessage['reason'] } = {}): Promise<{ followUp: boolean }> {
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const pendingBy = randomUUID();
  let followUp = false;
  await updateStateDoc<ProfileDoc>(claim.partnerId, DOC_IDS.profile, initProfile(claim.partnerId), (doc) => {
    // Not our marker: either overtaken (it went stale and another worker claimed, so the follow-up is that worker's),
    // or our own earlier attempt of this write cleared it and its answer was lost (the retry met its own etag and
    // re-read). Then the pending flag it set (its token) is ours and still needs its message (fault suite: partners never scored).
    if (doc.recomputeRunning?.token !== claim.token) {
      followUp = doc.recomputePendingBy === pendingBy;
      return false;
    }
    followUp = false;
    delete doc.recomputeRunning;
    // The flag, or the version: a change whose follow-up flag was lost to a fault still moved the version on.
    if (doc.recomputeFollowUp || (claim.stateVersion !== undefined && doc.stateVersion > claim.stateVersion && !doc.recomputePendingSince)) {
      delete doc.recomputeFollowUp;
      followUp = true;
      doc.recomputePendingSince = nowIso;
      doc.recomputePendingBy = pendingBy;
    }
    return true;
  }, { charges: opts.charges });
  if (!followUp) return { followUp };
  const windowMs = getSettings().RECOMPUTE_COALESCE_SECONDS * 1000;
  const delaySeconds = Math.max(0, Math.ceil((claim.since.getTime() + windowMs - now.getTime()) / 1000));
  await sendOrTakeBack(claim.partnerId, pendingBy, { partnerId: claim.partnerId, reason: opts.reason ?? 'state-change' }, delaySeconds, opts);
  return { followUp };
}
