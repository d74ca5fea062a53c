import { app, output, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { setTranscriptLink, type Outcome } from '../shared/certsync/registration';
import type { CertSyncMessage } from '../shared/certsync/run';
import { transcriptBodySchema } from '../shared/certsync/schemas';
import { readJsonBody } from '../shared/http/request-body';
import { badRequest, notFound, ok } from '../shared/http/responses';
import { partnerIdParam, routeParam, type Parsed } from '../shared/http/request';
import { professionalIdSchema } from '../shared/lib/ids';
import { QUEUES } from '../shared/queues/names';
import { withTrace } from '../shared/queues/trace';

/** A professional's Microsoft Learn transcript share link, read by the certification sync. */

const partnerQueue = output.storageQueue({ queueName: QUEUES.certSync, connection: 'AzureWebJobsStorage' });

function respond<T>(o: Outcome<T>): HttpResponseInit {
  if (o.kind === 'invalid') return badRequest(o.reason, o.details);
  if (o.kind === 'not-found') return notFound(o.reason);
  return ok(o.value);
}

/** The route's partner and professional, each checked with its id rule. */
function personOf(request: HttpRequest): Parsed<{ partnerId: string; professionalId: string }> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId;
  const professionalId = routeParam(request, 'professionalId', professionalIdSchema);
  if (!professionalId.ok) return professionalId;
  return { ok: true, value: { partnerId: partnerId.value, professionalId: professionalId.value } };
}

/** PUT /api/partners/{partnerId}/professionals/{professionalId}/transcript with {url}. */
export async function putTranscript(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const ids = personOf(request);
  if (!ids.ok) return ids.response;
  const { partnerId, professionalId } = ids.value;
  const body = await readJsonBody(request, transcriptBodySchema);
  if (!body.ok) return body.response;
  const res = await setTranscriptLink(partnerId, professionalId, body.value.url);
  if (res.kind === 'ok') {
    // Read the new link now rather than at night, so the person's certifications show up within seconds.
    const message: CertSyncMessage = { partnerId };
    context.extraOutputs.set(partnerQueue, withTrace([message]));
    context.log(`Transcript link of professional ${professionalId} (partner ${partnerId}) set to share ${res.value.shareId}; sync requested.`);
    return ok({ ...res.value, syncRequested: true });
  }
  context.warn(`Transcript link for professional ${professionalId} (partner ${partnerId}) refused: ${res.reason}`);
  return respond(res);
}

/** DELETE /api/partners/{partnerId}/professionals/{professionalId}/transcript: stop reading it. */
export async function deleteTranscript(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const ids = personOf(request);
  if (!ids.ok) return ids.response;
  const { partnerId, professionalId } = ids.value;
  const res = await setTranscriptLink(partnerId, professionalId, null);
  if (res.kind === 'ok') context.log(`Transcript link of professional ${professionalId} (partner ${partnerId}) removed.`);
  return respond(res);
}

app.http('transcriptsPut', { route: 'partners/{partnerId}/professionals/{professionalId}/transcript', methods: ['PUT'], authLevel: 'anonymous', extraOutputs: [partnerQueue], handler: putTranscript });
app.http('transcriptsDelete', { route: 'partners/{partnerId}/professionals/{professionalId}/transcript', methods: ['DELETE'], authLevel: 'anonymous', handler: deleteTranscript });
