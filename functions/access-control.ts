import { app, type HttpHandler, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { actorOf, partnerScope, recordAudit, SERVICE_SCOPE } from '../shared/access/audit';
import { describeCaller } from '../shared/access/caller';
import { formBodyRefusal } from '../shared/access/form-bodies';
import { decide } from '../shared/access/decision';
import { rememberRequestAccess, resolveRequestAccess } from '../shared/access/request-access';
import { routeAccess } from '../shared/access/route-access';
import { partnerIdParam } from '../shared/http/request';
import { errorResponse } from '../shared/http/responses';

/**
 * The access check of every HTTP function, in one place: a pre-invocation hook puts it in front of each HTTP
 * handler, so a route cannot be added without it. It resolves the caller, refuses what the route table does not
 * allow before the route reads anything, and records who made each accepted change. This file registers no function.
 */

const statusOf = (res: unknown): number => Number((res as { status?: number } | undefined)?.status ?? 200);

async function guarded(functionName: string, handler: HttpHandler, request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const rule = routeAccess(functionName, request.method);
  if (rule?.kind === 'public' || rule?.kind === 'signed') return (await handler(request, context)) as HttpResponseInit;

  let partnerId: string | undefined;
  if (rule?.kind === 'partner') {
    const parsed = partnerIdParam(request);
    if (!parsed.ok) return parsed.response;
    partnerId = parsed.value;
  }
  const resolved = await resolveRequestAccess(request.headers);
  const decision = decide(rule, resolved.caller, resolved.access, partnerId);
  if (!decision.allow) {
    context.warn(`access refused: ${request.method} ${new URL(request.url).pathname} for ${resolved.caller ? describeCaller(resolved.caller) : 'an unauthenticated caller'}: ${decision.message}`);
    return errorResponse(decision.status, decision.error, decision.message, {}, decision.status === 401 ? { 'www-authenticate': 'Bearer' } : undefined);
  }
  const formBody = request.method !== 'GET' && request.method !== 'HEAD' ? formBodyRefusal(request.method, request.headers.get('content-type') ?? '') : undefined;
  if (formBody) return errorResponse(formBody.status, formBody.error, formBody.message);
  rememberRequestAccess(request, resolved);

  const response = (await handler(request, context)) as HttpResponseInit;
  const changes = request.method !== 'GET' && request.method !== 'HEAD' && !(rule?.kind === 'partner' && rule.changes === false);
  if (changes && resolved.caller && statusOf(response) < 400) {
    try {
      await recordAudit({
        scope: partnerId !== undefined ? partnerScope(partnerId) : SERVICE_SCOPE,
        actor: actorOf(resolved.caller),
        request: `${request.method} ${new URL(request.url).pathname}`,
        function: functionName,
        status: statusOf(response),
      });
    } catch (e) {
      // The change is made; failing the response now would make the caller retry a change that succeeded.
      context.error(`audit entry for ${request.method} ${new URL(request.url).pathname} by ${describeCaller(resolved.caller)} could not be written: ${(e as Error).message}`);
    }
  }
  return response;
}

app.hook.preInvocation((ctx) => {
  if (ctx.invocationContext.options.trigger.type !== 'httpTrigger') return;
  const handler = ctx.functionHandler as HttpHandler;
  const name = ctx.invocationContext.functionName;
  ctx.functionHandler = ((request: HttpRequest, context: InvocationContext) => guarded(name, handler, request, context)) as typeof ctx.functionHandler;
});
