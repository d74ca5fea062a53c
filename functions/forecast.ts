import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { forecastScores } from '../shared/forecast/forecast';
import { badRequest, notFound, ok } from '../shared/http/responses';
import { appScoringSettings } from '../shared/config/scoring';
import { todayUtc } from '../shared/lib/dates';
import { forecastQuerySchema } from '../shared/score-history/http-schemas';
import { partnerIdSchema } from '../shared/lib/ids';
import { loadPartnerSnapshot } from '../shared/state/state-store';
import { zodDetails } from '../shared/lib/validation';

export async function getForecast(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const partnerId = partnerIdSchema.safeParse(request.params.partnerId);
  if (!partnerId.success) return badRequest(`partnerId: ${partnerId.error.issues[0]?.message}`, [{ path: 'partnerId', message: partnerId.error.issues[0]?.message ?? 'invalid' }]);
  const q = forecastQuerySchema.safeParse(Object.fromEntries(request.query.entries()));
  if (!q.success) {
    const details = zodDetails(q.error).map((d) => ({ path: `query.${d.path}`, message: d.message }));
    return badRequest(details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
  }
  const snapshot = await loadPartnerSnapshot(partnerId.data);
  if (!snapshot) return notFound(`No partner ${partnerId.data}: nothing was submitted for it yet.`);
  const forecast = forecastScores(snapshot, { date: todayUtc(), months: 6, telemetry: q.data.telemetry, settings: appScoringSettings() });
  context.log(`Forecast for partner ${partnerId.data}: ${forecast.firstLoss ? `first loss ${forecast.firstLoss.area} on ${forecast.firstLoss.lossDate}` : 'no loss in six months'}`);
  return ok(forecast);
}

app.http('forecast', { route: 'partners/{partnerId}/forecast', methods: ['GET'], authLevel: 'function', handler: getForecast });
