import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getSettings } from '../shared/config/settings';
import { checkHealth } from '../shared/health/health';
import { ok, serviceUnavailable } from '../shared/http/responses';

export async function health(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const report = await checkHealth(getSettings());
  if (report.status !== 'healthy') {
    context.warn(`Health check failed: ${JSON.stringify(report.checks)}`);
    return serviceUnavailable(report);
  }
  return ok(report);
}

app.http('health', { route: 'health', methods: ['GET'], authLevel: 'anonymous', handler: health });
