import { registerPartner } from './directory';
import { recordAlerts } from '../alerts/alert-store';
import type { RequestCharges } from '../store/request-charges';
import { SCORE_DOC_IDS, type HistoryDoc, type ScoreDayDoc, type ScoreStatusDoc } from '../score-history/documents';
import { updateDoc } from '../score-history/score-store';
import { emptyHistory, emptyStatus } from './score-documents';
import { mergeDay, mergeHistoryDay, mergeStatus, type RecomputePlan } from './plan';

export interface CommitContext {
  partnerId: string;
  /** The status and the month's history as read before planning: the first read of their etag-guarded writes. */
  status: ScoreStatusDoc | undefined;
  history: HistoryDoc | undefined;
  now: Date;
  charges: RequestCharges;
}

/** Writes a recompute's plan; returns the alerts whose notification should be (re)sent. */
export async function commitRecompute(plan: Extract<RecomputePlan, { kind: 'write' }>, ctx: CommitContext): Promise<string[]> {
  const { partnerId, charges } = ctx;
  const { day, history, status } = plan;
  // The day's score, its history entry and the alerts are independent and idempotent: written concurrently.
  // The status goes last: once it holds this result, a rerun finds nothing to do, so everything before it is
  // in place (a crash before it reruns the whole set, and alert ids make the alerts come out the same).
  const [, , notify] = await Promise.all([
    updateDoc<ScoreDayDoc>(partnerId, day.id, () => day, (doc) => mergeDay(doc, day), { charges }),
    updateDoc<HistoryDoc>(partnerId, SCORE_DOC_IDS.history(history.month), () => emptyHistory(partnerId, history.month), (doc) => mergeHistoryDay(doc, history), {
      charges,
      current: ctx.history ?? null,
    }),
    plan.alerts.length ? recordAlerts(partnerId, plan.alerts, { notificationUrl: plan.notificationUrl, now: ctx.now, charges }) : Promise.resolve([] as string[]),
  ]);
  // The first result of a partner puts it in the nightly run's directory: before the status (the commit point),
  // so a failure here is retried by the redelivered message instead of being skipped as "unchanged".
  if (plan.firstResult) await registerPartner(partnerId, charges);
  if (status) {
    await updateDoc<ScoreStatusDoc>(partnerId, SCORE_DOC_IDS.status, () => emptyStatus(partnerId, status.latestDate), (doc) => mergeStatus(doc, status), {
      charges,
      current: ctx.status ?? null,
    });
  }
  return notify;
}
