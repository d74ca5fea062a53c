import { app, type InvocationContext } from '@azure/functions';
import { recordDeadLetter, recordFailure } from '../shared/deadletters/dead-letter-store';
import { PermanentMessageError, processDelivery } from '../shared/deliveries/process';
import { QUEUES } from '../shared/queues/names';
import { continueTrace } from '../shared/queues/trace';

/** Applies an accepted webhook delivery to the partners' state documents (queue `webhook-events`). */
export async function applyEvents(queueItem: unknown, context: InvocationContext): Promise<void> {
  const text = () => (typeof queueItem === 'string' ? queueItem : JSON.stringify(queueItem));
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  const item = queueItem as { receiptId?: string; deliveries?: unknown[] } | null;
  const ref = item?.receiptId ?? (Array.isArray(item?.deliveries) ? `batch of ${item.deliveries.length} deliveries` : '(unknown delivery)');
  try {
    const { results, unusable, charges } = await processDelivery(queueItem, { retry: dequeueCount > 1 });
    for (const u of unusable) {
      const dl = await recordDeadLetter({ queue: QUEUES.events, body: u.delivery, reason: u.reason, partnerIds: u.delivery.partnerIds });
      context.error(`delivery ${u.delivery.receiptId}: dead-lettered as ${dl.id}: ${u.reason}`);
    }
    const counts: Record<string, number> = {};
    for (const r of results) {
      for (const o of r.outcomes) {
        counts[o.result] = (counts[o.result] ?? 0) + 1;
        if (o.result === 'refused') context.warn(`delivery ${ref} partner ${r.partnerId} event ${o.eventId} (${o.type}) refused: ${o.reason}`);
      }
    }
    // One line per message: with batched deliveries a line per partner would cost more than the work it describes.
    const partners = results.map((r) => r.partnerId);
    context.log(`delivery ${ref}: ${JSON.stringify(counts)} for ${partners.length} partner(s) ${partners.slice(0, 5).join(', ')}${partners.length > 5 ? ', ...' : ''}; ${charges.reads} reads, ${charges.writes} writes, ${charges.requestCharge.toFixed(1)} RU`);
  } catch (e) {
    if (e instanceof PermanentMessageError) {
      // Retrying cannot help; straight to the dead-letter store so an operator sees it now, not after five attempts.
      const dl = await recordDeadLetter({ queue: QUEUES.events, body: text(), reason: e.message });
      context.error(`delivery ${ref}: dead-lettered as ${dl.id}: ${e.message}`);
      return;
    }
    await recordFailure(QUEUES.events, text(), e).catch((err) => context.warn(`delivery ${ref}: could not record the failure: ${(err as Error).message}`));
    context.error(`delivery ${ref} failed on attempt ${dequeueCount}: ${(e as Error).message}`);
    throw e;
  }
}

app.storageQueue('applyEvents', { queueName: QUEUES.events, connection: 'AzureWebJobsStorage', handler: continueTrace('applyEvents', applyEvents) });
