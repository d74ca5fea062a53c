import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHttpServer } from '@vercel/cosmosdb-server';
import { getSettings, resetSettingsCache } from '../shared/config/settings';
import { importSnapshotAsState } from '../tools/fixtures/snapshot-import';
import type { RunDoc } from '../shared/runs/run-store';
import { todayUtc } from '../shared/lib/dates';
import { loadPartnerState } from '../shared/state/state-store';
import { createDatabaseAndContainers } from '../shared/store/cosmos';
import { startAzurite } from '../tools/emulators';
import { collectGarbage, fmtMs, printPeakRss } from './lib/measure';
import { generateSnapshot } from '../tools/fixtures/snapshot-generate';

/**
 * `npm run bench -- recompute [--partners N]`: the nightly recompute of N partners (default 1,000) end to end,
 * timer to finished run, through Azurite queues and the local host (a child process, as `npm start` runs it),
 * against the time to read the same partners' state documents straight from the emulator.
 *
 * The Cosmos emulator runs in this process behind a counter of its requests, so the documents read and written
 * per partner are measured at the wire (fan-out queries, run bookkeeping and all), not estimated.
 */

/** A typical partner: 20 customer tenants, 40 associations, 10 certified people, 24 months of telemetry. */
const PARTNER = { tenants: 20, associations: 40, professionals: 10, months: 24 };
const CONCURRENCY = 16;

interface Counts {
  reads: number;
  writes: number;
  queries: number;
  readBytes: number;
  writeBytes: number;
}

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function hostPeakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function run(args: string[]): Promise<void> {
  const partners = arg(args, 'partners', 1000);
  const date = todayUtc();

  const counts: Counts = { reads: 0, writes: 0, queries: 0, readBytes: 0, writeBytes: 0 };
  const cosmos = createHttpServer({ keepAlive: true } as Parameters<typeof createHttpServer>[0]);
  cosmos.on('request', (req, res) => {
    const isDoc = /\/docs(\/|$)/.test(req.url ?? '');
    if (!isDoc) return;
    if (req.headers['x-ms-documentdb-isquery'] === 'True' || req.headers['content-type'] === 'application/query+json') counts.queries++;
    else if (req.method === 'GET') {
      counts.reads++;
      // Document sizes are what request units scale with; docs/scale.md uses them.
      const end = res.end.bind(res) as (...a: unknown[]) => typeof res;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (res.statusCode === 200 && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) counts.readBytes += Buffer.byteLength(chunk);
        return end(chunk, ...rest);
      }) as typeof res.end;
    } else {
      counts.writes++;
      counts.writeBytes += Number(req.headers['content-length'] ?? 0);
    }
  });
  // Longer than any pause of the clients, so a kept-alive socket is never closed under a request (ECONNRESET).
  cosmos.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => cosmos.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(cosmos.address() as AddressInfo).port}/`;
  const azurite = await startAzurite();
  const env: Record<string, string> = {
    COSMOS_ENDPOINT: endpoint,
    COSMOS_KEY: 'bench',
    COSMOS_DATABASE: 'bench',
    COSMOS_CREATE_CONTAINERS: 'true',
    AzureWebJobsStorage: azurite.connectionString,
    SCORE_RECOMPUTE_SCHEDULE: '0 0 0 1 1 *',
  };
  Object.assign(process.env, env);
  resetSettingsCache();
  await createDatabaseAndContainers(getSettings());

  const ids = Array.from({ length: partners }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
  let t = Date.now();
  await pool(ids, CONCURRENCY, (id) => importSnapshotAsState(generateSnapshot({ ...PARTNER, date, seed: Number(id.slice(6)) + 1, partnerId: id })));
  const stateDocs = counts.writes;
  process.stderr.write(`seeded ${partners} partners (${(stateDocs / partners).toFixed(1)} documents written each, directory included) in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);

  const main = path.join(__dirname, '..', 'tools', 'devhost', 'main.js');
  // BENCH_HOST_NODE_ARGS (e.g. "--cpu-prof") profiles the host child.
  const hostArgs = (process.env.BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...hostArgs, main], { env: { ...process.env, ...env, LOCAL_HTTP_PORT: '0', LOCAL_DATA_DIR: 'none', LOCAL_PRINCIPAL: 'bench-operator roles=operator', LOCAL_HOST_LOG_LEVEL: process.env.BENCH_HOST_LOG_LEVEL ?? 'warning' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = /Ready in [\d.]+ s: (http:\/\/[^/\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`host exited (${code}):\n${out}`)));
  });

  try {
    collectGarbage();
    const before = { ...counts };
    t = Date.now();
    const start = await fetch(`${url}/api/runs/recompute`, { method: 'POST' });
    if (start.status !== 202) throw new Error(`starting the run answered ${start.status}: ${await start.text()}`);
    const runId = ((await start.json()) as { run: RunDoc }).run.id;
    let finished: RunDoc | undefined;
    let lastReport = Date.now();
    while (!finished) {
      await new Promise((r) => setTimeout(r, 100));
      if (child.exitCode !== null) throw new Error(`the host exited (${child.exitCode}) during the run:\n${out.slice(-4000)}`);
      const r = (await (await fetch(`${url}/api/runs/${runId}`)).json()) as RunDoc;
      if (r.status === 'finished') finished = r;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        process.stderr.write(`  ... ${((Date.now() - t) / 1000).toFixed(0)} s: ${r.done} done, ${r.failed} failed, ${r.stale} stale of ${r.total ?? '?'}\n`);
      }
      if (Date.now() - t > 10 * 60_000) throw new Error(`run not finished after 10 minutes: ${JSON.stringify(r)}\n${out.slice(-4000)}`);
    }
    const recomputeMs = Date.now() - t;
    if (process.env.BENCH_HOST_LOG_LEVEL) {
      const logFile = path.join(os.tmpdir(), 'bench-host.log');
      fs.writeFileSync(logFile, out);
      process.stderr.write(`host log: ${logFile}\n`);
    }
    const rec = { reads: counts.reads - before.reads, writes: counts.writes - before.writes, queries: counts.queries - before.queries, readKb: (counts.readBytes - before.readBytes) / 1024, writeKb: (counts.writeBytes - before.writeBytes) / 1024 };
    const hostRss = hostPeakRssMb(child.pid);
    if (finished.done !== partners) throw new Error(`run finished with ${JSON.stringify({ done: finished.done, failed: finished.failed, stale: finished.stale })}:\n${out.slice(-4000)}`);

    collectGarbage();
    const beforeRead = { ...counts };
    t = Date.now();
    await pool(ids, CONCURRENCY, async (id) => {
      if (!(await loadPartnerState(id))) throw new Error(`partner ${id} not found`);
    });
    const readMs = Date.now() - t;
    const readDocs = counts.reads - beforeRead.reads;
    const readOnlyKb = (counts.readBytes - beforeRead.readBytes) / 1024;

    // The dashboard's first screen for a caller who sees every partner, as the page loads it: the list, then each
    // partner's scores six at a time (dashboard/src/portfolio.ts).
    t = Date.now();
    const list = (await (await fetch(`${url}/api/partners`)).json()) as { partners: { partnerId: string }[] };
    await pool(list.partners, 6, async (p) => {
      const r = await fetch(`${url}/api/partners/${encodeURIComponent(p.partnerId)}/scores`);
      if (r.status !== 200) throw new Error(`scores of ${p.partnerId} answered ${r.status}`);
      await r.arrayBuffer();
    });
    const portfolioMs = Date.now() - t;

    // The run's own polling by this benchmark (GET /api/runs) is a handful of reads; it is not subtracted.
    console.log(`partners=${partners} (tenants ${PARTNER.tenants}, associations ${PARTNER.associations}, professionals ${PARTNER.professionals}, months ${PARTNER.months})`);
    console.log(`recompute: ${fmtMs(recomputeMs / 1000)} s end to end (timer request to finished run), ${fmtMs(recomputeMs / partners)} ms per partner`);
    console.log(`read:      ${fmtMs(readMs / 1000)} s to point-read every partner's state (loadPartnerState, concurrency ${CONCURRENCY}), ${fmtMs(readMs / partners)} ms per partner`);
    console.log(`recompute documents per partner: ${(rec.reads / partners).toFixed(2)} read, ${(rec.writes / partners).toFixed(2)} written, ${(rec.queries / partners).toFixed(3)} queries`);
    console.log(`recompute KB per partner: ${(rec.readKb / partners).toFixed(1)} read, ${(rec.writeKb / partners).toFixed(1)} written`);
    console.log(`read-only documents per partner: ${(readDocs / partners).toFixed(2)} read, ${(readOnlyKb / partners).toFixed(1)} KB`);
    console.log(`portfolio: ${fmtMs(portfolioMs / 1000)} s for the dashboard's first screen over ${list.partners.length} partners (the list, then their scores six at a time)`);
    if (hostRss !== undefined) console.log(`host_peak_rss_mb=${hostRss.toFixed(1)}`);
    printPeakRss();
    console.log(`recompute_vs_read=${(recomputeMs / readMs).toFixed(2)}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await azurite.close();
    cosmos.closeAllConnections?.();
    await new Promise((r) => cosmos.close(r));
  }
}
