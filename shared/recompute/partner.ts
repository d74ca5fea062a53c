import { appScoringSettings } from '../config/scoring';
import { clearRecomputePending } from './request';
import { loadPartnerState, type LoadedState } from '../state/state-store';
import { RequestCharges } from '../store/request-charges';
import { monthOf } from '../lib/dates';
import { readHistory, readScoreStatus } from '../score-history/score-store';
import { planRecompute, type StatusChange } from './plan';
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
}

async function loadFresh(partnerId: string, charges: RequestCharges): Promise<LoadedState | undefined> {
  const state = await loadPartnerState(partnerId, charges);
  // Clearing the coalescing flag before the read that is scored means a change after it asks for a new recompute.
  // Nightly runs mostly find no flag, and skip the extra read and write.
  if (state?.profile.recomputePendingSince) {
    await clearRecomputePending(partnerId, charges);
    return loadPartnerState(partnerId, charges);
  }
  return state;
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
  const [state, status, history] = await Promise.all([loadFresh(partnerId, charges), readScoreStatus(partnerId, charges), readHistory(partnerId, monthOf(date), charges)]);
  if (!state) return { outcome: 'unknown-partner', date, changed: false, statusChanges: [], notify: [], charges };

  const plan = planRecompute({ partnerId, state, status, date, settings: appScoringSettings(), now, reason: opts.reason, runId: opts.runId });
  if (plan.kind === 'nothing-changed') return { outcome: 'done', date, changed: false, statusChanges: [], notify: [], charges };
  const notify = await commitRecompute(plan, { partnerId, status, history, now, charges });
  return { outcome: 'done', date, changed: true, statusChanges: plan.statusChanges, notify, charges };
}
