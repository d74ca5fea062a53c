import { appScoringSettings } from '../config/scoring';
import { claimRecompute, releaseRecompute, type RecomputeClaim, type SendMessages } from './request';
import { loadPartnerState, type LoadedState } from '../state/state-store';
import { RequestCharges } from '../store/request-charges';
import { monthIndex, monthLabel, monthOf } from '../lib/dates';
import type { HistoryDoc } from '../score-history/documents';
import { readHistory, readScoreStatus } from '../score-history/score-store';
import { lastQualifiedFromHistory, planRecompute, type StatusChange } from './plan';
import { commitRecompute } from './commit';

export interface RecomputeResult {
  outcome: 'done' | 'unknown-partner';
  date: string;
  /** False when the stored documents already held exactly this result (a rerun wrote nothing). */
  changed: boolean;
  statusChanges: StatusChange[];
  /** Alerts whose notification should be (re)sent. */
  notify: string[];
  charges: RequestCharges;
}

export interface RecomputeOptions {
  date: string;
  reason: string;
  runId?: string;
  now?: Date;
  charges?: RequestCharges;
  /** Sends the follow-up recompute request; tests pass their own to interleave workers. */
  send?: SendMessages;
  /** A retried message: its earlier attempt may have died holding the partner's running marker (see claimRecompute). */
  retry?: boolean;
}

/**
 * Claims the partner's pending recompute request (if any) before reading the state it scores, so a change after the
 * claim asks for a follow-up. Nightly runs mostly find no request: one read of the profile, no write.
 */
async function loadFresh(partnerId: string, charges: RequestCharges, now: Date, retry: boolean): Promise<{ state: LoadedState | undefined; claim: RecomputeClaim | undefined }> {
  const { claim, profile } = await claimRecompute(partnerId, { charges, now, takeOver: retry });
  if (!profile) return { state: undefined, claim };
  return { state: await loadPartnerState(partnerId, charges, { profile }), claim };
}

/** Once per partner whose status predates lastQualifiedOn: the window's history documents say when each area qualified. */
async function qualifyingDaysFromHistory(partnerId: string, date: string, current: HistoryDoc | undefined, charges: RequestCharges) {
  const m = monthIndex(date);
  const earlier = await Promise.all([1, 2, 3, 4, 5].map((k) => readHistory(partnerId, monthLabel(m - k), charges)));
  return lastQualifiedFromHistory([current, ...earlier], date);
}

/**
 * Recomputes all six areas of one partner for `date` and stores the day's score document, the month's
 * history entry and the current status. Idempotent: the same state on the same day yields the same
 * documents, and a rerun that would change nothing writes nothing.
 */
export async function recomputePartner(partnerId: string, opts: RecomputeOptions): Promise<RecomputeResult> {
  const charges = opts.charges ?? new RequestCharges();
  const now = opts.now ?? new Date();
  const date = opts.date;
  const [{ state, claim }, status, history] = await Promise.all([loadFresh(partnerId, charges, now, opts.retry ?? false), readScoreStatus(partnerId, charges), readHistory(partnerId, monthOf(date), charges)]);
  try {
    if (!state) return { outcome: 'unknown-partner', date, changed: false, statusChanges: [], notify: [], charges };
    const lastQualifiedOn = status?.lastQualifiedOn ?? (status ? await qualifyingDaysFromHistory(partnerId, date, history, charges) : undefined);
    // The time the score is computed, after the reads: what the score answers and the delivery status call scoredAt.
    const scoredAt = opts.now ?? new Date();
    const plan = planRecompute({ partnerId, state, status, lastQualifiedOn, date, settings: appScoringSettings(), now: scoredAt, reason: opts.reason, runId: opts.runId });
    if (plan.kind === 'nothing-changed') return { outcome: 'done', date, changed: false, statusChanges: [], notify: [], charges };
    const notify = await commitRecompute(plan, { partnerId, status, history, now: scoredAt, charges });
    return { outcome: 'done', date, changed: true, statusChanges: plan.statusChanges, notify, charges };
  } finally {
    // Also after a failure: the changes that came in meanwhile get their follow-up (the message is retried as well).
    if (claim) await releaseRecompute(claim, { charges, send: opts.send, reason: opts.reason === 'cert-sync' ? 'cert-sync' : 'state-change' });
  }
}
