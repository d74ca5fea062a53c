import { startCosmosChild, stopChildren, waitFor } from './lib/processes';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getContainer } from '../shared/store/cosmos';
import { generateSecret, signedHeaders } from '../shared/lib/signing';
import { startAzurite } from '../tools/emulators';
import { printPeakRss } from './lib/measure';

/**
 * Import throughput: a 100,000-row monthly telemetry CSV imported end to end through the local host (upload,
 * background run, every row applied by the webhook path's reducers), in rows applied per second from the upload
 * to the run's end. Baseline, in the same run against the same emulators and host: the same rows sent as signed
 * webhook deliveries of 500 events (at 4 at a time), from the first post to the last delivery applied.
 * The Cosmos emulator runs in its own process, as Cosmos DB is its own service in Azure.
 *
 *   npm run bench -- imports [--rows=100000] [--months=24]
 */

const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const ROOT = path.resolve(__dirname, '..', '..');
const BATCH = 500;
const SENDERS = 4;


function childPeakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The rows, month by month as Partner Center's downloads list them: tenant x workload within each month. */
function telemetryRows(rows: number, months: number): { month: string; tenantId: string; workload: string; acrUsd: number }[] {
  const perMonth = Math.ceil(rows / months);
  const workloads = ['Virtual Machines', 'Storage', 'Azure SQL Database', 'Azure Kubernetes Service', 'App Service'];
  const now = new Date();
  const out: { month: string; tenantId: string; workload: string; acrUsd: number }[] = [];
  for (let m = 0; m < months && out.length < rows; m++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + m, 1));
    const month = d.toISOString().slice(0, 7);
    for (let i = 0; i < perMonth && out.length < rows; i++) out.push({ month, tenantId: `tenant-${Math.floor(i / workloads.length)}`, workload: workloads[i % workloads.length]!, acrUsd: 100 + (i % 997) });
  }
  return out;
}

export async function run(args: string[]): Promise<void> {
  const rowCount = arg(args, 'rows', 100_000);
  const months = arg(args, 'months', 24);
  const children: ChildProcess[] = [];
  const azurite = await startAzurite();
  try {
    const { endpoint, settings, cosmos } = await startCosmosChild(children, azurite.connectionString, 60_000);
    const secret = generateSecret();
    const host = spawn(process.execPath, [path.join(ROOT, 'dist', 'tools', 'devhost', 'main.js'), '--app-dir', ROOT, '--no-timers'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LOCAL_HTTP_PORT: '0',
        LOCAL_HOST_LOG_LEVEL: process.env.BENCH_HOST_LOG ? 'information' : 'error',
        COSMOS_ENDPOINT: endpoint,
        COSMOS_KEY: 'bench',
        AzureWebJobsStorage: azurite.connectionString,
        WEBHOOK_SOURCES: 'bench',
        WEBHOOK_SECRET_BENCH: secret,
        WEBHOOK_PARTNERS_BENCH: '*',
        IMPORT_MAX_ROWS: String(Math.max(rowCount, 200_000)),
        // The import route needs a signed-in caller: an operator, as in the tests; keys stay in memory.
        LOCAL_PRINCIPAL: 'bench-operator roles=operator',
        LOCAL_DATA_DIR: 'none',
      },
    });
    children.push(host);
    const url = (await waitFor(host, /Ready in [\d.]+ s: (http:\/\/[^/\s]+)/, 'the host', 60_000))[1]!;
    host.stdout!.removeAllListeners('data');
    host.stderr!.removeAllListeners('data');
    host.stdout!.on('data', (c: Buffer) => { if (process.env.BENCH_HOST_LOG) process.stderr.write(c); });
    host.stderr!.on('data', (c: Buffer) => { if (process.env.BENCH_HOST_LOG) process.stderr.write(c); });

    const rows = telemetryRows(rowCount, months);
    const csv = `Month,Customer tenant ID,Platform,Workload,Association type,ACR (USD)\n${rows.map((r) => `${r.month},${r.tenantId},azure,${r.workload},PAL,${r.acrUsd}`).join('\n')}\n`;

    // The import: upload, then follow the run to its end.
    const importPartner = 'bench-import';
    const t0 = performance.now();
    const res = await fetch(`${url}/api/partners/${importPartner}/imports`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
    const accepted = (await res.json()) as { runId?: string; status?: string; applied: number; unchanged: number; older: number; refusedCount: number };
    const acceptS = (performance.now() - t0) / 1000;
    if (res.status !== 202 && res.status !== 200) throw new Error(`import refused: ${res.status} ${JSON.stringify(accepted)}`);
    let report = accepted as { status?: string; applied: number; unchanged: number; older: number; refusedCount: number; rowsDone?: number };
    while (res.status === 202 && report.status === 'running') {
      await sleep(250);
      report = (await (await fetch(`${url}${res.headers.get('location')}`)).json()) as typeof report;
    }
    const importS = (performance.now() - t0) / 1000;
    const importRate = report.applied / importS;

    // The baseline: the same rows as signed webhook deliveries of 500 events, for another partner.
    const hookPartner = 'bench-webhooks';
    const occurredAt = new Date().toISOString();
    const bodies: string[] = [];
    for (let i = 0; i < rows.length; i += BATCH) {
      const events = rows.slice(i, i + BATCH).map((r, j) => ({ id: `ev-${i + j}`, type: 'telemetry.monthly', partnerId: hookPartner, occurredAt, data: { month: r.month, tenantId: r.tenantId, platform: 'azure', workload: r.workload, associationType: 'PAL', acrUsd: r.acrUsd } }));
      bodies.push(JSON.stringify({ events }));
    }
    const t1 = performance.now();
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < bodies.length) {
          const i = next++;
          const r = await fetch(`${url}/api/webhooks/bench`, { method: 'POST', body: bodies[i]!, headers: { 'content-type': 'application/json', ...signedHeaders(secret, `bench-${process.pid}-${i}`, bodies[i]!) } });
          await r.arrayBuffer();
          if (r.status !== 202) failed++;
        }
      }),
    );
    const postS = (performance.now() - t1) / 1000;
    const receipts = getContainer(settings, 'receipts');
    const applied = async () => (await receipts.items.query<number>("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'receipt' AND c.status = 'applied'").fetchAll()).resources[0] ?? 0;
    let done = 0;
    while (performance.now() - t1 < 900_000) {
      done = await applied();
      if (done >= bodies.length - failed) break;
      await sleep(250);
    }
    const hookS = (performance.now() - t1) / 1000;
    const hookRate = (done * BATCH) / hookS;

    console.log(`imports: ${rows.length} monthly telemetry rows over ${months} months, one partner, one host instance (HTTP and queue functions), Cosmos emulator in its own process`);
    console.log(`import_upload_s=${acceptS.toFixed(2)} import_end_to_end_s=${importS.toFixed(1)} status=${report.status ?? 'inline'} rows_applied=${report.applied} rows_unchanged=${report.unchanged} rows_older=${report.older} rows_refused=${report.refusedCount} import_rows_per_s=${importRate.toFixed(0)}`);
    console.log(`webhook_deliveries=${bodies.length} (of ${BATCH} events, ${SENDERS} senders) failed=${failed} posted_in_s=${postS.toFixed(1)} applied=${done} end_to_end_s=${hookS.toFixed(1)} webhook_rows_per_s=${hookRate.toFixed(0)}`);
    const hostRss = childPeakRssMb(host.pid);
    const cosmosRss = childPeakRssMb(cosmos.pid);
    console.log(`host_peak_rss_mb=${hostRss?.toFixed(1) ?? 'n/a'} cosmos_emulator_peak_rss_mb=${cosmosRss?.toFixed(1) ?? 'n/a'}`);
    printPeakRss();
    console.log(`import_vs_webhook_batches=${(importRate / hookRate).toFixed(2)}`);
  } finally {
    await stopChildren(children);
    await azurite.close();
  }
}
