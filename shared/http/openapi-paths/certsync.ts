import { certSourcesBodySchema, certSyncStartBodySchema, certWarningsQuerySchema, transcriptBodySchema } from '../../certsync/schemas';
import { run as runBody } from './scores';
import { errorResponses, jsonContent, jsonSchema, pathParameter, queryParameters, type FeaturePaths } from '../openapi-helpers';

/** The certification sync's routes (docs/cert-sync.md). */

const tags = ['certification sync'];
const security = [{ functionKey: [] }];
const partner = pathParameter('partnerId', 'Partner id.');
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', ...(required.length ? { required } : {}), properties });
const str = { type: 'string' };
const num = { type: 'number' };
const areaPoints = { type: 'array', items: obj({ area: str, name: str, points: num }) };

const warningsBody = obj({
  partnerId: str,
  date: str,
  horizonDays: num,
  warnings: {
    type: 'array',
    items: obj({
      professionalId: str,
      professionalName: str,
      certificationId: str,
      certificationName: str,
      endsOn: { type: 'string', description: 'Last day it counts.' },
      why: { type: 'string', enum: ['expires', 'retires'] },
      daysLeft: num,
      pointsAtStake: areaPoints,
      totalPointsAtStake: num,
    }),
  },
  byArea: { ...areaPoints, description: 'Points lost per area if every warned certification lapses.' },
});

const change = obj({ kind: { type: 'string', enum: ['added', 'renewed', 'expired', 'removed'] }, certificationId: str, source: str, detail: str });
const syncRecord = obj({
  at: str,
  date: str,
  runId: str,
  outcome: { type: 'string', enum: ['done', 'stale', 'failed'] },
  reason: { type: 'string', description: 'Why the data is stale: each source or person that could not be read.' },
  skillingChanged: { type: 'boolean' },
  recomputeRequested: { type: 'boolean' },
  counts: obj({ added: num, renewed: num, expired: num, removed: num, professionals: num, stale: num, notFound: num, errors: num }),
  persons: { type: 'array', items: obj({ professionalId: str, status: { type: 'string', enum: ['ok', 'stale', 'not-found', 'error', 'skipped'] }, reason: str, changes: { type: 'array', items: change }, ignored: { type: 'array', items: str } }) },
  problems: { type: 'array', items: str, description: 'Bad import rows with line numbers; a missing import file.' },
  requests: num,
  warnings: warningsBody,
});
const sources = obj({ learn: { type: 'boolean' }, importBlob: str });

export const certSyncPaths: FeaturePaths = {
  '/runs/cert-sync': {
    post: {
      summary: "Start today's certification sync run now (the run the timer starts)",
      operationId: 'startCertSyncRun',
      tags,
      security,
      requestBody: { required: false, content: jsonContent(jsonSchema(certSyncStartBodySchema, 'input')) },
      responses: { '202': { description: 'Run started, or the existing run of that date (created: false).', content: jsonContent(obj({ run: runBody, created: { type: 'boolean' } })) }, ...errorResponses(400) },
    },
  },
  '/cert-sync/runs/{runId}': {
    get: {
      summary: 'A certification sync run with every partner it left stale or failed, and why',
      operationId: 'getCertSyncRun',
      tags,
      security,
      parameters: [pathParameter('runId', 'cert-sync-YYYY-MM-DD.')],
      responses: { '200': { description: 'The run.', content: jsonContent({ ...runBody, properties: { ...runBody.properties, problems: { type: 'array', description: 'Each partner the run left stale or failed, and why.', items: obj({ partnerId: str, outcome: str, reason: str, at: str }) } } }) }, ...errorResponses(400, 404) },
    },
  },
  '/partners/{partnerId}/cert-sync': {
    post: {
      summary: 'Sync one partner now, outside any run',
      operationId: 'syncPartnerCertifications',
      tags,
      security,
      parameters: [partner],
      responses: { '202': { description: 'Queued.', content: jsonContent(obj({ partnerId: str, queued: { type: 'boolean' } })) }, ...errorResponses(400, 404) },
    },
    get: {
      summary: "What the partner's last certification sync changed per person, its problems and expiry warnings",
      operationId: 'getPartnerCertSync',
      tags,
      security,
      parameters: [partner],
      responses: { '200': { description: 'The last sync and a short history.', content: jsonContent(obj({ partnerId: str, last: syncRecord, history: { type: 'array', items: obj({ at: str, runId: str, outcome: str, reason: str, counts: { type: 'object' } }) } })) }, ...errorResponses(400, 404) },
    },
  },
  '/partners/{partnerId}/professionals/{professionalId}/transcript': {
    put: {
      summary: "Register a professional's Microsoft Learn transcript share link",
      operationId: 'putTranscriptLink',
      tags,
      security,
      parameters: [partner, pathParameter('professionalId', 'Professional id (from the "professional linked" event).')],
      requestBody: { required: true, content: jsonContent(jsonSchema(transcriptBodySchema, 'input'), { url: 'https://learn.microsoft.com/en-us/users/ada/transcript/d5on2cqnl3lgknq' }) },
      responses: { '200': { description: 'Stored (normalised); a sync of the partner is queued.', content: jsonContent(obj({ professionalId: str, transcriptUrl: str, shareId: str, syncRequested: { type: 'boolean' } })) }, ...errorResponses(400, 404, 413) },
    },
    delete: {
      summary: "Stop reading a professional's transcript",
      operationId: 'deleteTranscriptLink',
      tags,
      security,
      parameters: [partner, pathParameter('professionalId', 'Professional id.')],
      responses: { '200': { description: 'Removed.', content: jsonContent(obj({ professionalId: str, transcriptUrl: { type: 'null' } })) }, ...errorResponses(400, 404) },
    },
  },
  '/partners/{partnerId}/cert-imports': {
    post: {
      summary: 'Upload a certification import file (CSV or JSON Lines) as the partner\'s import source, and sync the partner',
      operationId: 'postCertImport',
      tags,
      security,
      parameters: [partner],
      requestBody: {
        required: true,
        content: {
          'text/csv': { schema: { type: 'string' }, example: 'person,certification,earned_on,expires_on\nada@example.com,AZ-104,2026-01-10,2027-01-10\n' },
          'application/x-ndjson': { schema: { type: 'string' }, example: '{"person":"ada@example.com","certification":"AZ-104","earnedOn":"2026-01-10","expiresOn":"2027-01-10"}\n' },
        },
      },
      responses: {
        '202': { description: 'Stored; good rows apply at the sync that was queued; bad rows listed with line numbers.', content: jsonContent(obj({ partnerId: str, blob: str, format: str, rows: num, accepted: num, errors: { type: 'array', items: obj({ line: num, reason: str }) }, syncRequested: { type: 'boolean' } })) },
        ...errorResponses(400, 404, 413),
      },
    },
  },
  '/partners/{partnerId}/cert-sources': {
    get: { summary: 'Which certification sources the partner uses', operationId: 'getCertSources', tags, security, parameters: [partner], responses: { '200': { description: 'The configuration.', content: jsonContent(sources) }, ...errorResponses(400, 404) } },
    put: {
      summary: 'Choose the certification sources (Learn transcripts, an import file path)',
      operationId: 'putCertSources',
      tags,
      security,
      parameters: [partner],
      requestBody: { required: true, content: jsonContent(jsonSchema(certSourcesBodySchema, 'input')) },
      responses: { '200': { description: 'Stored.', content: jsonContent(sources) }, ...errorResponses(400, 404) },
    },
  },
  '/partners/{partnerId}/cert-warnings': {
    get: {
      summary: 'Certifications that expire or retire soon, with the points at stake in each area',
      operationId: 'getCertWarnings',
      tags,
      security,
      parameters: [partner, ...queryParameters(certWarningsQuerySchema)],
      responses: { '200': { description: 'Warnings, soonest first.', content: jsonContent(warningsBody) }, ...errorResponses(400, 404) },
    },
  },
};
