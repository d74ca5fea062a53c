import type { RequestCharges } from '../store/request-charges';
import { MAX_ALERTS, SCORE_DOC_IDS, SCORES_SCHEMA_VERSION, type Alert, type AlertsDoc } from '../score-history/documents';
import { readAlerts, updateDoc } from '../score-history/score-store';

export type NewAlert = Omit<Alert, 'createdAt' | 'notification'>;

const emptyAlerts = (partnerId: string) => (): AlertsDoc => ({ id: SCORE_DOC_IDS.alerts, partnerId, type: 'alerts', schemaVersion: SCORES_SCHEMA_VERSION, items: [] });

/**
 * Adds alerts to the partner's alert list, once each (ids are deterministic: the same condition on a rerun is
 * the same alert). Returns the ids whose notification is still to be delivered, new or left pending by an
 * earlier attempt that did not get as far as enqueuing it.
 */
export async function recordAlerts(partnerId: string, alerts: NewAlert[], opts: { notificationUrl?: string; now?: Date; charges?: RequestCharges } = {}): Promise<string[]> {
  const now = (opts.now ?? new Date()).toISOString();
  let pending: string[] = [];
  await updateDoc<AlertsDoc>(partnerId, SCORE_DOC_IDS.alerts, emptyAlerts(partnerId), (doc) => {
    pending = [];
    let changed = false;
    for (const a of alerts) {
      const existing = doc.items.find((x) => x.id === a.id);
      if (existing) {
        if (existing.notification.state === 'pending') pending.push(a.id);
        continue;
      }
      const notify = !!opts.notificationUrl;
      doc.items.unshift({ ...a, createdAt: now, notification: { state: notify ? 'pending' : 'none', attempts: 0 } });
      if (notify) pending.push(a.id);
      changed = true;
    }
    if (doc.items.length > MAX_ALERTS) doc.items.length = MAX_ALERTS;
    return changed;
  }, { charges: opts.charges });
  return pending;
}

export async function listAlerts(partnerId: string): Promise<Alert[]> {
  return (await readAlerts(partnerId))?.items ?? [];
}

export async function getAlert(partnerId: string, alertId: string): Promise<Alert | undefined> {
  return (await readAlerts(partnerId))?.items.find((a) => a.id === alertId);
}

/** Records a delivery attempt's outcome on the alert. */
export async function updateAlertNotification(partnerId: string, alertId: string, update: (n: Alert['notification']) => Alert['notification']): Promise<void> {
  await updateDoc<AlertsDoc>(partnerId, SCORE_DOC_IDS.alerts, emptyAlerts(partnerId), (doc) => {
    const a = doc.items.find((x) => x.id === alertId);
    if (!a) return false;
    const next = update(a.notification);
    if (JSON.stringify(next) === JSON.stringify(a.notification)) return false;
    a.notification = next;
    return true;
  });
}
