import { app, output, type InvocationContext, type Timer } from '@azure/functions';
import { certSyncMessageSchema, certSyncRunMessageSchema, handleRunMessage, type CertSyncRunMessage } from '../shared/certsync/run';
import { todayUtc } from '../shared/lib/dates';
import { processCertSyncMessage } from '../shared/certsync/worker';
import { parseQueueMessage } from '../shared/queues/message';
import { QUEUES } from '../shared/queues/names';
import { maxDequeueCount } from '../shared/queues/max-dequeue-count';
import { continueTrace, withTrace } from '../shared/queues/trace';

/** Nightly certification sync: timer -> start message -> pages of partner ids -> one message per partner. */

const runQueue = output.storageQueue({ queueName: QUEUES.certSyncRun, connection: 'AzureWebJobsStorage' });
const partnerQueue = output.storageQueue({ queueName: QUEUES.certSync, connection: 'AzureWebJobsStorage' });

export async function certSyncTimer(timer: Timer, context: InvocationContext): Promise<void> {
  const date = todayUtc();
  if (timer.isPastDue) context.warn(`Certification sync for ${date} is running late (timer past due); starting it now.`);
  const start: CertSyncRunMessage = { kind: 'start', date, trigger: timer.isPastDue ? 'timer (past due)' : 'timer' };
  context.extraOutputs.set(runQueue, withTrace([start]));
  context.log(`Certification sync ${date}: start requested.`);
}

export async function certSyncRunMessage(message: unknown, context: InvocationContext): Promise<void> {
  const m = parseQueueMessage(certSyncRunMessageSchema, message, QUEUES.certSyncRun, (t) => context.error(t));
  if (!m) return;
  const step = await handleRunMessage(m);
  if (step.next.length) context.extraOutputs.set(runQueue, withTrace(step.next));
  if (step.partners.length) context.extraOutputs.set(partnerQueue, withTrace(step.partners));
  context.log(`Certification sync: ${step.note}; ${step.partners.length} partner messages.`);
}

export async function certSyncPartnerMessage(message: unknown, context: InvocationContext): Promise<void> {
  const m = parseQueueMessage(certSyncMessageSchema, message, QUEUES.certSync, (t) => context.error(t));
  if (!m) return;
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  const who = `partner ${m.partnerId}${m.runId ? ` (run ${m.runId})` : ''}`;
  try {
    const res = await processCertSyncMessage(m, { dequeueCount, maxDequeueCount: maxDequeueCount() });
    const c = res.record?.counts;
    const summary = c ? `${c.professionals} professionals, +${c.added} added, ${c.renewed} renewed, ${c.expired} expired, ${c.removed} removed, ${res.record!.requests} requests${res.record!.recomputeRequested ? ', recompute requested' : ''}` : res.reason;
    if (res.outcome === 'done') context.log(`Certification sync of ${who}: ${summary}.`);
    else context.warn(`Certification sync of ${who} is ${res.outcome}: ${res.reason}; ${summary}.`);
  } catch (e) {
    context.error(`Certification sync of ${who} failed on attempt ${dequeueCount}: ${(e as Error).stack ?? e}`);
    throw e;
  }
}

app.timer('certSyncTimer', { schedule: '%CERT_SYNC_SCHEDULE%', runOnStartup: false, useMonitor: true, extraOutputs: [runQueue], handler: certSyncTimer });
app.storageQueue('certSyncRun', { queueName: QUEUES.certSyncRun, connection: 'AzureWebJobsStorage', extraOutputs: [runQueue, partnerQueue], handler: continueTrace('certSyncRun', certSyncRunMessage) });
app.storageQueue('certSyncPartner', { queueName: QUEUES.certSync, connection: 'AzureWebJobsStorage', handler: continueTrace('certSyncPartner', certSyncPartnerMessage) });
