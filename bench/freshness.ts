import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import { monthOf, todayUtc } from '../shared/lib/dates';
import { generateSecret, signedHeaders } from '../shared/lib/signing';
import { encodeQueueMessage } from '../shared/queues/client';
import { getContainer } from '../shared/store/cosmos';
import { startAzurite } from '../tools/emulators';
import { HOP_START_QUEUE } from '../tools/fixtures/queue-hop-names';
import { fmtMs, printPeakRss } from './lib/measure';
import { childPeakRssMb, startCosmosChild, stopChildren, waitFor } from './lib/processes';

/**
 * Freshness benchmark: how long after the 202 of a signed delivery the partner's score includes it, through one
 * local host running the whole app (as `npm start` does), for
 *   (a) isolated single-event changes spaced apart,
 *   (b) a burst of single-event deliveries for one partner (how many recomputes it causes, and how long after
 *       the burst's last 202 its last state is scored),
 *   (c) many partners changing at once.
 * A change is "in the score" when the host logs the recompute of that partner that started after it (the log line
 * is written once the score documents are stored).
 * Baseline, on the same host in the same run: one bare queue hop, a message sent from inside a function the way
 * the app sends its recompute requests and the time until its trigger starts. Two hops are inherent (apply, then
 * recompute), so the ideal ratio is a little over 2.
 *
 *   npm run bench -- freshness [--isolated=20] [--burst=500] [--partners=50] [--spacing-ms=500]
 */

const arg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const ROOT = path.resolve(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** An app folder with the app's compiled functions and the queue-hop probe, and the project's host.json. */
function benchAppDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pcs-freshness-'));
  mkdirSync(path.join(dir, 'functions'));
  for (const f of readdirSync(path.join(ROOT, 'dist', 'functions')).filter((f) => f.endsWith('.js'))) {
    symlinkSync(path.join(ROOT, 'dist', 'functions', f), path.join(dir, 'functions', f));
  }
  symlinkSync(path.join(ROOT, 'dist', 'tools', 'fixtures', 'queue-hop-probe.js'), path.join(dir, 'functions', 'queue-hop-probe.js'));
  copyFileSync(path.join(ROOT, 'host.json'), path.join(dir, 'host.json'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pcs-freshness-bench', main: 'functions/*.js' }));
  return dir;
}

interface RecomputeLine {
  at: number;
  partnerId: string;
}

export async function run(args: string[]): Promise<void> {
  const isolatedCount = arg(args, 'isolated', 20);
  const burstSize = arg(args, 'burst', 500);
  const partnerCount = arg(args, 'partners', 50);
  const spacingMs = arg(args, 'spacing-ms', 500);
  const children: ChildProcess[] = [];
  const appDir = benchAppDir();
  const azurite = await startAzurite();
  try {
    const { endpoint, settings, cosmos } = await startCosmosChild(children, azurite.connectionString);
    const queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
    const hopStart = queues.getQueueClient(HOP_START_QUEUE);
    await hopStart.createIfNotExists();

    const secret = generateSecret();
    const host = spawn(process.execPath, [path.join(ROOT, 'dist', 'tools', 'devhost', 'main.js'), '--app-dir', appDir, '--no-timers'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LOCAL_HTTP_PORT: '0',
        LOCAL_HOST_LOG_LEVEL: 'information',
        LOCAL_DATA_DIR: 'none',
        LOCAL_PRINCIPAL: 'bench-operator roles=operator',
        COSMOS_ENDPOINT: endpoint,
        COSMOS_KEY: 'bench',
        AzureWebJobsStorage: azurite.connectionString,
        WEBHOOK_SOURCES: 'bench',
        WEBHOOK_SECRET_BENCH: secret,
        WEBHOOK_PARTNERS_BENCH: '*',
      },
    });
    children.push(host);
    const url = (await waitFor(host, /Ready in [\d.]+ s: (http:\/\/[^/\s]+)/, 'the host', 60_000))[1]!;

    // The host's log, line by line: recomputes (when each partner's score was stored) and the probe's hops.
    const recomputes: RecomputeLine[] = [];
    const hops = new Map<string, number>();
    let partial = '';
    const onLog = (c: Buffer) => {
      const lines = (partial + c.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const r = /^\[(\S+)\] \S+\s+\[scoreRecompute\] Recomputed partner ([^\s,]+)/.exec(line);
        if (r) recomputes.push({ at: Date.parse(r[1]!), partnerId: r[2]! });
        const h = /queue-hop-probe id=(\S+) hop_ms=(\d+)/.exec(line);
        if (h) hops.set(h[1]!, Number(h[2]));
        if (process.env.BENCH_HOST_LOG) process.stderr.write(`${line}\n`);
      }
    };
    host.stdout!.on('data', onLog);
    host.stderr!.on('data', onLog);

    const until = async (done: () => boolean, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) return false;
        await sleep(2);
      }
      return true;
    };
    const firstRecompute = (partnerId: string, after: number) => recomputes.find((r) => r.partnerId === partnerId && r.at >= after);

    const month = monthOf(todayUtc());
    let seq = 0;
    /** Posts one signed telemetry event (its own tenant, so it always changes the state); resolves with the time of the 202. */
    const post = async (partnerId: string): Promise<number> => {
      const i = seq++;
      const body = JSON.stringify({
        id: `ev-${i}`,
        type: 'telemetry.monthly',
        partnerId,
        occurredAt: new Date().toISOString(),
        data: { month, tenantId: `tenant-${i}`, platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', acrUsd: 100 + i },
      });
      const res = await fetch(`${url}/api/webhooks/bench`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signedHeaders(secret, `msg-${process.pid}-${i}`, body) } });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`delivery ${i} was answered ${res.status}`);
      return Date.now();
    };

    // (baseline) One bare queue hop, spaced as the isolated changes are, so the listener is in the same idle state.
    const hopMs: number[] = [];
    for (let i = 0; i < isolatedCount + 2; i++) {
      const id = `hop-${i}`;
      await hopStart.sendMessage(encodeQueueMessage({ id }));
      if (!(await until(() => hops.has(id), 30_000))) throw new Error(`the queue-hop probe did not log hop ${id}`);
      if (i >= 2) hopMs.push(hops.get(id)!);
      await sleep(spacingMs);
    }

    // (a) Isolated changes of one partner, each after the previous one is scored and a quiet pause.
    const isolatedMs: number[] = [];
    for (let i = 0; i < isolatedCount + 2; i++) {
      const at = await post('fresh-isolated');
      if (!(await until(() => firstRecompute('fresh-isolated', at) !== undefined, 30_000))) throw new Error(`isolated change ${i} was not scored within 30 s`);
      // The first two warm the path (the partner's first documents, connections, JIT) and are not counted.
      if (i >= 2) isolatedMs.push(firstRecompute('fresh-isolated', at)!.at - at);
      await sleep(spacingMs);
    }

    // (b) A burst for one partner: every delivery at once through 16 senders.
    const burstStarted = Date.now();
    let lastAccepted = 0;
    let nextEvent = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (nextEvent < burstSize) {
          nextEvent++;
          lastAccepted = Math.max(lastAccepted, await post('fresh-burst'));
        }
      }),
    );
    const burstSeconds = (lastAccepted - burstStarted) / 1000;
    // Done when every delivery is applied and the score is of the partner's current state (the answers say both
    // since issue 16); before that, when no recompute was logged for longer than the old 5 s coalescing delay.
    const receipts = getContainer(settings, 'receipts');
    const appliedBurst = async () =>
      (await receipts.items.query<{ n: number; last: string }>("SELECT COUNT(1) AS n, MAX(c.appliedAt) AS last FROM c WHERE c.status = 'applied' AND ARRAY_CONTAINS(c.partnerIds, 'fresh-burst')").fetchAll()).resources[0];
    const scoresOf = async () => (await (await fetch(`${url}/api/partners/fresh-burst/scores`)).json()) as { stateVersion?: number; currentStateVersion?: number };
    const deadline = Date.now() + 300_000;
    let applied = await appliedBurst();
    let burstScores = await scoresOf();
    while (Date.now() < deadline) {
      applied = await appliedBurst();
      burstScores = await scoresOf();
      const last = recomputes.filter((r) => r.partnerId === 'fresh-burst').at(-1);
      const settled =
        burstScores.currentStateVersion !== undefined
          ? (applied?.n ?? 0) >= burstSize && burstScores.stateVersion === burstScores.currentStateVersion
          : last !== undefined && last.at > lastAccepted && Date.now() - last.at > 8_000;
      if (settled) break;
      await sleep(50);
    }
    // Follow-ups that were still on their way would show up here.
    await sleep(2_000);
    const lastApplied = applied?.last ? Date.parse(applied.last) : NaN;
    const burstRecomputes = recomputes.filter((r) => r.partnerId === 'fresh-burst' && r.at >= burstStarted);
    const lastScore = recomputes.filter((r) => r.partnerId === 'fresh-burst').at(-1)?.at ?? NaN;
    const burstLastScoredMs = lastScore - lastAccepted;
    const afterLastApplyMs = lastScore - lastApplied;

    // (c) Many partners, one change each, all at once.
    const manyAt = await Promise.all(Array.from({ length: partnerCount }, (_, i) => post(`fresh-many-${i}`)));
    await until(() => manyAt.every((_, i) => firstRecompute(`fresh-many-${i}`, 0) !== undefined), 120_000);
    const manyMs = manyAt.map((at, i) => (firstRecompute(`fresh-many-${i}`, 0)?.at ?? NaN) - at);

    const hopP50 = pct(hopMs, 50);
    const isoP50 = pct(isolatedMs, 50);
    console.log(`freshness: one local host (whole app, as npm start runs it); ${isolatedCount} isolated changes ${spacingMs} ms apart, a burst of ${burstSize} for one partner, ${partnerCount} partners at once`);
    console.log(`queue_hop_p50_ms=${fmtMs(hopP50)} queue_hop_p99_ms=${fmtMs(pct(hopMs, 99))} (a message sent from inside a function until its trigger starts)`);
    console.log(`isolated_202_to_score_p50_ms=${fmtMs(isoP50)} isolated_202_to_score_p99_ms=${fmtMs(pct(isolatedMs, 99))} isolated_max_ms=${fmtMs(Math.max(...isolatedMs))}`);
    console.log(`burst_events=${burstSize} burst_seconds=${burstSeconds.toFixed(2)} (202s) burst_applied=${applied?.n ?? 0} burst_recomputes=${burstRecomputes.length}`);
    console.log(`burst_last_202_to_last_score_ms=${fmtMs(burstLastScoredMs)} (${(burstLastScoredMs / hopP50).toFixed(1)} hops) burst_last_apply_to_last_score_ms=${fmtMs(afterLastApplyMs)} (${(afterLastApplyMs / hopP50).toFixed(1)} hops)`);
    if (burstScores.currentStateVersion !== undefined) console.log(`burst_scored_state_version=${burstScores.stateVersion} burst_current_state_version=${burstScores.currentStateVersion}`);
    console.log(`many_partners=${partnerCount} many_202_to_score_p50_ms=${fmtMs(pct(manyMs, 50))} many_202_to_score_p99_ms=${fmtMs(pct(manyMs, 99))} many_recomputes=${recomputes.filter((r) => r.partnerId.startsWith('fresh-many-')).length}`);
    console.log(`host_peak_rss_mb=${childPeakRssMb(host.pid)?.toFixed(1) ?? 'n/a'} cosmos_emulator_peak_rss_mb=${childPeakRssMb(cosmos.pid)?.toFixed(1) ?? 'n/a'}`);
    printPeakRss();
    console.log(`freshness_vs_queue_hop=${(isoP50 / hopP50).toFixed(2)}`);
  } finally {
    await stopChildren(children);
    await azurite.close();
    rmSync(appDir, { recursive: true, force: true });
  }
}
