import { IMPORT_KINDS } from '../../imports/columns';
import { errorResponses, jsonContent, pathParameter, type FeaturePaths } from '../openapi-helpers';

/** Spreadsheet imports (docs/imports.md). */

const tags = ['imports'];
const security = [{ functionKey: [] }];
const partner = pathParameter('partnerId', 'Partner id.');
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', ...(required.length ? { required } : {}), properties });
const str = { type: 'string' };
const num = { type: 'number' };

/** An import's report; also what GET /runs/{id} answers for an import run. */
export const importReport = obj({
  runId: { type: 'string', description: 'Background imports only: the run id.' },
  status: { type: 'string', enum: ['running', 'finished', 'failed'], description: 'Background imports only.' },
  partnerId: str,
  kind: { type: 'string', enum: [...IMPORT_KINDS] },
  format: { type: 'string', enum: ['csv', 'xlsx'] },
  sheet: { type: 'string', description: 'The sheet read (workbooks).' },
  sheets: { type: 'array', items: str, description: 'Every sheet of the workbook.' },
  rowsTotal: num,
  rowsDone: { type: 'number', description: 'Background imports only: rows processed so far.' },
  applied: { type: 'number', description: 'Rows that changed the partner\'s state.' },
  unchanged: { type: 'number', description: 'Rows already applied (a re-import).' },
  older: { type: 'number', description: 'Rows kept in the history because newer state was already there.' },
  refusedCount: num,
  refused: { type: 'array', description: 'Refused rows (the first 1000): line, column and reason.', items: obj({ line: num, field: str, reason: str }, ['line', 'field', 'reason']) },
  ignoredColumns: { type: 'array', items: obj({ column: str, reason: str }) },
  failure: str,
});

export const importPaths: FeaturePaths = {
  '/partners/{partnerId}/imports': {
    post: {
      summary: 'Import a CSV or XLSX file of customers, associations, professionals and certifications, or monthly telemetry',
      description: 'Every row becomes the events a webhook delivery would carry and is applied by the same rules; re-importing a file changes nothing. Files of up to IMPORT_INLINE_MAX_ROWS rows are applied at once (200 with the report); longer ones in the background (202 with the run; follow it at the Location).',
      operationId: 'postImport',
      tags,
      security,
      parameters: [
        partner,
        { name: 'kind', in: 'query', required: false, description: 'The record kind; detected from the header row when left out.', schema: { type: 'string', enum: [...IMPORT_KINDS] } },
        { name: 'sheet', in: 'query', required: false, description: 'Workbooks: the sheet to read (default the first).', schema: { type: 'string' } },
      ],
      requestBody: {
        required: true,
        content: {
          'text/csv': { schema: { type: 'string' }, example: 'Month,Customer tenant ID,Platform,Workload,Association type,ACR (USD)\n2026-05,0b8f1c1e-3f1a-4c5e-9a49-1f0d3b7e2a10,azure,Virtual Machines,PAL,1200\n' },
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
        },
      },
      responses: {
        '200': { description: 'Applied; the report lists refused rows with line, column and reason.', content: jsonContent(importReport) },
        '202': { description: 'Accepted for the background; the Location header is the run to follow.', content: jsonContent(importReport) },
        ...errorResponses(400, 404),
        '413': { ...(errorResponses(413)['413'] as object), description: 'The file is larger than IMPORT_MAX_BYTES (default 50 MiB) or has more rows than IMPORT_MAX_ROWS (default 200,000); the message names the limit.' },
        '415': { ...(errorResponses(415)['415'] as object), description: 'Not a CSV (UTF-8) or .xlsx file: another content type, an .xls workbook, or text in another encoding (named).' },
      },
    },
  },
  '/partners/{partnerId}/imports/{runId}': {
    get: {
      summary: 'Progress and report of a background import',
      operationId: 'getImport',
      tags,
      security,
      parameters: [partner, pathParameter('runId', 'Import run id (import-<YYYYMMDDhhmmss>-<8 hex digits>).')],
      responses: { '200': { description: 'The run.', content: jsonContent(importReport) }, ...errorResponses(400, 404) },
    },
  },
};
