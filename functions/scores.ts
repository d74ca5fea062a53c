import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { notFound, ok } from '../shared/http/responses';
import { invalidQuery, parseQuery, partnerIdParam, routeParam } from '../shared/http/request';
import { areaSchema, breakdownQuerySchema, historyQuerySchema } from '../shared/score-history/http-schemas';
import { checkHistoryRange, getBreakdown, getHistory, getScores, resolveHistoryRange, type ReadError } from '../shared/score-history/read';

const readError = (e: ReadError) => notFound(e.message);

export async function getPartnerScores(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  const res = await getScores(partnerId.value);
  if (!res.ok) return readError(res.error);
  context.log(`Scores of partner ${partnerId.value} as of ${res.value.date}`);
  return ok(res.value);
}

export async function getAreaBreakdown(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  const area = routeParam(request, 'area', areaSchema);
  if (!area.ok) return area.response;
  const q = parseQuery(request, breakdownQuerySchema);
  if (!q.ok) return q.response;
  const res = await getBreakdown(partnerId.value, area.value, q.value.date);
  return res.ok ? ok(res.value) : readError(res.error);
}

export async function getAreaHistory(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  const area = routeParam(request, 'area', areaSchema);
  if (!area.ok) return area.response;
  const q = parseQuery(request, historyQuerySchema);
  if (!q.ok) return q.response;
  const range = resolveHistoryRange(q.value);
  const problem = checkHistoryRange(range.from, range.to);
  if (problem) return invalidQuery('from', problem);
  const res = await getHistory(partnerId.value, area.value, range);
  return res.ok ? ok(res.value) : readError(res.error);
}

app.http('scoresGet', { route: 'partners/{partnerId}/scores', methods: ['GET'], authLevel: 'anonymous', handler: getPartnerScores });
app.http('scoresAreaGet', { route: 'partners/{partnerId}/scores/{area}', methods: ['GET'], authLevel: 'anonymous', handler: getAreaBreakdown });
app.http('scoresAreaHistory', { route: 'partners/{partnerId}/scores/{area}/history', methods: ['GET'], authLevel: 'anonymous', handler: getAreaHistory });
