import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { badRequest, notFound, ok } from '../shared/http/responses';
import { areaSchema, breakdownQuerySchema, historyQuerySchema } from '../shared/score-history/http-schemas';
import { partnerIdSchema } from '../shared/lib/ids';
import { checkHistoryRange, getBreakdown, getHistory, getScores, resolveHistoryRange, type ReadError } from '../shared/score-history/read';
import { zodDetails } from '../shared/lib/validation';

type Parsed<T> = { ok: true; value: T } | { ok: false; response: HttpResponseInit };

function parse<S extends z.ZodType>(schema: S, input: unknown, where: string): Parsed<z.output<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const details = zodDetails(r.error).map((d) => ({ path: d.path === '(body)' ? where : `${where}.${d.path}`, message: d.message }));
  return { ok: false, response: badRequest(details.map((d) => `${d.path}: ${d.message}`).join('; '), details) };
}

const query = (request: HttpRequest) => Object.fromEntries(request.query.entries());
const readError = (e: ReadError) => notFound(e.message);

export async function getPartnerScores(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const partnerId = parse(partnerIdSchema, request.params.partnerId, 'partnerId');
  if (!partnerId.ok) return partnerId.response;
  const res = await getScores(partnerId.value);
  if (!res.ok) return readError(res.error);
  context.log(`Scores of partner ${partnerId.value} as of ${res.value.date}`);
  return ok(res.value);
}

export async function getAreaBreakdown(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = parse(partnerIdSchema, request.params.partnerId, 'partnerId');
  if (!partnerId.ok) return partnerId.response;
  const area = parse(areaSchema, request.params.area, 'area');
  if (!area.ok) return area.response;
  const q = parse(breakdownQuerySchema, query(request), 'query');
  if (!q.ok) return q.response;
  const res = await getBreakdown(partnerId.value, area.value, q.value.date);
  return res.ok ? ok(res.value) : readError(res.error);
}

export async function getAreaHistory(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = parse(partnerIdSchema, request.params.partnerId, 'partnerId');
  if (!partnerId.ok) return partnerId.response;
  const area = parse(areaSchema, request.params.area, 'area');
  if (!area.ok) return area.response;
  const q = parse(historyQuerySchema, query(request), 'query');
  if (!q.ok) return q.response;
  const range = resolveHistoryRange(q.value);
  const problem = checkHistoryRange(range.from, range.to);
  if (problem) return badRequest(`query: ${problem}`, [{ path: 'query.from', message: problem }]);
  const res = await getHistory(partnerId.value, area.value, range);
  return res.ok ? ok(res.value) : readError(res.error);
}

app.http('scores-get', { route: 'partners/{partnerId}/scores', methods: ['GET'], authLevel: 'function', handler: getPartnerScores });
app.http('scores-area-get', { route: 'partners/{partnerId}/scores/{area}', methods: ['GET'], authLevel: 'function', handler: getAreaBreakdown });
app.http('scores-area-history', { route: 'partners/{partnerId}/scores/{area}/history', methods: ['GET'], authLevel: 'function', handler: getAreaHistory });
