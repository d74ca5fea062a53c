import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { forecastScores } from '../shared/forecast/forecast';
import { notFound, ok } from '../shared/http/responses';
import { parseQuery, partnerIdParam } from '../shared/http/request';
import { appScoringSettings } from '../shared/config/scoring';
import { todayUtc } from '../shared/lib/dates';
import { forecastQuerySchema } from '../shared/score-history/http-schemas';
import { loadPartnerSnapshot } from '../shared/state/state-store';

export async function getForecast(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  const q = parseQuery(request, forecastQuerySchema);
  if (!q.ok) return q.response;
  const snapshot = await loadPartnerSnapshot(partnerId.value);
  if (!snapshot) return notFound(`No partner ${partnerId.value}: nothing was submitted for it yet.`);
  const forecast = forecastScores(snapshot, { date: todayUtc(), months: 6, telemetry: q.value.telemetry, settings: appScoringSettings() });
  context.log(`Forecast for partner ${partnerId.value}: ${forecast.firstLoss ? `first loss ${forecast.firstLoss.area} on ${forecast.firstLoss.lossDate}` : 'no loss in six months'}`);
  return ok(forecast);
}

app.http('forecast', { route: 'partners/{partnerId}/forecast', methods: ['GET'], authLevel: 'anonymous', handler: getForecast });
