import { app, output, type InvocationContext, type Timer } from '@azure/functions';
import { parseQueueMessage } from '../shared/queues/message';
import { QUEUES } from '../shared/queues/names';
import { maxDequeueCount } from '../shared/queues/max-dequeue-count';
import { recomputeMessageSchema } from '../shared/recompute/request';
import { beginRecomputeRun, fanOutRun, partnerMessages, runMessageSchema } from '../shared/recompute/run';
import { processRecomputeMessage } from '../shared/recompute/worker';
import { todayUtc } from '../shared/lib/dates';
import { continueTrace, withTrace } from '../shared/queues/trace';

/** Nightly recompute: timer -> start message -> pages of partner ids -> one message per partner. */

const runQueue = output.storageQueue({ queueName: QUEUES.recomputeRun, connection: 'AzureWebJobsStorage' });
const partnerQueue = output.storageQueue({ queueName: QUEUES.recompute, connection: 'AzureWebJobsStorage' });
const notificationQueue = output.storageQueue({ queueName: QUEUES.notifications, connection: 'AzureWebJobsStorage' });

export async function nightlyRecomputeTimer(timer: Timer, context: InvocationContext): Promise<void> {
  const date = todayUtc();
  if (timer.isPastDue) context.warn(`Nightly recompute for ${date} is running late (timer past due); starting it now.`);
  const { run, created, start } = await beginRecomputeRun(date, timer.isPastDue ? 'timer (past due)' : 'timer');
  if (start) context.extraOutputs.set(runQueue, withTrace([start]));
  context.log(`Nightly recompute run ${run.id}: ${created ? 'started' : `already exists (${run.status})`}${start ? ', fan-out requested' : ', nothing to send'}.`);
}

export async function recomputeRunMessage(message: unknown, context: InvocationContext): Promise<void> {
  const m = parseQueueMessage(runMessageSchema, message, QUEUES.recomputeRun, (t) => context.error(t));
  if (!m) return;
  if (m.kind === 'start') {
    const { pages, total, skipped } = await fanOutRun(m);
    if (skipped) context.log(`Run ${m.runId} has already fanned out to ${total} partners; nothing to send.`);
    else context.log(`Run ${m.runId}: ${total} partners in ${pages.length} pages (sent).`);
    return;
  }
  context.extraOutputs.set(partnerQueue, withTrace(partnerMessages(m)));
}

export async function recomputePartnerMessage(message: unknown, context: InvocationContext): Promise<void> {
  const m = parseQueueMessage(recomputeMessageSchema, message, QUEUES.recompute, (t) => context.error(t));
  if (!m) return;
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  const res = await processRecomputeMessage(m, { dequeueCount, maxDequeueCount: maxDequeueCount() });
  const who = `partner ${m.partnerId}${m.runId ? ` (run ${m.runId})` : ''}, ${res.date}, reason ${m.reason}`;
  if (res.outcome === 'failed') context.error(`Recompute of ${who} gave up and was dead-lettered: ${res.reason}`);
  else if (res.outcome === 'stale') context.warn(`Recompute of ${who} skipped: ${res.reason}`);
  else context.log(`Recomputed ${who}: ${res.changed ? 'stored' : 'unchanged'}; ${res.charges.reads} reads, ${res.charges.writes} writes, ${res.charges.requestCharge.toFixed(1)} RU${res.statusChanges.length ? `; status changes: ${res.statusChanges.map((c) => `${c.area} ${c.from}->${c.to}`).join(', ')}` : ''}.`);
  if (res.notifications.length) context.extraOutputs.set(notificationQueue, withTrace(res.notifications));
}

app.timer('scoreRecomputeNightly', { schedule: '%SCORE_RECOMPUTE_SCHEDULE%', runOnStartup: false, useMonitor: true, extraOutputs: [runQueue], handler: nightlyRecomputeTimer });
app.storageQueue('scoreRecomputeRun', { queueName: QUEUES.recomputeRun, connection: 'AzureWebJobsStorage', extraOutputs: [runQueue, partnerQueue], handler: continueTrace('scoreRecomputeRun', recomputeRunMessage) });
app.storageQueue('scoreRecompute', { queueName: QUEUES.recompute, connection: 'AzureWebJobsStorage', extraOutputs: [notificationQueue], handler: continueTrace('scoreRecompute', recomputePartnerMessage) });
