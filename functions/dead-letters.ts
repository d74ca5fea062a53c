import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { deadLetterQuerySchema, replayQuerySchema } from '../shared/deadletters/http';
import { DeadLetterAlreadyReplayed, DeadLetterNotFound, listDeadLetters, replayDeadLetter } from '../shared/deadletters/dead-letter-store';
import { badRequest, conflict, notFound, ok } from '../shared/http/responses';
import { zodDetails } from '../shared/lib/validation';

const queryOf = (request: HttpRequest) => Object.fromEntries(request.query.entries());

function invalidQuery(error: import('zod').ZodError): HttpResponseInit {
  const details = zodDetails(error).map((d) => ({ path: `query.${d.path}`, message: d.message }));
  return badRequest(`Invalid query: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
}

/** GET /api/dead-letters?queue=&partnerId=&status=&limit=&continuationToken= */
export async function listDeadLettersHttp(request: HttpRequest): Promise<HttpResponseInit> {
  const q = deadLetterQuerySchema.safeParse(queryOf(request));
  if (!q.success) return invalidQuery(q.error);
  try {
    return ok(await listDeadLetters(q.data));
  } catch (e) {
    if ((e as { code?: number }).code === 400 && q.data.continuationToken) return badRequest('Invalid query: query.continuationToken: not a token from a previous page', [{ path: 'query.continuationToken', message: 'not a token from a previous page' }]);
    throw e;
  }
}

/** POST /api/dead-letters/{id}/replay[?force=true] */
export async function replayDeadLetterHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const id = request.params.id ?? '';
  const q = replayQuerySchema.safeParse(queryOf(request));
  if (!q.success) return invalidQuery(q.error);
  if (!/^[0-9a-f-]{36}$/i.test(id)) return notFound(`No dead letter ${id.slice(0, 100)}.`);
  try {
    const doc = await replayDeadLetter(id, { force: q.data.force });
    context.log(`dead letter ${id} replayed to queue ${doc.queue}${doc.partnerIds.length ? ` (partner ${doc.partnerIds.join(', ')})` : ''}`);
    return ok({ status: 'replayed', deadLetter: doc });
  } catch (e) {
    if (e instanceof DeadLetterNotFound) return notFound(e.message);
    if (e instanceof DeadLetterAlreadyReplayed) return conflict(e.message);
    throw e;
  }
}

app.http('dead-letters-list', { route: 'dead-letters', methods: ['GET'], authLevel: 'function', handler: listDeadLettersHttp });
app.http('dead-letters-replay', { route: 'dead-letters/{id}/replay', methods: ['POST'], authLevel: 'function', handler: replayDeadLetterHttp });
