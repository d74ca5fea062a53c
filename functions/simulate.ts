import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { readJsonBody } from '../shared/http/request-body';
import { badRequest, notFound, ok } from '../shared/http/responses';
import { partnerIdSchema } from '../shared/lib/ids';
import { simulationRequestSchema } from '../shared/simulation/changes';
import { simulate } from '../shared/simulation/simulate';

export async function simulatePartner(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const partnerId = partnerIdSchema.safeParse(request.params.partnerId);
  if (!partnerId.success) return badRequest(`partnerId: ${partnerId.error.issues[0]?.message}`, [{ path: 'partnerId', message: partnerId.error.issues[0]?.message ?? 'invalid' }]);
  const body = await readJsonBody(request, simulationRequestSchema);
  if (!body.ok) return body.response;
  const res = await simulate(partnerId.data, body.value);
  if (!res.ok) {
    if (res.kind === 'unknown-partner') return notFound(`No partner ${partnerId.data}: nothing was submitted for it yet.`);
    return badRequest(`A change does not apply to the stored state: ${res.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, res.problems);
  }
  context.log(`Simulated ${res.value.changes} changes for partner ${partnerId.data} on ${res.value.date} (not stored)`);
  return ok(res.value);
}

app.http('simulate', { route: 'partners/{partnerId}/simulate', methods: ['POST'], authLevel: 'function', handler: simulatePartner });
