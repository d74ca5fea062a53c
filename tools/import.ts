import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runAsCommand } from './cli-args';

/**
 * `npm run import -- <file.csv|file.xlsx> --partner P [--kind K] [--sheet S] [--url http://localhost:7071] [--key KEY]`
 *
 * Uploads a spreadsheet to POST /api/partners/{partnerId}/imports (docs/imports.md), follows a background import
 * with a progress bar (plain progress lines when the output is not a terminal), and prints the report: rows
 * applied, unchanged, older, and every refused row with its line, column and reason. Exit code 0 when no row was
 * refused, 1 when some were or the import failed, 2 for a usage error.
 */

export const USAGE = `usage: npm run import -- <file.csv|file.xlsx> --partner PARTNER_ID [--kind customers|associations|professionals|telemetry] [--sheet NAME] [--url http://localhost:7071] [--key FUNCTION_KEY]

  --partner   the partner the rows belong to (required)
  --kind      the record kind; detected from the header row when left out
  --sheet     for a workbook: the sheet to read (default the first)
  --url       where the app runs (default $PCS_URL or http://localhost:7071)
  --key       a function key, sent as x-functions-key (default $PCS_FUNCTION_KEY)
  --help      this text`;

interface Report {
  runId?: string;
  status?: string;
  kind: string;
  format: string;
  sheet?: string;
  sheets?: string[];
  rowsTotal: number;
  rowsDone?: number;
  applied: number;
  unchanged: number;
  older: number;
  refusedCount: number;
  refused: { line: number; field: string; reason: string }[];
  ignoredColumns: { column: string; reason: string }[];
  failure?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function bar(done: number, total: number, width = 30): string {
  const share = total ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done}/${total} rows`;
}

export function formatReport(r: Report): string[] {
  const lines = [`${r.kind} import (${r.format}${r.sheet ? `, sheet "${r.sheet}" of ${r.sheets?.map((s) => `"${s}"`).join(', ')}` : ''}): ${r.rowsTotal} rows: ${r.applied} applied, ${r.unchanged} unchanged, ${r.older} older, ${r.refusedCount} refused.`];
  for (const c of r.ignoredColumns) lines.push(`  column "${c.column}" ignored: ${c.reason}`);
  for (const x of r.refused) lines.push(`  line ${x.line}, ${x.field}: ${x.reason}`);
  if (r.refusedCount > r.refused.length) lines.push(`  (and ${r.refusedCount - r.refused.length} more refused rows)`);
  if (r.failure) lines.push(`  import failed: ${r.failure}`);
  return lines;
}

const contentTypeOf = (file: string) => (path.extname(file).toLowerCase() === '.xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');

export async function main(argv: string[], out: NodeJS.WriteStream = process.stdout): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: { partner: { type: 'string' }, kind: { type: 'string' }, sheet: { type: 'string' }, url: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  const file = positionals[0];
  if (!file || !values.partner || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch (e) {
    console.error(`cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  const base = (values.url ?? process.env.PCS_URL ?? 'http://localhost:7071').replace(/\/$/, '');
  const key = values.key ?? process.env.PCS_FUNCTION_KEY;
  const headers: Record<string, string> = { 'content-type': contentTypeOf(file), ...(key ? { 'x-functions-key': key } : {}) };
  const query = new URLSearchParams({ ...(values.kind ? { kind: values.kind } : {}), ...(values.sheet ? { sheet: values.sheet } : {}) }).toString();
  const res = await fetch(`${base}/api/partners/${encodeURIComponent(values.partner)}/imports${query ? `?${query}` : ''}`, { method: 'POST', body, headers });
  const text = await res.text();
  if (res.status !== 200 && res.status !== 202) {
    console.error(`import refused: HTTP ${res.status}: ${text}`);
    return 1;
  }
  let report = JSON.parse(text) as Report;
  if (res.status === 202) {
    const location = res.headers.get('location')!;
    const tty = out.isTTY === true;
    let last = -1;
    out.write(`${report.rowsTotal} rows: importing in the background as ${report.runId}\n`);
    while (report.status === 'running') {
      if (report.rowsDone !== last) {
        last = report.rowsDone ?? 0;
        out.write(tty ? `\r${bar(last, report.rowsTotal)}` : `progress: ${last}/${report.rowsTotal} rows\n`);
      }
      await sleep(1000);
      const poll = await fetch(`${base}${location}`, { headers: key ? { 'x-functions-key': key } : {} });
      if (poll.status !== 200) {
        console.error(`\ncannot read the import run: HTTP ${poll.status}: ${await poll.text()}`);
        return 1;
      }
      report = (await poll.json()) as Report;
    }
    out.write(tty ? `\r${bar(report.rowsDone ?? report.rowsTotal, report.rowsTotal)}\n` : `progress: ${report.rowsDone}/${report.rowsTotal} rows\n`);
  }
  for (const line of formatReport(report)) out.write(`${line}\n`);
  return report.refusedCount || report.status === 'failed' ? 1 : 0;
}

if (require.main === module) runAsCommand(main);
