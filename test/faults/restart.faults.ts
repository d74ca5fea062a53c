import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { todayUtc } from '../../shared/lib/dates';
import type { ReceiptDoc } from '../../shared/deliveries/receipts';
import type { RunDoc } from '../../shared/runs/run-store';
import { queryPage } from '../../shared/store/documents';
import { startStorageFaultProxies, type StorageFaultProxies } from '../../tools/faults/storage';
import type { AzuriteEmulator } from '../../tools/emulators';
import type { HostProcess } from '../helpers/host-process';
import {
  cosmosInChild, createDatabase, eventOccurrences, freshAzurite, generateEvents, partnerDocs, pool, recordTally, sender, sleep, startHost, stateDocs, tempDir, unappliedReceipts, unsettledPartners, until, useDatabase,
  type Event, type Sender,
} from './harness';

/**
 * A nightly recompute interrupted twice over: the local host SIGKILLed in the middle of it and started again on the
 * same LOCAL_DATA_DIR, and Azurite SIGKILLed and restarted (on its saved data) in the middle of the fan-out. The run
 * must finish with every partner counted once, or say on its record what it lost: never stay silently unfinished.
 */

const PARTNERS = Number(process.env.FAULTS_RUN_PARTNERS ?? 60);
const PER_PARTNER = 30;
const today = todayUtc();

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
});

/** Sends each partner's events as one delivery and waits until they are applied and scored. */
async function load(url: string, partnerIds: string[], prefix: string): Promise<{ events: Event[]; send: Sender }> {
  const events = generateEvents(partnerIds, PER_PARTNER, today);
  const send = sender(url);
  await pool(partnerIds, 4, (p) => send.deliver(`${prefix}-${p}`, events.filter((e) => e.partnerId === p)));
  await until('the loaded deliveries to be applied', 180_000, async () => ((await unappliedReceipts()) === 0 ? true : undefined), 1000);
  await until('every loaded partner to be scored', 180_000, async () => ((await unsettledPartners(partnerIds)).length === 0 ? true : undefined), 1000);
  return { events, send };
}

const getRun = async (url: string, id: string) => {
  const res = await fetch(`${url}/api/runs/${id}`);
  return res.status === 200 ? ((await res.json()) as RunDoc) : undefined;
};

/** Starts today's recompute run and resolves once some, not all, of its partners are counted. */
async function startRunAndWaitMidway(url: string): Promise<{ runId: string; at: RunDoc }> {
  const res = await fetch(`${url}/api/runs/recompute`, { method: 'POST' });
  const body = (await res.json()) as { run: RunDoc; created: boolean };
  expect(body.created, 'a fresh run of today').toBe(true);
  const at = await until('the run to be under way', 120_000, async () => {
    const r = await getRun(url, body.run.id);
    if (r?.status === 'finished') throw new Error(`run ${body.run.id} finished before it could be interrupted`);
    return r && r.total !== undefined && r.done + r.failed + r.stale >= 1 ? r : undefined;
  }, 25);
  return { runId: body.run.id, at };
}

/** What the stores hold of the loaded events, the run and the day's snapshots, checked and tallied. */
async function verify(scenario: string, started: number, partnerIds: string[], loaded: { events: Event[]; send: Sender }, prefix: string, run: RunDoc) {
  let accepted = 0;
  let applied = 0;
  let duplicated = 0;
  const snapshots: Record<string, number> = {};
  const markers: Record<string, string | undefined> = {};
  for (const p of partnerIds) {
    const receipt = (await queryPage<ReceiptDoc>('receipts', { query: 'SELECT * FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: `faults:${prefix}-${p}` }] })).items[0];
    const occurrences = eventOccurrences(await stateDocs(p));
    const docs = await partnerDocs(p);
    snapshots[p] = docs.filter((d) => d.type === 'score' && d.date === today).length;
    markers[p] = docs.find((d) => d.type === 'run-marker')?.runId as string | undefined;
    for (const e of loaded.events.filter((x) => x.partnerId === p)) {
      if (!receipt || !loaded.send.acknowledged.has(`${prefix}-${p}`)) continue;
      accepted++;
      const n = occurrences.get(e.id) ?? 0;
      if (receipt.status === 'applied' && n >= 1) applied++;
      if (n > 1) duplicated++;
    }
  }
  recordTally({ scenario, sent: loaded.events.length, accepted, applied, lost: accepted - applied, duplicated, server_errors: loaded.send.serverErrors, seconds: Math.round((Date.now() - started) / 1000), faults: { run: { id: run.id, total: run.total, done: run.done, failed: run.failed, stale: run.stale, interruptions: run.interruptions?.length ?? 0 } } });
  expect(accepted).toBe(loaded.events.length);
  expect(applied).toBe(accepted);
  expect(duplicated).toBe(0);
  expect(loaded.send.serverErrors).toBe(0);
  return { snapshots, markers };
}

describe('a nightly recompute interrupted', () => {
  it.runIf(!process.env.FAULTS_ONLY || process.env.FAULTS_ONLY === 'kill')('host SIGKILLed mid-run and started again on the same LOCAL_DATA_DIR: the run completes, each partner once, no duplicate snapshot', async () => {
    const started = Date.now();
    const data = tempDir('faults-data-');
    cleanups.push(() => data.remove());
    const cosmosPort = await freePort();
    const env = { LOCAL_DATA_DIR: data.dir, LOCAL_COSMOS_PORT: String(cosmosPort), LOCAL_AZURITE_PORT: '0' };
    let host: HostProcess = await startHost(env, { embedded: true });
    cleanups.push(() => host.stop());
    useDatabase(`http://127.0.0.1:${cosmosPort}/`, 'pcs');
    const partnerIds = Array.from({ length: PARTNERS }, (_, i) => `fk-${String(i).padStart(2, '0')}`);
    const loaded = await load(host.url, partnerIds, 'kill');

    const { runId, at } = await startRunAndWaitMidway(host.url);
    // A crash: nothing is flushed, nothing stops cleanly (Azurite, a child of the host, goes with it).
    await host.stop('SIGKILL');
    await sleep(500);
    host = await startHost(env, { embedded: true });
    useDatabase(`http://127.0.0.1:${cosmosPort}/`, 'pcs');
    const run = await until(`run ${runId} to finish after the restart`, 180_000, async () => {
      const r = await getRun(host.url, runId);
      return r?.status === 'finished' ? r : undefined;
    }, 500).catch((e: Error) => {
      throw new Error(`${e.message}\n--- host output (end) ---\n${host.output().slice(-3000)}`);
    });
    console.log(`[faults] killed at ${at.done + at.failed + at.stale} of ${at.total}; restart summary: ${host.output().split('\n').filter((l) => /Run |Local data/.test(l)).join(' | ')}`);

    const { snapshots, markers } = await verify('host SIGKILLed mid-run, restarted on the same data', started, partnerIds, loaded, 'kill', run);
    expect(run).toMatchObject({ total: PARTNERS, done: PARTNERS, failed: 0, stale: 0 });
    expect(partnerIds.filter((p) => markers[p] !== runId), 'partners not counted in the run').toEqual([]);
    expect(partnerIds.filter((p) => snapshots[p] !== 1), 'partners without exactly one snapshot of the day').toEqual([]);
  }, 540_000);

  it.runIf(!process.env.FAULTS_ONLY || process.env.FAULTS_ONLY === 'azurite')('Azurite SIGKILLed and restarted mid fan-out: the run completes from what was stored, or its record reports the loss', async () => {
    const started = Date.now();
    const cosmos = await cosmosInChild();
    cleanups.push(() => cosmos.close());
    const location = tempDir('faults-azurite-');
    cleanups.push(() => location.remove());
    let azurite: AzuriteEmulator = await freshAzurite(location.dir);
    cleanups.push(() => azurite.close());
    const storage: StorageFaultProxies = await startStorageFaultProxies(azurite, { seed: 3 });
    cleanups.push(() => storage.close());
    await createDatabase(cosmos.endpoint, 'faults-azurite');
    const host = await startHost({ COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: 'faults', COSMOS_DATABASE: 'faults-azurite', COSMOS_CREATE_CONTAINERS: 'true', AzureWebJobsStorage: storage.connectionString });
    cleanups.push(() => host.stop());
    useDatabase(cosmos.endpoint, 'faults-azurite');
    const partnerIds = Array.from({ length: PARTNERS }, (_, i) => `fa-${String(i).padStart(2, '0')}`);
    const loaded = await load(host.url, partnerIds, 'azurite');

    const { runId, at } = await startRunAndWaitMidway(host.url);
    process.kill(azurite.pid!, 'SIGKILL');
    await sleep(1500);
    azurite = await freshAzurite(location.dir);
    storage.retarget(azurite);
    const run = await until(`run ${runId} to finish or report its loss`, 240_000, async () => {
      const r = await getRun(host.url, runId);
      return r && (r.status === 'finished' || (r.interruptions?.length ?? 0) > 0) ? r : undefined;
    }, 500).catch((e: Error) => {
      throw new Error(`${e.message}: the loss was silent\n--- host output (end) ---\n${host.output().slice(-3000)}`);
    });
    console.log(`[faults] Azurite killed at ${at.done + at.failed + at.stale} of ${at.total}; run ${JSON.stringify({ status: run.status, done: run.done, failed: run.failed, stale: run.stale, interruptions: run.interruptions })}`);

    const { snapshots, markers } = await verify('Azurite SIGKILLed mid fan-out, restarted on its data', started, partnerIds, loaded, 'azurite', run);
    if (run.status === 'finished') {
      expect(run.done + run.failed + run.stale).toBe(PARTNERS);
      expect(partnerIds.filter((p) => markers[p] !== runId), 'partners not counted in the finished run').toEqual([]);
    } else {
      expect(run.interruptions?.[0]?.detail).toBeTruthy();
    }
    expect(partnerIds.filter((p) => (snapshots[p] ?? 0) > 1)).toEqual([]);
  }, 540_000);
});
