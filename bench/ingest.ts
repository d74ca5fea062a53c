import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSettings } from '../shared/config/settings';
import { createDatabaseAndContainers, getContainer } from '../shared/store/cosmos';
import { generateSecret, signedHeaders } from '../shared/webhooks/signature';
import { startAzurite } from '../tools/emulators';
import { fmtMs, printPeakRss } from './lib/measure';

/**
 * Webhook ingestion benchmark: signed single-event deliveries posted to the local host (the whole app, as
 * `npm start` runs it, with the apply worker consuming the queue at the same time) at a fixed concurrency.
 * Baseline, measured in the same run against the same Cosmos emulator: raw single-document upserts at the same
 * concurrency. Accepting a delivery costs one Cosmos write (the receipt) plus a queue message plus HTTP,
 * signature and validation, so the ratio says how close ingestion gets to the store's own write rate.
 * The emulator runs in its own process, as Cosmos DB is its own service in Azure.
 *
 *   npm run bench -- ingest [--seconds=6] [--concurrency=16] [--partners=50]
 */

const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const ROOT = path.resolve(__dirname, '..', '..');

function waitFor(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<RegExpExecArray> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), timeoutMs);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${out}`)));
  });
}

/** Peak resident set of a child process (Linux), in MiB. */
function childPeakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Runs `op` from `concurrency` workers for `seconds`; returns per-op latencies (ms) and the elapsed time. */
async function drive(concurrency: number, seconds: number, op: (i: number) => Promise<boolean>): Promise<{ ok: number; failed: number; latencies: number[]; elapsedS: number }> {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const good = await op(next++);
        latencies.push(performance.now() - t0);
        if (good) ok++;
        else failed++;
      }
    }),
  );
  return { ok, failed, latencies, elapsedS: (performance.now() - started) / 1000 };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export async function run(args: string[]): Promise<void> {
  const seconds = arg(args, 'seconds', 6);
  const concurrency = arg(args, 'concurrency', 16);
  const partners = arg(args, 'partners', 50);
  const children: ChildProcess[] = [];
  const azurite = await startAzurite();
  try {
    const cosmos = spawn(process.execPath, ['-e', `require(${JSON.stringify(path.join(ROOT, 'dist', 'tools', 'emulators'))}).startCosmosEmulator(0).then((e) => console.log('COSMOS ' + e.endpoint)); process.stdin.resume(); process.stdin.on('close', () => process.exit(0));`], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(cosmos);
    const endpoint = (await waitFor(cosmos, /COSMOS (\S+)/, 'the Cosmos emulator'))[1]!;
    const settings = parseSettings({ COSMOS_ENDPOINT: endpoint, COSMOS_KEY: 'bench', COSMOS_DATABASE: 'pcs', AzureWebJobsStorage: azurite.connectionString });
    await createDatabaseAndContainers(settings);

    const secret = generateSecret();
    // BENCH_PROFILE_DIR=<dir> writes a CPU profile of the host, to see where an accepted delivery spends its time.
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    const host = spawn(process.execPath, [...profile, path.join(ROOT, 'dist', 'tools', 'devhost', 'main.js'), '--app-dir', ROOT, '--no-timers'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LOCAL_HTTP_PORT: '0',
        LOCAL_HOST_LOG_LEVEL: process.env.BENCH_HOST_LOG ? 'information' : 'warning',
        COSMOS_ENDPOINT: endpoint,
        COSMOS_KEY: 'bench',
        AzureWebJobsStorage: azurite.connectionString,
        WEBHOOK_SOURCES: 'bench',
        WEBHOOK_SECRET_BENCH: secret,
        WEBHOOK_PARTNERS_BENCH: '*',
      },
    });
    children.push(host);
    const url = (await waitFor(host, /Ready in [\d.]+ s: (http:\/\/[^/\s]+)/, 'the local host'))[1]!;
    host.stdout!.on("data", (c: Buffer) => { if (process.env.BENCH_HOST_LOG) process.stderr.write(c); });
    host.stderr!.on("data", (c: Buffer) => { if (process.env.BENCH_HOST_LOG) process.stderr.write(c); });

    // Baseline: receipt-sized documents upserted straight into the same emulator.
    const container = getContainer(settings, 'receipts');
    const doc = (i: number) => ({ id: `raw-${i}`, type: 'bench', source: 'bench', receivedAt: new Date().toISOString(), status: 'accepted', eventCount: 1, partnerIds: [`p-${i % partners}`], bodySha256: 'x'.repeat(64) });
    const upsert = async (i: number) => (await container.items.upsert(doc(i))).statusCode < 300;
    await drive(concurrency, 1, upsert);
    const raw = await drive(concurrency, seconds, upsert);
    const rawRate = raw.ok / raw.elapsedS;

    // Ingestion: one telemetry event per delivery, each with its own webhook-id, spread over partners; each partner
    // reports 100 tenants over and over, so documents stay the size of a real month instead of growing without end.
    const post = async (i: number) => {
      const body = JSON.stringify({
        id: `ev-${i}`,
        type: 'telemetry.monthly',
        partnerId: `bench-p-${i % partners}`,
        occurredAt: new Date().toISOString(),
        data: { month: '2026-01', tenantId: `tenant-${Math.floor(i / partners) % 100}`, platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', acrUsd: i },
      });
      const res = await fetch(`${url}/api/webhooks/bench`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signedHeaders(secret, `msg-${process.pid}-${i}`, body) } });
      await res.arrayBuffer();
      return res.status === 202;
    };
    await drive(concurrency, 1, (i) => post(1_000_000 + i));
    const pids = { host: host.pid, cosmos: cosmos.pid, azurite: azurite.pid, bench: process.pid };
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
    const ingest = await drive(concurrency, seconds, post);
    const cpu = Object.entries(pids).map(([k, pid]) => `${k}=${((cpuSeconds(pid) - cpuBefore[k]!) / ingest.elapsedS * 100).toFixed(0)}%`).join(' ');
    const ingestRate = ingest.ok / ingest.elapsedS;
    const sorted = [...ingest.latencies].sort((a, b) => a - b);

    console.log(`ingest: ${concurrency} concurrent senders for ${seconds} s, single-event signed deliveries, apply worker running`);
    console.log(`raw_upserts=${raw.ok} raw_upserts_per_s=${rawRate.toFixed(0)}`);
    console.log(`deliveries_accepted=${ingest.ok} deliveries_failed=${ingest.failed} deliveries_per_s=${ingestRate.toFixed(0)}`);
    console.log(`latency_202_p50_ms=${fmtMs(pct(sorted, 50))} latency_202_p99_ms=${fmtMs(pct(sorted, 99))} latency_202_max_ms=${fmtMs(sorted.at(-1) ?? NaN)}`);
    const hostRss = childPeakRssMb(host.pid);
    const cosmosRss = childPeakRssMb(cosmos.pid);
    console.log(`cpu_during_ingest ${cpu} (of one core; this machine has 2)`);
    if (hostRss !== undefined) console.log(`host_peak_rss_mb=${hostRss.toFixed(1)} cosmos_emulator_peak_rss_mb=${cosmosRss?.toFixed(1) ?? 'n/a'}`);
    printPeakRss();
    console.log(`ingest_vs_raw_upsert=${(ingestRate / rawRate).toFixed(2)}`);
  } finally {
    for (const c of children.reverse()) {
      c.stdin?.end();
      c.kill('SIGTERM');
      await new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)));
    }
    await azurite.close();
  }
}
