import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { eventually, REPO_ROOT, startHostProcess, type HostProcess } from '../helpers/host-process';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';
import { main } from '../../tools/import';

/**
 * Spreadsheet imports (issue 15, item 4) through the local host: a CSV and an XLSX file of each record kind with
 * refused rows reported by line, column and reason; the bad files a partner really sends; a re-import that changes
 * nothing; the score after an import; and a file long enough to run in the background with its progress.
 */

const INLINE = 50;
const MAX_BYTES = 300_000;
const MAX_ROWS = 400;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let host: HostProcess;
beforeAll(async () => {
  host = await startHostProcess({ env: { IMPORT_INLINE_MAX_ROWS: String(INLINE), IMPORT_CHUNK_ROWS: '40', IMPORT_MAX_ROWS: String(MAX_ROWS), IMPORT_MAX_BYTES: String(MAX_BYTES), RECOMPUTE_COALESCE_SECONDS: '1' } });
}, 90_000);
afterAll(async () => {
  await host?.stop();
});

type Report = { partnerId: string; kind: string; format: string; sheet?: string; sheets?: string[]; rowsTotal: number; applied: number; unchanged: number; older: number; refusedCount: number; refused: { line: number; field: string; reason: string }[]; ignoredColumns: { column: string; reason: string }[]; runId?: string; status?: string; rowsDone?: number };

async function post(partner: string, body: string | Buffer, contentType: string, query = ''): Promise<{ status: number; json: Report & { error?: string; message?: string; details?: { path: string; message: string }[] }; location: string | null }> {
  const res = await fetch(`${host.url}/api/partners/${partner}/imports${query}`, { method: 'POST', body, headers: { 'content-type': contentType } });
  return { status: res.status, json: (await res.json()) as never, location: res.headers.get('location') };
}

async function workbook(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csv = (rows: unknown[][]) => rows.map((r) => r.map((c) => (typeof c === 'string' && /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : String(c ?? ''))).join(',')).join('\r\n') + '\r\n';
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
const month = (monthsAgo: number) => { const d = new Date(); d.setUTCDate(1); d.setUTCMonth(d.getUTCMonth() - monthsAgo); return d.toISOString().slice(0, 7); };
const T1 = '0b8f1c1e-3f1a-4c5e-9a49-1f0d3b7e2a10';
const T2 = '7d2e4a90-5b3c-4f61-8e27-3c9a1b0f6d45';

/** One file per kind: good rows, and one bad row each, whose line and column the report must name. */
const FILES: Record<string, { rows: unknown[][]; good: number; bad: { line: number; field: string; reason: RegExp } }> = {
  customers: {
    rows: [['Customer tenant ID', 'Customer Name', 'Relationship', 'Start date'], [T1, 'Contoso', 'Direct', day(100)], [T2, 'Fabrikam', 'Indirect reseller', day(90)], ['', 'No tenant', '1', day(80)]],
    good: 2,
    bad: { line: 4, field: 'Customer tenant ID', reason: /tenantId/ },
  },
  associations: {
    rows: [
      ['Association type', 'Tenant Id', 'Claim ID', 'Solution area', 'Partner role', 'Workloads', 'Status', 'Date', 'Object ID'],
      ['CPOR', T1, 'claim-1', 'Modern Work', 'Use or consume', 'Teams;Exchange', 'Approved', day(60), ''],
      ['PAL', T2, '', '', '', '', '', day(50), 'obj-1'],
      ['DPOR', T2, '', '', '', '', '', day(40), ''],
    ],
    good: 2,
    bad: { line: 4, field: 'subscription_id', reason: /subscriptionId/ },
  },
  professionals: {
    rows: [
      ['Learn profile ID', 'Name', 'Email', 'Certification', 'Date earned', 'Expiration date'],
      ['lp-ada', 'Ada', 'ada@example.com', 'AZ-104', day(20), ''],
      ['lp-ada', 'Ada', 'ada@example.com', 'Microsoft Certified: Azure Solutions Architect Expert', day(10), ''],
      ['lp-bob', 'Bob', 'bob@example.com', 'AZ-999', day(5), ''],
    ],
    good: 2,
    bad: { line: 4, field: 'Certification', reason: /AZ-999.*closest/ },
  },
  telemetry: {
    rows: [
      ['Month', 'Customer tenant ID', 'Platform', 'Workload', 'Association type', 'ACR (USD)', 'MPN ID'],
      [month(2), T1, 'Azure', 'Virtual Machines', 'PAL', '$1,200.50', ''],
      [month(1), T1, 'azure', 'Virtual Machines', 'PAL', 1300, ''],
      [month(1), T2, 'azure', 'Storage', 'CPOR', -5, ''],
    ],
    good: 2,
    bad: { line: 4, field: 'ACR (USD)', reason: /acrUsd must be zero or more/ },
  },
};

describe('a CSV and an XLSX import of each record kind', () => {
  for (const [kind, file] of Object.entries(FILES)) {
    for (const format of ['csv', 'xlsx'] as const) {
      it(`${kind} as ${format}: good rows applied, the bad row refused with its line, column and reason; a re-import changes nothing`, async () => {
        const partner = uid(`p-imp-${kind}-${format}`);
        const body = format === 'csv' ? csv(file.rows) : await workbook({ Sheet1: file.rows });
        const type = format === 'csv' ? 'text/csv' : XLSX;
        const first = await post(partner, body, type);
        expect(first.status, JSON.stringify(first.json)).toBe(200);
        expect(first.json).toMatchObject({ partnerId: partner, kind, format, rowsTotal: file.rows.length - 1, applied: file.good, refusedCount: 1 });
        expect(first.json.refused).toHaveLength(1);
        expect(first.json.refused[0]).toMatchObject({ line: file.bad.line, field: file.bad.field });
        expect(first.json.refused[0]!.reason).toMatch(file.bad.reason);

        const again = await post(partner, body, type);
        expect(again.status).toBe(200);
        expect(again.json).toMatchObject({ applied: 0, unchanged: file.good, refusedCount: 1 });
      }, 60_000);
    }
  }

  it('stores what the rows say: associations, telemetry and professionals read back through the API', async () => {
    const partner = uid('p-imp-read');
    expect((await post(partner, csv(FILES.associations!.rows), 'text/csv')).status).toBe(200);
    expect((await post(partner, csv(FILES.telemetry!.rows), 'text/csv')).status).toBe(200);
    const assoc = await getJson(`${host.url}/api/partners/${partner}/associations`);
    const items = assoc.json.items as { type: string; tenantId: string; status: string; workloads?: string[]; solutionArea?: string }[];
    expect(items.map((a) => a.type).sort()).toEqual(['CPOR', 'PAL']);
    expect(items.find((a) => a.type === 'CPOR')).toMatchObject({ tenantId: T1, status: 'active', workloads: ['Teams', 'Exchange'], solutionArea: 'modern-work' });
    const tel = await getJson(`${host.url}/api/partners/${partner}/telemetry`);
    const rows = tel.json.items as { month: string; acrUsd: number }[];
    expect(rows.map((r) => [r.month, r.acrUsd]).sort()).toEqual([[month(2), 1200.5], [month(1), 1300]].sort());
  }, 60_000);

  it('changes the score: imported certifications count after the recompute the import asked for', async () => {
    const partner = uid('p-imp-score');
    const before = await getJson(`${host.url}/api/partners/${partner}/scores/infrastructure`);
    expect(before.status).toBe(404);
    const res = await post(partner, await workbook({ People: FILES.professionals!.rows }), XLSX);
    expect(res.status).toBe(200);
    const area = await eventually(async () => {
      const r = await getJson(`${host.url}/api/partners/${partner}/scores/infrastructure`);
      return r.status === 200 ? r.json : undefined;
    }, 30_000, 'infrastructure score');
    type Line = { subject: string; reason: string };
    const metric = (id: string) => (area.breakdown.metrics as { id: string; explanation: Line[] }[]).find((m) => m.id === id)!;
    expect(metric('intermediate-certifications').explanation.find((l) => l.subject === 'Step 1: Azure Administrator Associate')!.reason).toBe('1 of 2 required people certified (Ada (lp-ada))');
  }, 60_000);
});

describe('bad files', () => {
  const partner = uid('p-imp-bad');
  const header = 'Month,Tenant ID,Platform,Workload,Association type,ACR\n';

  it('refuses an unbalanced quote with 400 naming the line, importing nothing', async () => {
    const res = await post(partner, `${header}${month(1)},${T1},azure,"Virtual Machines,PAL,1\n${month(1)},${T2},azure,Storage,PAL,2\n`, 'text/csv');
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/line 2.*unbalanced quote.*Nothing was imported/);
    const tel = await getJson(`${host.url}/api/partners/${partner}/telemetry`);
    expect(tel.json.items ?? []).toHaveLength(0);
  });

  it('refuses a file that is not UTF-8 with 415 naming the encoding and the line, and accepts a UTF-8 byte order mark', async () => {
    const latin1 = Buffer.from(`Learn profile ID,Name\nlp-jose,Jos\xe9\n`, 'latin1');
    const res = await post(partner, latin1, 'text/csv');
    expect(res.status).toBe(415);
    expect(res.json.message).toMatch(/not UTF-8: byte 0xe9 at line 2.*Windows-1252/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Learn profile ID\nlp-x\n', 'utf16le')]);
    const res16 = await post(partner, utf16, 'text/csv');
    expect(res16.status).toBe(415);
    expect(res16.json.message).toMatch(/UTF-16/);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Learn profile ID,Name\nlp-josé,José\n')]);
    const ok = await post(uid('p-imp-bom'), bom, 'text/csv');
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(ok.json).toMatchObject({ kind: 'professionals', applied: 1 });
  });

  it('refuses a header without the required columns with 400 naming them', async () => {
    const res = await post(partner, 'Month,Tenant ID,ACR\n2026-01,t,1\n', 'text/csv', '?kind=telemetry');
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/missing the columns platform .*; workload .*; association_type/);
    expect(res.json.details!.map((d) => d.path)).toEqual(['header:platform', 'header:workload', 'header:association_type']);
    const unknown = await post(partner, 'Colour,Size\nred,1\n', 'text/csv');
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/does not say what the file holds.*kind=customers\|associations\|professionals\|telemetry/);
    const badKind = await post(partner, header, 'text/csv', '?kind=widgets');
    expect(badKind.status).toBe(400);
    expect(badKind.json.details![0]!.path).toBe('query.kind');
  });

  it('uses a formula\'s cached value and refuses a row whose formula has none, with the cell', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Usage');
    ws.addRow(['Month', 'Tenant ID', 'Platform', 'Workload', 'Association type', 'ACR']);
    ws.addRow([month(1), T1, 'azure', 'Virtual Machines', 'PAL', { formula: '600*2', result: 1200 }]);
    ws.addRow([month(1), T2, 'azure', 'Storage', 'PAL', { formula: 'SUM(Z1:Z9)' }]);
    const p = uid('p-imp-formula');
    const res = await post(p, Buffer.from(await wb.xlsx.writeBuffer()), XLSX);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ applied: 1, refusedCount: 1 });
    expect(res.json.refused[0]).toMatchObject({ line: 3, field: 'ACR' });
    expect(res.json.refused[0]!.reason).toMatch(/cell F3 holds the formula =SUM\(Z1:Z9\) without a computed value/);
    const tel = await getJson(`${host.url}/api/partners/${p}/telemetry`);
    expect((tel.json.items as { acrUsd: number }[]).map((r) => r.acrUsd)).toEqual([1200]);
  });

  it('reads the first of several sheets and says so, or the sheet named by ?sheet=', async () => {
    const body = await workbook({ Notes: [['Learn profile ID'], ['lp-first']], People: [['Learn profile ID', 'Name'], ['lp-second', 'Second'], ['lp-third', 'Third']] });
    const p = uid('p-imp-sheets');
    const first = await post(p, body, XLSX);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ sheet: 'Notes', sheets: ['Notes', 'People'], rowsTotal: 1 });
    const named = await post(p, body, XLSX, '?sheet=People');
    expect(named.json).toMatchObject({ sheet: 'People', rowsTotal: 2, applied: 2 });
    const missing = await post(p, body, XLSX, '?sheet=Nope');
    expect(missing.status).toBe(400);
    expect(missing.json.message).toMatch(/no sheet "Nope"; its sheets are "Notes", "People"/);
  });

  it('refuses a file over IMPORT_MAX_BYTES or IMPORT_MAX_ROWS with 413 naming the limit', async () => {
    const big = header + `${month(1)},${T1},azure,Virtual Machines,PAL,1\n`.repeat(Math.ceil(MAX_BYTES / 40));
    const res = await post(partner, big, 'text/csv');
    expect(res.status).toBe(413);
    expect(res.json.message).toContain(`${MAX_BYTES} bytes (IMPORT_MAX_BYTES)`);
    const long = header + Array.from({ length: MAX_ROWS + 1 }, (_, i) => `${month(1)},t${i},azure,VM,PAL,1`).join('\n');
    const res2 = await post(partner, long, 'text/csv');
    expect(res2.status).toBe(413);
    expect(res2.json.message).toContain(`more than ${MAX_ROWS} data rows, the import limit (IMPORT_MAX_ROWS)`);
  });

  it('refuses what is not a spreadsheet with 415', async () => {
    const res = await post(partner, '{"a":1}', 'application/json');
    expect(res.status).toBe(415);
    const xls = await post(partner, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'application/octet-stream');
    expect(xls.status).toBe(415);
    expect(xls.json.message).toMatch(/Excel 97-2003/);
  });

  it('refuses a row naming another partner', async () => {
    const p = uid('p-imp-other');
    const res = await post(p, csv(FILES.telemetry!.rows.map((r, i) => (i === 1 ? [...r.slice(0, 6), 'someone-else'] : r))), 'text/csv');
    expect(res.status).toBe(200);
    expect(res.json.refused.find((r) => r.line === 2)).toMatchObject({ field: 'MPN ID' });
  });
});

describe('a long file in the background', () => {
  it('answers 202 with the run, applies every chunk with progress, and a re-import changes nothing', async () => {
    const partner = uid('p-imp-bg');
    const rows: unknown[][] = [['Month', 'Customer tenant ID', 'Platform', 'Workload', 'Association type', 'ACR (USD)']];
    for (let i = 0; i < 120; i++) rows.push([month(1 + (i % 3)), `tenant-${i}`, 'azure', 'Virtual Machines', 'PAL', i === 77 ? 'lots' : 100 + i]);
    const body = csv(rows);
    const res = await post(partner, body, 'text/csv');
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    expect(res.json).toMatchObject({ status: 'running', rowsTotal: 120, rowsDone: 0 });
    expect(res.location).toBe(`/api/partners/${partner}/imports/${res.json.runId}`);
    const done = await eventually(async () => {
      const r = await getJson(`${host.url}${res.location}`);
      return r.json.status === 'finished' ? (r.json as Report) : undefined;
    }, 60_000, 'import run finished');
    expect(done).toMatchObject({ rowsTotal: 120, rowsDone: 120, applied: 119, refusedCount: 1 });
    expect(done.refused).toEqual([{ line: 79, field: 'ACR (USD)', reason: '"lots" is not a number' }]);
    // Operators read the same run at /api/runs/{id}.
    const run = await getJson(`${host.url}/api/runs/${res.json.runId}`);
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ runId: res.json.runId, status: 'finished', rowsDone: res.json.rowsTotal });

    const again = await post(partner, body, 'text/csv');
    expect(again.status).toBe(202);
    const second = await eventually(async () => {
      const r = await getJson(`${host.url}${again.location}`);
      return r.json.status === 'finished' ? (r.json as Report) : undefined;
    }, 60_000, 'second import run finished');
    expect(second).toMatchObject({ applied: 0, unchanged: 119, refusedCount: 1 });
  }, 120_000);
});

describe('npm run import', () => {
  it('--help prints the usage and exits 0; a missing --partner or an unknown flag exits 2', async () => {
    const out = capture();
    expect(await main(['--help'], out.stream)).toBe(0);
    expect(out.text()).toContain('usage: npm run import -- <file.csv|file.xlsx> --partner PARTNER_ID');
    expect(await main(['file.csv'], capture().stream)).toBe(2);
    expect(await main(['file.csv', '--partner', 'p', '--colour', 'red'], capture().stream)).toBe(2);
  });

  it('uploads a file, follows the background run with progress lines when not on a terminal, and prints the report', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pcs-import-'));
    const file = path.join(dir, 'usage.csv');
    const rows: unknown[][] = [['Month', 'Customer tenant ID', 'Platform', 'Workload', 'Association type', 'ACR (USD)']];
    for (let i = 0; i < 90; i++) rows.push([month(1), `tenant-${i}`, 'azure', 'Storage', 'CPOR', i === 5 ? -1 : i]);
    await writeFile(file, csv(rows));
    const out = capture();
    const code = await main([file, '--partner', uid('p-imp-cli'), '--url', host.url], out.stream);
    expect(code).toBe(1);
    const text = out.text();
    expect(text).toMatch(/90 rows: importing in the background as import-\d{14}-[0-9a-f]{8}/);
    expect(text).toContain('progress: 90/90 rows');
    expect(text).toContain('telemetry import (csv): 90 rows: 89 applied, 0 unchanged, 0 older, 1 refused.');
    expect(text).toContain('line 7, ACR (USD): acrUsd must be zero or more');
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});

function capture(): { stream: NodeJS.WriteStream; text(): string } {
  let buf = '';
  const stream = new Writable({ write(chunk, _enc, cb) { buf += String(chunk); cb(); } }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => buf };
}

describe('the example files of docs/imports.md', () => {
  for (const name of ['customers.csv', 'associations.csv', 'professionals.csv', 'telemetry.csv', 'telemetry.xlsx']) {
    it(`${name} imports with no row refused`, async () => {
      const body = readFileSync(path.join(REPO_ROOT, 'docs', 'examples', 'imports', name));
      const res = await post(uid('p-imp-example'), body, name.endsWith('.xlsx') ? XLSX : 'text/csv');
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json.refused).toEqual([]);
      expect(res.json.applied).toBe(res.json.rowsTotal);
    });
  }
});
