import { app, type InvocationContext } from '@azure/functions';
import { deliverNotification, notificationMessageSchema } from '../shared/alerts/deliver';
import { parseQueueMessage } from '../shared/queues/message';
import { QUEUES } from '../shared/queues/names';
import { continueTrace } from '../shared/queues/trace';

export async function notificationMessage(message: unknown, context: InvocationContext): Promise<void> {
  const m = parseQueueMessage(notificationMessageSchema, message, QUEUES.notifications, (t) => context.error(t));
  if (!m) return;
  const res = await deliverNotification(m);
  const who = `alert ${m.alertId} of partner ${m.partnerId}, attempt ${m.attempt}`;
  if (res.result === 'delivered') context.log(`Delivered ${who} (HTTP ${res.status}).`);
  else if (res.result === 'skipped') context.log(`Skipped ${who}: ${res.reason}.`);
  else if (res.result === 'retry') context.warn(`Delivery of ${who} failed (${res.reason}); next attempt in ${res.delaySeconds} s.`);
  else context.error(`Gave up on ${who}: ${res.reason}`);
}

app.storageQueue('partnerNotifications', { queueName: QUEUES.notifications, connection: 'AzureWebJobsStorage', handler: continueTrace('partnerNotifications', notificationMessage) });
