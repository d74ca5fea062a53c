import { createHash } from 'node:crypto';
import { z } from 'zod';
import { getSettings } from '../config/settings';
import { recordDeadLetter } from '../deadletters/dead-letter-store';
import { QUEUES } from '../queues/names';
import { sendMessages } from '../queues/send';
import { DOC_IDS, type ProfileDoc } from '../state/documents';
import { readStateDoc } from '../state/state-store';
import { backoffDelayMs, parseRetryAfterMs } from '../lib/retry';
import { signedHeaders } from '../lib/signing';
import { getAlert, updateAlertNotification } from './alert-store';

/**
 * Delivers an alert to the partner's notification URL as a Standard Webhooks request: the webhook-id stays the same
 * across retries (the receiver dedupes on it), the timestamp and signature are those of each attempt. Failures are
 * retried by re-enqueuing the message with a growing, jittered delay (honouring Retry-After), then dead-lettered.
 */
export const notificationMessageSchema = z.object({
  partnerId: z.string().min(1),
  alertId: z.string().min(1),
  attempt: z.number().int().min(1).default(1),
});
export type NotificationMessage = z.infer<typeof notificationMessageSchema>;

export const NOTIFICATION_TIMEOUT_MS = 15_000;

export type DeliveryOutcome =
  | { result: 'delivered'; status: number }
  | { result: 'skipped'; reason: string }
  | { result: 'retry'; reason: string; delaySeconds: number }
  | { result: 'gave-up'; reason: string };

export const webhookIdOf = (partnerId: string, alertId: string) => `alert_${createHash('sha256').update(`${partnerId}\n${alertId}`).digest('base64url').slice(0, 32)}`;

/** Seconds before the next attempt: the service's one backoff (shared/lib/retry.ts) from `base` seconds, at most a day, never before the receiver's Retry-After. */
export function retryDelaySeconds(attempt: number, base: number, retryAfterSeconds?: number, random = Math.random): number {
  const ms = backoffDelayMs(attempt, retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000, { baseDelayMs: base * 1000, maxDelayMs: 24 * 3600 * 1000, random });
  return Math.ceil(ms / 1000);
}

export async function deliverNotification(message: NotificationMessage, opts: { now?: Date; fetchImpl?: typeof fetch } = {}): Promise<DeliveryOutcome> {
  const settings = getSettings();
  const now = opts.now ?? new Date();
  const { partnerId, alertId, attempt } = message;
  const [profile, alert] = await Promise.all([readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile), getAlert(partnerId, alertId)]);
  if (!alert) return { result: 'skipped', reason: `alert ${alertId} no longer exists` };
  if (alert.notification.state === 'delivered') return { result: 'skipped', reason: 'already delivered' };
  const url = profile?.notificationUrl;
  if (!url) {
    await updateAlertNotification(partnerId, alertId, (n) => ({ ...n, state: 'none' }));
    return { result: 'skipped', reason: 'the partner has no notification URL' };
  }
  if (!settings.NOTIFICATION_SECRET) {
    await updateAlertNotification(partnerId, alertId, (n) => ({ ...n, state: 'failed', lastError: 'NOTIFICATION_SECRET is not configured' }));
    return { result: 'skipped', reason: 'NOTIFICATION_SECRET is not configured' };
  }
  const body = JSON.stringify({ type: `pcs.alert.${alert.kind}`, timestamp: now.toISOString(), data: { partnerId, alert: { ...alert, notification: undefined } } });
  const id = webhookIdOf(partnerId, alertId);
  let failure: string;
  let retryAfter: number | undefined;
  let permanent = false;
  try {
    const res = await (opts.fetchImpl ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(settings.NOTIFICATION_SECRET.trim().split(/\s+/), id, body, Math.floor(now.getTime() / 1000)) },
      body,
      signal: AbortSignal.timeout(NOTIFICATION_TIMEOUT_MS),
      redirect: 'manual',
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) {
      await updateAlertNotification(partnerId, alertId, (n) => ({ state: 'delivered', attempts: Math.max(n.attempts, attempt), deliveredAt: now.toISOString() }));
      return { result: 'delivered', status: res.status };
    }
    failure = `HTTP ${res.status} from the notification URL`;
    const retryAfterMs = parseRetryAfterMs(res.headers.get('retry-after'), now.getTime());
    retryAfter = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
    // 410 Gone: the receiver says the endpoint is retired (Standard Webhooks); retrying cannot help.
    permanent = res.status === 410;
  } catch (e) {
    failure = `request failed: ${(e as Error).message}`;
  }
  if (permanent || attempt >= settings.NOTIFICATION_MAX_ATTEMPTS) {
    const reason = `notification of alert ${alertId} to ${url} gave up after ${attempt} attempts: ${failure}`;
    await updateAlertNotification(partnerId, alertId, (n) => ({ ...n, state: 'failed', attempts: attempt, lastError: failure }));
    await recordDeadLetter({ queue: QUEUES.notifications, body: message, reason, partnerId });
    return { result: 'gave-up', reason };
  }
  const delaySeconds = retryDelaySeconds(attempt, settings.NOTIFICATION_RETRY_BASE_SECONDS, retryAfter);
  await updateAlertNotification(partnerId, alertId, (n) => ({ ...n, state: 'pending', attempts: attempt, lastError: failure }));
  // A delayed message is the backoff: the queue keeps it invisible until the next attempt is due.
  await sendMessages(QUEUES.notifications, [{ partnerId, alertId, attempt: attempt + 1 } satisfies NotificationMessage], { delaySeconds });
  return { result: 'retry', reason: failure, delaySeconds };
}
