import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { readJsonBody } from '../shared/http/request-body';
import { notFound, ok, unprocessable } from '../shared/http/responses';
import { invalidInput, partnerIdParam } from '../shared/http/request';
import { simulationRequestSchema } from '../shared/simulation/changes';
import { simulate } from '../shared/simulation/simulate';

export async function simulatePartner(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  const body = await readJsonBody(request, simulationRequestSchema);
  if (!body.ok) return body.response;
  const res = await simulate(partnerId.value, body.value);
  if (!res.ok) {
    if (res.kind === 'unknown-partner') return notFound(`No partner ${partnerId.value}: nothing was submitted for it yet.`);
    if (res.kind === 'unresolved') return unprocessable(`A change names a certification this service does not know: ${res.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, res.problems);
    return invalidInput(res.problems, 'A change does not apply to the stored state: ');
  }
  context.log(`Simulated ${res.value.changes} changes for partner ${partnerId.value} on ${res.value.date} (not stored)`);
  return ok(res.value);
}

app.http('simulate', { route: 'partners/{partnerId}/simulate', methods: ['POST'], authLevel: 'anonymous', handler: simulatePartner });
