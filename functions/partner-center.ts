import { app, output, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from '@azure/functions';
import { getSettings } from '../shared/config/settings';
import { recordDeadLetter, recordFailure } from '../shared/deadletters/dead-letter-store';
import { PermanentMessageError } from '../shared/deliveries/process';
import { accepted, badRequest, errorResponse, ok, unauthorized } from '../shared/http/responses';
import { readRawBody } from '../shared/http/request-body';
import { routeParam } from '../shared/http/request';
import { writablePartnerIdSchema } from '../shared/lib/ids';
import { processPartnerCenterMessage } from '../shared/partner-center/process';
import { pullMessageSchema, pullPartnerCenter, type PullMessage } from '../shared/partner-center/pull';
import { parseQueueMessage } from '../shared/queues/message';
import { receivePartnerCenterEvent } from '../shared/partner-center/receive';
import { QUEUES } from '../shared/queues/names';
import { continueTrace, withTrace } from '../shared/queues/trace';

const pullQueue = output.storageQueue({ queueName: QUEUES.partnerCenterPull, connection: 'AzureWebJobsStorage' });

/** POST /api/partner-center/{partnerId}/events: a Partner Center webhook event, signed by Microsoft (docs/partner-center.md). */
export async function partnerCenterEvents(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  // A malformed id is a 400 naming partnerId on every route; a well-formed one not taking Partner Center events is a 401.
  const id = routeParam(request, 'partnerId', writablePartnerIdSchema);
  if (!id.ok) return id.response;
  const partnerId = id.value;
  const body = await readRawBody(request);
  if (!body.ok) return body.response;
  const result = await receivePartnerCenterEvent({
    partnerId,
    raw: body.value,
    headers: { authorization: request.headers.get('authorization'), certificateUrl: request.headers.get('x-ms-certificate-url'), signatureAlgorithm: request.headers.get('x-ms-signature-algorithm') },
  });
  const tag = `partner-center ${partnerId.slice(0, 128)}`;
  switch (result.kind) {
    case 'unauthorized':
      // The reason stays in the log: a caller probing the endpoint learns nothing from the answer.
      context.warn(`${tag}: refused, ${result.logReason}`);
      return unauthorized('The request is not a Partner Center event signed for this endpoint (see docs/partner-center.md).');
    case 'bad-request':
      return badRequest(result.message, result.details);
    case 'unavailable':
      context.error(`${tag}: ${result.logReason}`);
      return errorResponse(503, 'ServiceUnavailable', 'The event could not be recorded; nothing was stored. Partner Center will retry.', {}, { 'retry-after': '10' });
    case 'duplicate':
      context.log(`${tag}: ${result.eventName} is a redelivery of ${result.receiptId}`);
      return ok({ status: 'duplicate', eventName: result.eventName, receivedAt: result.receivedAt });
    case 'recorded':
      context.log(`${tag}: ${result.eventName} recorded as ${result.handling} (${result.receiptId})`);
      return ok({ status: 'recorded', eventName: result.eventName });
    case 'queued':
      context.log(`${tag}: ${result.eventName} queued (${result.receiptId})`);
      return accepted({ status: 'accepted', eventName: result.eventName });
  }
}

/** Reads the resource a Partner Center event points to and applies it (queue `partner-center-events`). */
export async function partnerCenterApply(queueItem: unknown, context: InvocationContext): Promise<void> {
  const text = () => (typeof queueItem === 'string' ? queueItem : JSON.stringify(queueItem));
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  const ref = (queueItem as { receiptId?: string } | null)?.receiptId ?? '(unknown event)';
  try {
    const r = await processPartnerCenterMessage(queueItem, { retry: dequeueCount > 1 });
    context.log(`partner-center ${ref}: ${r.message.event.EventName} ${r.changed ? 'changed the state' : 'changed nothing'} ${JSON.stringify(r.recorded ?? {})}`);
  } catch (e) {
    if (e instanceof PermanentMessageError) {
      const dl = await recordDeadLetter({ queue: QUEUES.partnerCenter, body: text(), reason: e.message });
      context.error(`partner-center ${ref}: dead-lettered as ${dl.id}: ${e.message}`);
      return;
    }
    // The host tries again up to maxDequeueCount, then parks the message in the poison queue (dead-letter intake).
    await recordFailure(QUEUES.partnerCenter, text(), e).catch((err) => context.warn(`partner-center ${ref}: could not record the failure: ${(err as Error).message}`));
    context.error(`partner-center ${ref} failed on attempt ${dequeueCount}: ${(e as Error).message}`);
    throw e;
  }
}

app.http('partnerCenterEvents', { route: 'partner-center/{partnerId}/events', methods: ['POST'], authLevel: 'anonymous', handler: partnerCenterEvents });
app.storageQueue('partnerCenterApply', { queueName: QUEUES.partnerCenter, connection: 'AzureWebJobsStorage', handler: continueTrace('partnerCenterApply', partnerCenterApply) });

/** Nightly: asks for the pull of the partner whose Partner Center account the app reads (PARTNER_CENTER_PULL_PARTNER_ID). */
export async function partnerCenterPullTimer(timer: Timer, context: InvocationContext): Promise<void> {
  const partnerId = getSettings().PARTNER_CENTER_PULL_PARTNER_ID;
  if (!partnerId) {
    context.log('Partner Center pull: off (PARTNER_CENTER_PULL_PARTNER_ID is not set).');
    return;
  }
  const message: PullMessage = { kind: 'partner-center-pull', partnerId, trigger: timer.isPastDue ? 'timer (past due)' : 'timer' };
  context.extraOutputs.set(pullQueue, withTrace([message]));
  context.log(`Partner Center pull of partner ${partnerId}: requested.`);
}

/** Lists the partner's customers in Partner Center and reconciles its CSP associations with them (queue `partner-center-pull`). */
export async function partnerCenterPull(queueItem: unknown, context: InvocationContext): Promise<void> {
  const m = parseQueueMessage(pullMessageSchema, queueItem, QUEUES.partnerCenterPull, (t) => context.error(t));
  if (!m) return;
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  const who = `Partner Center pull of partner ${m.partnerId}`;
  try {
    const r = await pullPartnerCenter(m.partnerId, { retry: dequeueCount > 1 });
    context.log(`${who}: ${r.customers} customers in ${r.pages} pages, ${r.relationships} CSP relationships: ${r.started} started (${r.datedBySubscription} dated by their first subscription), ${r.ended} ended, ${r.tierChanged} changed tier, ${r.inPlace} already in place${r.changed ? ', recompute requested' : ''}.`);
    if (r.endsWithheld) context.warn(`${who}: Partner Center listed no customers while ${r.endsWithheld} CSP associations are active; none was ended. Check PARTNER_CENTER_PULL_PARTNER_ID and the app registration's Partner Center account.`);
  } catch (e) {
    if (e instanceof PermanentMessageError) {
      const dl = await recordDeadLetter({ queue: QUEUES.partnerCenterPull, body: JSON.stringify(m), reason: e.message });
      context.error(`${who}: dead-lettered as ${dl.id}: ${e.message}`);
      return;
    }
    await recordFailure(QUEUES.partnerCenterPull, JSON.stringify(m), e).catch((err) => context.warn(`${who}: could not record the failure: ${(err as Error).message}`));
    context.error(`${who} failed on attempt ${dequeueCount}: ${(e as Error).message}`);
    throw e;
  }
}

app.timer('partnerCenterPullTimer', { schedule: '%PARTNER_CENTER_PULL_SCHEDULE%', runOnStartup: false, useMonitor: true, extraOutputs: [pullQueue], handler: partnerCenterPullTimer });
app.storageQueue('partnerCenterPull', { queueName: QUEUES.partnerCenterPull, connection: 'AzureWebJobsStorage', handler: continueTrace('partnerCenterPull', partnerCenterPull) });
