import path from 'node:path';
import { getJsonWithRetry } from '../shared/certsync/http';
import { Semaphore } from '../shared/certsync/limiter';
import { getSettings } from '../shared/config/settings';
import { getRun, type RunDoc } from '../shared/runs/run-store';
import { emptyProfessionals, emptyProfile, type StoredProfessional } from '../shared/state/documents';
import { partnersContainer } from '../shared/state/state-store';
import { startFakeLearn } from '../tools/fixtures/fake-learn';
import { startHost } from '../tools/devhost/host';
import { printPeakRss } from './lib/measure';

/**
 * Certification sync benchmark: 1,000 partners x 20 professionals seeded directly in the partner documents, a
 * local server playing Learn (with a small per-request latency, as a remote service has), and the whole app in
 * the local host with its embedded emulators. The sync timer is run on demand and the run is awaited through
 * the queue fan-out. Baseline, measured in the same run: the same number of transcript requests made directly
 * at the same concurrency, with no queues, storage or merging. The ratio says what the fan-out, Cosmos and
 * bookkeeping add on top of the source requests themselves.
 *
 *   npm run bench -- certsync [--partners=1000] [--professionals=20] [--latency-ms=5] [--concurrency=8]
 */

const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seed(partners: number, professionals: number, shareId: (p: number, i: number) => string): Promise<void> {
  const container = partnersContainer();
  const now = new Date().toISOString();
  const pending: Promise<unknown>[] = [];
  for (let p = 0; p < partners; p++) {
    const partnerId = `bench-partner-${String(p).padStart(5, '0')}`;
    const pros = emptyProfessionals(partnerId);
    for (let i = 0; i < professionals; i++) {
      const pro: StoredProfessional = { id: `pro-${i}`, linked: true, linkedOn: '2025-01-01', linkHistory: ['2025-01-01'], transcriptUrl: `https://learn.microsoft.com/en-us/users/u${p}x${i}/transcript/${shareId(p, i)}`, certifications: {}, updatedAt: now, lastEventId: 'seed' };
      pros.items[pro.id] = pro;
    }
    pending.push(container.items.create(emptyProfile(partnerId, now)), container.items.create(pros));
    if (pending.length >= 32) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

export async function run(args: string[]): Promise<void> {
  const partners = arg(args, 'partners', 1000);
  const professionals = arg(args, 'professionals', 20);
  const latencyMs = arg(args, 'latency-ms', 5);
  const concurrency = arg(args, 'concurrency', 8);
  const far = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
  const learn = await startFakeLearn({
    latencyMs,
    defaultTranscript: [
      { name: 'Microsoft Certified: Azure Administrator Associate', status: 'Active', dateEarned: '2026-01-15', expiration: far },
      { name: 'Microsoft Certified: Azure Solutions Architect Expert', status: 'Active', dateEarned: '2025-12-01', expiration: far },
      { name: 'Microsoft Certified: Azure Fundamentals', status: 'Active', dateEarned: '2020-01-01' },
    ],
  });
  const logs: string[] = [];
  const host = await startHost({
    appDir: path.resolve(__dirname, '..', '..'),
    port: 0,
    cosmosPort: 0,
    azuritePorts: { blob: 0, queue: 0, table: 0 },
    disableTimers: true,
    env: { LOCAL_DATA_DIR: 'none', LEARN_BASE_URL: learn.url, CERT_SYNC_CONCURRENCY: String(concurrency), LOCAL_HOST_LOG_LEVEL: 'warning' },
    log: (level, message) => {
      if (level === 'error' || level === 'warning' || level === 'warn') logs.push(`${level}: ${message.slice(0, 300)}`);
    },
  });
  try {
    const t0 = Date.now();
    await seed(partners, professionals, (p, i) => `bench${p}x${i}`);
    console.log(`seeded ${partners} partners x ${professionals} professionals in ${((Date.now() - t0) / 1000).toFixed(1)} s; Learn latency ${latencyMs} ms, concurrency ${concurrency}`);

    // Baseline: the same requests straight at the fake Learn, same concurrency, nothing else.
    learn.resetCounters();
    const settings = getSettings();
    const direct = new Semaphore(concurrency);
    const tDirect = Date.now();
    const all: Promise<unknown>[] = [];
    for (let p = 0; p < partners; p++) for (let i = 0; i < professionals; i++) all.push(getJsonWithRetry(`${learn.url}/api/profiles/transcript/share/bench${p}x${i}?locale=en-us`, direct, { maxAttempts: settings.CERT_SYNC_MAX_ATTEMPTS, timeoutMs: settings.CERT_SYNC_TIMEOUT_MS, backoffMs: settings.CERT_SYNC_BACKOFF_MS }));
    await Promise.all(all);
    const directMs = Date.now() - tDirect;
    console.log(`direct: ${learn.requests} requests in ${(directMs / 1000).toFixed(2)} s (max in flight ${learn.maxInFlight})`);

    learn.resetCounters();
    const tSync = Date.now();
    const res = await fetch(`${host.url}/admin/functions/certSyncTimer`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-functions-key': host.keys.masterKey } });
    if (res.status !== 202) throw new Error(`could not run the timer: HTTP ${res.status} ${await res.text()}`);
    const runId = `cert-sync-${new Date().toISOString().slice(0, 10)}`;
    let run: RunDoc | undefined;
    let lastPrint = Date.now();
    for (;;) {
      run = await getRun(runId);
      if (run?.status === 'finished') break;
      if (Date.now() - tSync > 30 * 60_000) throw new Error(`run ${runId} did not finish in 30 minutes: ${JSON.stringify(run)}`);
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        console.log(`  ... ${run ? `${run.done + run.stale + run.failed}/${run.total ?? '?'} partners` : 'starting'}, ${learn.requests} requests, ${((Date.now() - tSync) / 1000).toFixed(0)} s`);
      }
      await sleep(200);
    }
    const syncMs = Date.now() - tSync;
    console.log(`sync: ${run.total} partners (${run.done} done, ${run.stale} stale, ${run.failed} failed) in ${(syncMs / 1000).toFixed(1)} s; ${learn.requests} requests to Learn; max in flight ${learn.maxInFlight} (limit ${concurrency})`);
    console.log(`sync_s=${(syncMs / 1000).toFixed(1)} direct_s=${(directMs / 1000).toFixed(2)} requests=${learn.requests} max_concurrency=${learn.maxInFlight} partners_per_s=${((run.total ?? 0) / (syncMs / 1000)).toFixed(1)}`);
    if (learn.maxInFlight > concurrency) console.log(`WARNING: the concurrency bound was exceeded (${learn.maxInFlight} > ${concurrency})`);
    if (logs.length) console.log(`host warnings/errors: ${logs.length}; first: ${logs[0]}`);
    printPeakRss();
    console.log(`certsync_vs_direct=${(syncMs / directMs).toFixed(2)}`);
  } finally {
    await host.stop();
    await learn.close();
  }
}
