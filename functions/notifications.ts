import { app, type InvocationContext } from '@azure/functions';
import { deliverNotification, notificationMessageSchema } from '../shared/alerts/deliver';
import { QUEUES } from '../shared/queues/names';
import { zodDetails } from '../shared/lib/validation';

export async function notificationMessage(message: unknown, context: InvocationContext): Promise<void> {
  let value = message;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      // left as is: the schema reports it
    }
  }
  const parsed = notificationMessageSchema.safeParse(value);
  if (!parsed.success) {
    context.error(`Discarding malformed ${QUEUES.notifications} message: ${JSON.stringify(zodDetails(parsed.error))}`);
    return;
  }
  const m = parsed.data;
  const res = await deliverNotification(m);
  const who = `alert ${m.alertId} of partner ${m.partnerId}, attempt ${m.attempt}`;
  if (res.result === 'delivered') context.log(`Delivered ${who} (HTTP ${res.status}).`);
  else if (res.result === 'skipped') context.log(`Skipped ${who}: ${res.reason}.`);
  else if (res.result === 'retry') context.warn(`Delivery of ${who} failed (${res.reason}); next attempt in ${res.delaySeconds} s.`);
  else context.error(`Gave up on ${who}: ${res.reason}`);
}

app.storageQueue('partner-notifications', { queueName: QUEUES.notifications, connection: 'AzureWebJobsStorage', handler: notificationMessage });
