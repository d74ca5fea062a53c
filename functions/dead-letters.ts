import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { deadLetterQuerySchema, replayQuerySchema } from '../shared/deadletters/http';
import { DeadLetterAlreadyReplayed, DeadLetterNotFound, listDeadLetters, replayDeadLetter } from '../shared/deadletters/dead-letter-store';
import { conflict, notFound, ok } from '../shared/http/responses';
import { invalidQuery, parseQuery } from '../shared/http/request';

/** GET /api/dead-letters?queue=&partnerId=&status=&limit=&continuationToken= */
export async function listDeadLettersHttp(request: HttpRequest): Promise<HttpResponseInit> {
  const q = parseQuery(request, deadLetterQuerySchema);
  if (!q.ok) return q.response;
  try {
    return ok(await listDeadLetters(q.value));
  } catch (e) {
    if ((e as { code?: number }).code === 400 && q.value.continuationToken) return invalidQuery('continuationToken', 'not a token from a previous page');
    throw e;
  }
}

/** POST /api/dead-letters/{id}/replay[?force=true] */
export async function replayDeadLetterHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const id = request.params.id ?? '';
  const q = parseQuery(request, replayQuerySchema);
  if (!q.ok) return q.response;
  if (!/^[0-9a-f-]{36}$/i.test(id)) return notFound(`No dead letter ${id.slice(0, 100)}.`);
  try {
    const doc = await replayDeadLetter(id, { force: q.value.force });
    context.log(`dead letter ${id} replayed to queue ${doc.queue}${doc.partnerIds.length ? ` (partner ${doc.partnerIds.join(', ')})` : ''}`);
    return ok({ status: 'replayed', deadLetter: doc });
  } catch (e) {
    if (e instanceof DeadLetterNotFound) return notFound(e.message);
    if (e instanceof DeadLetterAlreadyReplayed) return conflict(e.message);
    throw e;
  }
}

app.http('deadLettersList', { route: 'dead-letters', methods: ['GET'], authLevel: 'anonymous', handler: listDeadLettersHttp });
app.http('deadLettersReplay', { route: 'dead-letters/{id}/replay', methods: ['POST'], authLevel: 'anonymous', handler: replayDeadLetterHttp });
