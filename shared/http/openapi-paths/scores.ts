import { notificationSettingsSchema } from '../../alerts/notification-url';
import { AREA_STATUSES, AREAS, simulationChangeSchema } from '../../scoring';
import { breakdownQuerySchema, forecastQuerySchema, historyQuerySchema } from '../../score-history/http-schemas';
import { simulationRequestSchema } from '../../simulation/changes';
import { importReport } from './imports';
import { errorResponses, jsonContent, jsonSchema, pathParameter, queryParameters, type FeaturePaths, type Operation } from '../openapi-helpers';

/** Scores, history, what-if, forecast, alerts and run records (docs/scores.md). */

const security = [{ functionKey: [] }];
const partner = pathParameter('partnerId', 'Partner id.');
const area = { ...pathParameter('area', 'Solution area.'), schema: { type: 'string', enum: [...AREAS] } };
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', ...(required.length ? { required } : {}), properties });
const str = { type: 'string' };
const num = { type: 'number' };
const bool = { type: 'boolean' };
const arr = (items: Record<string, unknown>) => ({ type: 'array', items });
const status = { type: 'string', enum: [...AREA_STATUSES] };
const eligibility = obj({ qualifiedOn: str, eligibleUntil: str }, ['qualifiedOn', 'eligibleUntil']);

const metricSummary = obj({ id: str, name: str, points: num, max: num });
const areaSummary = obj({ area: str, name: str, total: num, status, eligibility, qualifiesToday: bool, track: str, ruleVersion: str, zeroMetrics: arr(str), metrics: arr(metricSummary) });
const loss = obj({ area: str, lossDate: str, reason: str });
const explanation = obj({ kind: { type: 'string', enum: ['counted', 'not-counted', 'note'] }, subject: str, reason: str });
const gapStep = obj({
  lever: { type: 'string', enum: ['customer', 'certified-person', 'deployment', 'growth'] },
  metricId: str,
  metricName: str,
  add: num,
  what: str,
  pointsGained: num,
  gains: arr(obj({ metricId: str, metricName: str, points: num })),
  totalAfter: num,
  cost: num,
  changes: { ...arr(jsonSchema(simulationChangeSchema, 'input')), description: 'This step as POST /simulate changes.' },
});
const breakdown = obj({
  area: str,
  name: str,
  ruleVersion: str,
  track: str,
  trackReason: str,
  total: num,
  max: num,
  qualifiesToday: bool,
  status,
  eligibility,
  zeroMetrics: arr(str),
  metrics: arr(obj({ id: str, name: str, family: str, track: str, points: num, max: num, units: num, unitLabel: str, unitsForMax: num, explanation: arr(explanation) })),
  tracks: arr(obj({ track: str, total: num, qualifies: bool, metrics: arr(metricSummary) })),
  gap: obj({
    qualifies: bool,
    total: num,
    pointsShort: num,
    zeroMetrics: arr(str),
    reachable: { type: 'boolean', description: 'A plan exists and qualified when re-scored with its changes applied.' },
    track: str,
    steps: arr(gapStep),
    totalAfter: { type: 'number', description: 'The re-scored total with every step applied.' },
    cost: num,
    alternatives: arr(obj({ track: str, steps: arr(gapStep), cost: num, totalAfter: num, metricsAfter: arr(obj({ metricId: str, points: num })) })),
    costModel: obj({ customer: num, certifiedPerson: num, deployment: num, growthPoint: num }),
    searchComplete: bool,
    notes: arr(str),
  }),
});
const point = obj({ area: str, total: num, qualifies: bool, status, zeroMetrics: arr(str) });
/** A run as GET /runs answers it: closed, so a Cosmos DB system field (_etag, _rid, _ts...) leaking into it fails the answer tests. */
export const run = {
  ...obj(
  {
    id: { type: 'string', description: '<kind>-YYYY-MM-DD' },
    kind: { type: 'string', enum: ['recompute', 'cert-sync'] },
    date: str,
    status: { type: 'string', enum: ['running', 'finished'] },
    total: { type: 'integer', description: 'Absent until the fan-out has listed every partner.' },
    done: { type: 'integer' },
    failed: { type: 'integer' },
    stale: { type: 'integer' },
    startedAt: str,
    finishedAt: str,
    trigger: str,
    failures: arr(obj({ partnerId: str, reason: str, at: str })),
    interruptions: { ...arr(obj({ at: str, detail: str, requeued: { type: 'integer' } })), description: 'Restarts of the local host that found the run\'s queued work gone, and what they sent again.' },
  },
  ['id', 'kind', 'date', 'status', 'done', 'failed', 'stale', 'startedAt'],
  ),
  additionalProperties: false,
};
const alert = obj({
  id: str,
  kind: { type: 'string', enum: ['status-changed', 'designation-at-risk'] },
  area: str,
  date: str,
  createdAt: str,
  message: str,
  from: status,
  to: status,
  lossDate: str,
  total: num,
  notification: obj({ state: { type: 'string', enum: ['none', 'pending', 'delivered', 'failed'] }, attempts: { type: 'integer' }, lastError: str, deliveredAt: str }),
});

/** Every score answer says which state it scored, the partner's state now, and when it was computed (issue 16). */
const freshness = {
  stateVersion: { type: 'integer', description: 'The partner state version this answer scored.' },
  currentStateVersion: { type: 'integer', description: "The partner's state version now: equal to stateVersion when the answer includes every change received so far." },
  scoredAt: { type: ['string', 'null'], description: 'When the score was computed (null on a stored day older than this record).' },
};

const op = (operationId: string, summary: string, extra: Record<string, unknown> & { responses: Record<string, unknown> }, tags = ['scores']): Operation => ({ operationId, summary, tags, security, ...extra });

export const scorePaths: FeaturePaths = {
  '/partners/{partnerId}/scores': {
    get: op('getScores', 'Every area as of the latest stored day', {
      parameters: [partner],
      responses: { '200': { description: 'Totals, statuses and metric points.', content: jsonContent(obj({ partnerId: str, date: str, ...freshness, computedAt: str, areas: arr(areaSummary), projectedLosses: arr(loss) }, ['stateVersion', 'currentStateVersion', 'scoredAt'])) }, ...errorResponses(400, 404) },
    }),
  },
  '/partners/{partnerId}/scores/{area}': {
    get: op('getAreaBreakdown', "One area's full breakdown on a stored day, with explanations and the gap to qualify", {
      parameters: [partner, area, ...queryParameters(breakdownQuerySchema)],
      responses: { '200': { description: 'The breakdown.', content: jsonContent(obj({ partnerId: str, date: str, ...freshness, breakdown }, ['stateVersion', 'currentStateVersion', 'scoredAt'])) }, ...errorResponses(400, 404) },
    }),
  },
  '/partners/{partnerId}/scores/{area}/history': {
    get: op('getAreaHistory', 'Daily totals over a range (default: the qualification window), monthly highs, and whether the partner qualified on any day', {
      parameters: [partner, area, ...queryParameters(historyQuerySchema)],
      responses: {
        '200': {
          description: 'The history.',
          content: jsonContent(
            obj({
              partnerId: str,
              area: str,
              name: str,
              ...freshness,
              from: str,
              to: str,
              days: arr(obj({ date: str, total: num, qualified: bool, status })),
              months: arr(obj({ month: str, highest: num, qualifiedDays: num, daysWithScores: num })),
              qualifiedOnAnyDay: bool,
              qualifyingDays: num,
              firstQualifiedOn: str,
              lastQualifiedOn: str,
              highestTotal: num,
              daysWithoutScore: num,
            }),
          ),
        },
        ...errorResponses(400, 404),
      },
    }),
  },
  '/partners/{partnerId}/simulate': {
    post: op('simulate', 'What-if: the stored state with changes applied, scored and returned, never stored', {
      parameters: [partner],
      requestBody: { required: true, content: jsonContent(jsonSchema(simulationRequestSchema, 'input')) },
      responses: {
        '200': {
          description: 'Before and after, area by area, and the simulated breakdown.',
          content: jsonContent(obj({ partnerId: str, date: str, changes: num, stored: { const: false }, areas: arr(obj({ area: str, name: str, before: obj({ total: num, status, qualifies: bool }), after: obj({ total: num, status, qualifies: bool }), delta: num })), breakdown: arr(breakdown) })),
        },
        ...errorResponses(400, 404, 413, 422),
      },
    }),
  },
  '/partners/{partnerId}/forecast': {
    get: op('getForecast', 'Each area at the end of each of the next six months if nothing changes, and the first date a designation would be lost', {
      parameters: [partner, ...queryParameters(forecastQuerySchema)],
      responses: {
        '200': {
          description: 'The forecast.',
          content: jsonContent(obj({ partnerId: str, asOf: str, assumptions: arr(str), today: arr(point), monthEnds: arr(obj({ date: str, areas: arr(point) })), losses: arr(obj({ area: str, name: str, lossDate: str, reason: str, totalBefore: num, totalAfter: num })), firstLoss: obj({ area: str, lossDate: str }) })),
        },
        ...errorResponses(400, 404),
      },
    }),
  },
  '/partners/{partnerId}/alerts': {
    get: op('getAlerts', "The partner's last 100 alerts, newest first", { parameters: [partner], responses: { '200': { description: 'Alerts.', content: jsonContent(obj({ partnerId: str, alerts: arr(alert) })) }, ...errorResponses(400, 404) } }, ['alerts']),
  },
  '/partners/{partnerId}/notification': {
    get: op('getNotificationUrl', 'Where alerts are POSTed', { parameters: [partner], responses: { '200': { description: 'The URL (null when none).', content: jsonContent(obj({ partnerId: str, url: { type: ['string', 'null'] } })) }, ...errorResponses(400, 404) } }, ['alerts']),
    put: op(
      'setNotificationUrl',
      'Set or remove (null) the URL alerts are POSTed to, signed with Standard Webhooks',
      {
        parameters: [partner],
        requestBody: { required: true, content: jsonContent(jsonSchema(notificationSettingsSchema, 'input')) },
        responses: { '200': { description: 'Saved.', content: jsonContent(obj({ partnerId: str, url: { type: ['string', 'null'] } })) }, ...errorResponses(400, 404, 413) },
      },
      ['alerts'],
    ),
  },
  '/runs/{id}': {
    get: op('getRun', 'A run of the nightly recompute or the certification sync', { parameters: [pathParameter('id', 'Run id: recompute-YYYY-MM-DD, cert-sync-YYYY-MM-DD or import-<YYYYMMDDhhmmss>-<8 hex digits>.')], responses: { '200': { description: 'The run; for an import run, its report (as GET /partners/{partnerId}/imports/{runId}).', content: jsonContent({ oneOf: [run, importReport] }) }, ...errorResponses(400, 404) } }, ['runs']),
  },
  '/runs': {
    get: op(
      'getLatestRun',
      'The latest run of a kind',
      {
        parameters: [
          { name: 'latest', in: 'query', required: true, schema: { type: 'string', enum: ['true'] } },
          { name: 'kind', in: 'query', required: false, schema: { type: 'string', enum: ['recompute', 'cert-sync'], default: 'recompute' } },
        ],
        responses: { '200': { description: 'The run.', content: jsonContent(run) }, ...errorResponses(400, 404) },
      },
      ['runs'],
    ),
  },
  '/runs/recompute': {
    post: op(
      'startRecomputeRun',
      "Start the nightly recompute now (the run of that date if it exists)",
      {
        requestBody: { required: false, content: jsonContent(obj({ date: { type: 'string', description: 'YYYY-MM-DD; default today (UTC).' } })) },
        responses: { '202': { description: 'Started, or the existing run.', content: jsonContent(obj({ run, created: bool })) }, ...errorResponses(400) },
      },
      ['runs'],
    ),
  },
};
