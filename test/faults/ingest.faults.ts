import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayUtc } from '../../shared/lib/dates';
import type { ReceiptDoc } from '../../shared/deliveries/receipts';
import { readDocument } from '../../shared/store/documents';
import type { AzuriteEmulator } from '../../tools/emulators';
import { seededRandom } from '../../shared/lib/random';
import { startFaultProxy, type FaultProxy } from '../../tools/faults/proxy';
import type { HostProcess } from '../helpers/host-process';
import {
  cosmosInChild, createDatabase, eventOccurrences, freshAzurite, generateEvents, normalise, pool, recordTally, scoreSummary, sender, startHost, stateDocs, unappliedReceipts, unsettledPartners, until, useDatabase,
  type Event, type Sender,
} from './harness';

/**
 * 2,000 signed events for 50 partners, in signed deliveries of 10, each delivered twice and a tenth out of order,
 * through a host whose every Cosmos DB call passes a proxy that faults 20% of them; the same events sent once, in
 * time order, one delivery at a time, to a second host with clean stores. Then 100 events for one partner at once against the faulted host, sequentially
 * against the clean one. What is stored must be the same.
 */

const PARTNERS = Number(process.env.FAULTS_PARTNERS ?? 50);
const PER_PARTNER = 40;
const BATCH = 10;
/** 20% of Cosmos DB calls, spread over every kind the proxy knows. */
const COSMOS_RATES = { throttle: 0.06, unavailable: 0.04, timeout: 0.03, delay: 0.04, reset: 0.03 };
const today = todayUtc();
const SETTLE_MS = Number(process.env.FAULTS_SETTLE_MS ?? 240_000);
const random = seededRandom(12);

interface Side {
  name: string;
  database: string;
  host: HostProcess;
  azurite: AzuriteEmulator;
  send: Sender;
}

describe('ingestion with 20% of Cosmos DB calls faulted', () => {
  let cosmos: { endpoint: string; close(): Promise<void> };
  let proxy: FaultProxy;
  let faulted: Side;
  let clean: Side;
  const partnerIds = Array.from({ length: PARTNERS }, (_, i) => `fp-${String(i).padStart(2, '0')}`);
  const events = generateEvents(partnerIds, PER_PARTNER, today);
  /** The faulted side's delivery of each event (its receipt says whether it was applied). */
  const deliveryOf = new Map<string, string>();

  const startSide = async (name: string, endpoint: string): Promise<Side> => {
    const database = `faults-${name}`;
    await createDatabase(cosmos.endpoint, database);
    const azurite = await freshAzurite();
    const host = await startHost({ COSMOS_ENDPOINT: endpoint, COSMOS_KEY: 'faults', COSMOS_DATABASE: database, COSMOS_CREATE_CONTAINERS: 'true', AzureWebJobsStorage: azurite.connectionString });
    return { name, database, host, azurite, send: sender(host.url) };
  };

  beforeAll(async () => {
    cosmos = await cosmosInChild();
    proxy = await startFaultProxy({ target: cosmos.endpoint, seed: 7 });
    faulted = await startSide('faulted', `${proxy.url}/`);
    clean = await startSide('clean', cosmos.endpoint);
    // Faults from here on: the hosts started (and created their containers) through a quiet proxy.
    proxy.setRates(COSMOS_RATES);
  }, 180_000);

  afterAll(async () => {
    for (const side of [faulted, clean]) {
      if (process.env.DEBUG_HOST && side) console.log(side.host.output());
      await side?.host.stop();
      await side?.azurite.close();
    }
    await proxy?.close();
    await cosmos?.close();
  });

  /** Waits until every receipt is applied and every partner's latest score was computed from its latest state. */
  const settle = async (side: Side, partners: string[]) => {
    try {
      await settleOrThrow(side, partners);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- ${side.name} host output (end) ---\n${side.host.output().slice(-4000)}`);
    }
  };
  const settleOrThrow = async (side: Side, partners: string[]) => {
    const t0 = Date.now();
    useDatabase(cosmos.endpoint, side.database);
    await until(`${side.name}: every delivery applied`, SETTLE_MS, async () => ((await unappliedReceipts()) === 0 ? true : undefined), 1000);
    let left: string[] = [];
    await until(`${side.name}: every partner scored from its latest state`, SETTLE_MS, async () => ((left = await unsettledPartners(partners)).length === 0 ? true : undefined), 1000).catch((e: Error) => {
      throw new Error(`${e.message} (not yet: ${left.slice(0, 10).join(', ')})`);
    });
    console.log(`[faults] ${side.name}: settled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };

  /** Compares what the two sides stored for `partners`; returns the tally of the faulted side. */
  const compare = async (scenario: string, sent: Event[], partners: string[], started: number) => {
    const read = async (side: Side) => {
      useDatabase(cosmos.endpoint, side.database);
      const out = new Map<string, { docs: unknown[]; occurrences: Map<string, number>; score: unknown; receipts: Map<string, ReceiptDoc | undefined> }>();
      for (const p of partners) {
        const docs = await stateDocs(p);
        const receipts = new Map<string, ReceiptDoc | undefined>();
        if (side === faulted) for (const e of sent.filter((x) => x.partnerId === p)) receipts.set(e.id, await readDocument<ReceiptDoc>('receipts', `faults:${deliveryOf.get(e.id)}`, `faults:${deliveryOf.get(e.id)}`));
        out.set(p, { docs: docs.map(normalise).sort((a, b) => String((a as { id: string }).id).localeCompare(String((b as { id: string }).id))), occurrences: eventOccurrences(docs), score: (await scoreSummary(p))?.areas, receipts });
      }
      return out;
    };
    const [f, c] = [await read(faulted), await read(clean)];
    let accepted = 0;
    let applied = 0;
    let duplicated = 0;
    const lostIds: string[] = [];
    for (const e of sent) {
      const fs = f.get(e.partnerId)!;
      const cs = c.get(e.partnerId)!;
      const receipt = fs.receipts.get(e.id);
      if (!receipt || !faulted.send.acknowledged.has(deliveryOf.get(e.id)!)) continue;
      accepted++;
      const got = fs.occurrences.get(e.id) ?? 0;
      const want = cs.occurrences.get(e.id) ?? 0;
      if (receipt.status === 'applied' && got >= want) applied++;
      else {
        if (lostIds.length < 3) console.log(`[faults] not applied: ${e.id} receipt=${receipt.status} faulted=${got} clean=${want}`);
        lostIds.push(e.id);
      }
      if (got > want) duplicated++;
    }
    const stateDiffs = partners.filter((p) => JSON.stringify(f.get(p)!.docs) !== JSON.stringify(c.get(p)!.docs));
    const scoreDiffs = partners.filter((p) => JSON.stringify(f.get(p)!.score) !== JSON.stringify(c.get(p)!.score));
    const tally = {
      scenario,
      sent: sent.length,
      accepted,
      applied,
      lost: accepted - applied,
      duplicated,
      server_errors: faulted.send.serverErrors,
      faults: { cosmos: proxy.counts() },
      seconds: Math.round((Date.now() - started) / 1000),
    };
    recordTally(tally);
    return { tally, stateDiffs, scoreDiffs, lostIds, f, c };
  };

  it.runIf(!process.env.FAULTS_ONLY || process.env.FAULTS_ONLY === 'ingest')('applies every accepted event exactly once and ends in the state and scores of a clean sequential run', async () => {
    const started = Date.now();
    // Deliveries of 10 events. Faulted: a tenth of the events moved into a later delivery than their time says, and
    // every delivery sent twice (same webhook-id, same body), the second copy anywhere after the first, 16 at a time.
    const inTime = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
    const order: Event[] = [];
    const late: Event[] = [];
    for (const e of inTime) (random() < 0.1 ? late : order).push(e);
    for (const e of late) order.splice(Math.floor(order.length * (0.3 + 0.7 * random())), 0, e);
    const chunk = (list: Event[], prefix: string) => Array.from({ length: Math.ceil(list.length / BATCH) }, (_, i) => ({ id: `${prefix}-${i}`, events: list.slice(i * BATCH, (i + 1) * BATCH) }));
    const faultedDeliveries = chunk(order, 'f');
    for (const d of faultedDeliveries) for (const e of d.events) deliveryOf.set(e.id, d.id);
    const sends = [...faultedDeliveries];
    for (const d of faultedDeliveries) {
      const first = sends.indexOf(d);
      sends.splice(first + 1 + Math.floor(random() * (sends.length - first)), 0, d);
    }
    expect(sends).toHaveLength(faultedDeliveries.length * 2);
    expect(late.length).toBeGreaterThan(events.length * 0.07);

    await Promise.all([
      pool(sends, 16, (d) => faulted.send.deliver(d.id, d.events)),
      // Clean: every event once, in time order, one delivery at a time.
      pool(chunk(inTime, 'c'), 1, (d) => clean.send.deliver(d.id, d.events)),
    ]);
    console.log(`[faults] answers: faulted ${JSON.stringify([...faulted.send.statuses])}, clean ${JSON.stringify([...clean.send.statuses])}`);
    console.log(`[faults] sent in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await settle(clean, partnerIds);
    await settle(faulted, partnerIds);
    const { tally, stateDiffs, scoreDiffs, lostIds } = await compare('2,000 events, 50 partners, twice each, a tenth out of order, 20% Cosmos faults', events, partnerIds, started);
    expect(clean.send.serverErrors, 'the clean host answered 5xx').toBe(0);
    expect(tally.accepted).toBe(events.length);
    expect(lostIds.slice(0, 10)).toEqual([]);
    expect(tally.duplicated).toBe(0);
    expect(tally.server_errors).toBe(0);
    expect(stateDiffs).toEqual([]);
    expect(scoreDiffs).toEqual([]);
    expect(proxy.injected()).toBeGreaterThan(0);
  }, 540_000);

  it.runIf(!process.env.FAULTS_ONLY || process.env.FAULTS_ONLY === 'burst')('100 concurrent events for one partner end in the state of the same events sent one by one', async () => {
    const started = Date.now();
    const partner = 'fp-concurrent';
    const burst = generateEvents([partner], 100, today).map((e, i) => ({ ...e, id: `${partner}-burst-${i}` }));
    for (const e of burst) deliveryOf.set(e.id, `fb-${e.id}`);
    await Promise.all([
      pool(burst, 100, (e) => faulted.send.deliver(`fb-${e.id}`, [e])),
      pool(burst, 1, (e) => clean.send.deliver(`cb-${e.id}`, [e])),
    ]);
    await settle(clean, [partner]);
    await settle(faulted, [partner]);
    const { tally, stateDiffs, scoreDiffs, lostIds } = await compare('100 concurrent events for one partner', burst, [partner], started);
    expect(tally.accepted).toBe(burst.length);
    expect(lostIds).toEqual([]);
    expect(tally.duplicated).toBe(0);
    expect(tally.server_errors).toBe(0);
    expect(stateDiffs).toEqual([]);
    expect(scoreDiffs).toEqual([]);
  }, 300_000);
});
