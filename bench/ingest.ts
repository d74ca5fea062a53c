import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getContainer, getDatabase } from '../shared/store/cosmos';
import { generateSecret, signedHeaders } from '../shared/lib/signing';
import { startAzurite } from '../tools/emulators';
import { fmtMs, printPeakRss } from './lib/measure';
import { childPeakRssMb, startCosmosChild, stopChildren, waitFor } from './lib/processes';

/**
 * Webhook ingestion benchmark: signed single-event deliveries posted at a fixed concurrency to a front instance
 * of the local host (the whole app, as `npm start` runs it, with the queue functions off: on Flex Consumption
 * HTTP functions and each queue function scale on instances of their own). Then a worker instance applies
 * everything that was accepted, and its drain rate is reported beside the acceptance rate.
 * Baseline, measured in the same run against the same Cosmos emulator: raw single-document upserts at the same
 * concurrency. Accepting a delivery costs one Cosmos write (the receipt) plus a queue message plus HTTP,
 * signature and validation, so the ratio says how close ingestion gets to the store's own write rate.
 * The emulator runs in its own process, as Cosmos DB is its own service in Azure.
 *
 *   npm run bench -- ingest [--seconds=6] [--concurrency=16] [--partners=50]
 */

const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const ROOT = path.resolve(__dirname, '..', '..');

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
    const { endpoint, settings, cosmos } = await startCosmosChild(children, azurite.connectionString);

    const secret = generateSecret();
    // BENCH_PROFILE_DIR=<dir> writes a CPU profile of the host, to see where an accepted delivery spends its time.
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    /**
     * On Flex Consumption HTTP functions scale in their own instance group and each queue function scales on
     * its own, so the front end that answers senders never shares an instance with the apply worker. The
     * benchmark reproduces that: a front instance with the queue functions off, then a worker instance.
     */
    const startHostInstance = async (role: 'front' | 'worker') => {
      const off = role === 'front' ? ['applyEvents', 'scoreRecompute', 'partnerNotifications'] : ['webhooksReceive'];
      const child = spawn(process.execPath, [...profile, path.join(ROOT, 'dist', 'tools', 'devhost', 'main.js'), '--app-dir', ROOT, '--no-timers'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...Object.fromEntries(off.map((f) => [`AzureWebJobs.${f}.Disabled`, 'true'])),
          LOCAL_HTTP_PORT: '0',
          LOCAL_HOST_LOG_LEVEL: process.env.BENCH_HOST_LOG ? 'information' : 'error',
          COSMOS_ENDPOINT: endpoint,
          COSMOS_KEY: 'bench',
          AzureWebJobsStorage: azurite.connectionString,
          WEBHOOK_SOURCES: 'bench',
          WEBHOOK_SECRET_BENCH: secret,
          WEBHOOK_PARTNERS_BENCH: '*',
        },
      });
      children.push(child);
      const ready = (await waitFor(child, /Ready in [\d.]+ s: (http:\/\/[^/\s]+)/, `the ${role} host`))[1]!;
      child.stdout!.removeAllListeners('data');
      child.stderr!.removeAllListeners('data');
      child.stdout!.on('data', (c: Buffer) => { if (process.env.BENCH_HOST_LOG) process.stderr.write(c); });
      child.stderr!.on('data', (c: Buffer) => { if (process.env.BENCH_HOST_LOG) process.stderr.write(c); });
      return { child, url: ready };
    };
    const front = await startHostInstance('front');
    const host = front.child;
    const url = front.url;

    // Baseline: receipt-sized documents upserted straight into the same emulator.
    // A container of its own, so the baseline's documents do not sit in the receipts container the app uses.
    const { container } = await getDatabase(settings).containers.createIfNotExists({ id: 'bench-raw-upserts', partitionKey: { paths: ['/id'] } });
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
    const warm = await drive(concurrency, 1, (i) => post(1_000_000 + i));
    const pids = { host: host.pid, cosmos: cosmos.pid, azurite: azurite.pid, bench: process.pid };
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
    const ingest = await drive(concurrency, seconds, post);
    const cpu = Object.entries(pids).map(([k, pid]) => `${k}=${((cpuSeconds(pid) - cpuBefore[k]!) / ingest.elapsedS * 100).toFixed(0)}%`).join(' ');
    const ingestRate = ingest.ok / ingest.elapsedS;
    const sorted = [...ingest.latencies].sort((a, b) => a - b);

    const hostRss = childPeakRssMb(host.pid);
    host.kill('SIGTERM');

    // The worker instance applies everything accepted; the drain rate is reported beside the acceptance rate.
    const accepted = ingest.ok + warm.ok;
    const receipts = getContainer(settings, 'receipts');
    const applied = async () => (await receipts.items.query<number>("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'receipt' AND c.status = 'applied'").fetchAll()).resources[0] ?? 0;
    const drainStarted = performance.now();
    const worker = await startHostInstance('worker');
    let done = 0;
    while (performance.now() - drainStarted < 300_000) {
      done = await applied();
      if (done >= accepted) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const drainS = (performance.now() - drainStarted) / 1000;
    const workerRss = childPeakRssMb(worker.child.pid);

    console.log(`ingest: ${concurrency} concurrent senders for ${seconds} s, single-event signed deliveries, to a front instance (queue functions on their own instance, as Flex Consumption scales them)`);
    console.log(`raw_upserts=${raw.ok} raw_upserts_per_s=${rawRate.toFixed(0)}`);
    console.log(`deliveries_accepted=${ingest.ok} deliveries_failed=${ingest.failed} deliveries_per_s=${ingestRate.toFixed(0)}`);
    console.log(`latency_202_p50_ms=${fmtMs(pct(sorted, 50))} latency_202_p99_ms=${fmtMs(pct(sorted, 99))} latency_202_max_ms=${fmtMs(sorted.at(-1) ?? NaN)}`);
    const cosmosRss = childPeakRssMb(cosmos.pid);
    console.log(`cpu_during_ingest ${cpu} (of one core; this machine has 2)`);
    console.log(`worker_applied=${done}/${accepted} deliveries in ${drainS.toFixed(1)} s (start-up included) drain_per_s=${(done / drainS).toFixed(0)}`);
    if (done < accepted) console.log('WARNING: the worker did not apply every accepted delivery within 300 s');
    if (hostRss !== undefined) console.log(`front_peak_rss_mb=${hostRss.toFixed(1)} worker_peak_rss_mb=${workerRss?.toFixed(1) ?? 'n/a'} cosmos_emulator_peak_rss_mb=${cosmosRss?.toFixed(1) ?? 'n/a'}`);
    printPeakRss();
    console.log(`ingest_vs_raw_upsert=${(ingestRate / rawRate).toFixed(2)}`);
  } finally {
    await stopChildren(children);
    await azurite.close();
  }
}
