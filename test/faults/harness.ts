import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getSettings, resetSettingsCache } from '../../shared/config/settings';
import { generateSecret, signedHeaders } from '../../shared/lib/signing';
import { parseSnapshot } from '../../shared/scoring';
import { readScoreStatus } from '../../shared/score-history/score-store';
import type { StateDoc } from '../../shared/state/documents';
import { createDatabaseAndContainers, resetCosmosClientForTests } from '../../shared/store/cosmos';
import { queryPage } from '../../shared/store/documents';
import { startAzurite, type AzuriteEmulator } from '../../tools/emulators';
import { generateSnapshot } from '../../tools/fixtures/snapshot-generate';
import { snapshotToEvents } from '../../tools/seed';
import { REPO_ROOT, startHostProcess, type HostProcess } from '../helpers/host-process';

/**
 * What the fault suite shares: a signed sender that behaves as a Standard Webhooks sender does (it retries a 5xx
 * or a broken connection), the realistic events it sends, reading back what the stores hold, and the tally every
 * scenario adds to (the suite's last line sums them; tools/faults/run-suite.ts).
 */

export const SOURCE = 'faults';
export const SECRET = generateSecret();

export type Event = { id: string; type: string; partnerId: string; occurredAt: string; data: Record<string, unknown> };

export interface Tally {
  scenario: string;
  sent: number;
  accepted: number;
  applied: number;
  lost: number;
  duplicated: number;
  server_errors: number;
  faults?: Record<string, unknown>;
  seconds?: number;
}

/** Appends a scenario's tally to the results file the suite's runner reads (FAULTS_RESULTS). */
export function recordTally(t: Tally): void {
  const file = process.env.FAULTS_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify(t)}\n`);
  console.log(`[faults] ${JSON.stringify(t)}`);
}

/** `n` realistic events for each of `partners` partners, from the snapshot generator, each partner's in time order. */
export function generateEvents(partnerIds: string[], perPartner: number, date: string): Event[] {
  const out: Event[] = [];
  partnerIds.forEach((partnerId, i) => {
    const snap = parseSnapshot(generateSnapshot({ tenants: 10, associations: 14, professionals: 5, months: 4, date, seed: 1000 + i, partnerId }));
    const events = (snapshotToEvents(snap) as Event[]).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    if (events.length < perPartner) throw new Error(`the generator gave ${events.length} events for ${partnerId}, fewer than ${perPartner}`);
    // Keep every kind: take events spread over the whole list, not only the oldest.
    const step = events.length / perPartner;
    for (let k = 0; k < perPartner; k++) out.push(events[Math.floor(k * step)]!);
  });
  return out;
}

export interface Sender {
  /** Answers received, by status, and 5xx answers in total. */
  statuses: Map<number, number>;
  serverErrors: number;
  /** Webhook ids that were answered 202 or 200 at least once. */
  acknowledged: Set<string>;
  deliver(webhookId: string, events: Event[]): Promise<number>;
}

export function sender(url: string, opts: { maxAttempts?: number } = {}): Sender {
  const statuses = new Map<number, number>();
  const acknowledged = new Set<string>();
  const s: Sender = {
    statuses,
    serverErrors: 0,
    acknowledged,
    async deliver(webhookId, events) {
      const body = JSON.stringify(events.length === 1 ? events[0] : { events });
      const max = opts.maxAttempts ?? 6;
      for (let attempt = 1; ; attempt++) {
        let status = 0;
        try {
          const res = await fetch(`${url}/api/webhooks/${SOURCE}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signedHeaders(SECRET, webhookId, body) } });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          status = 0;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) s.serverErrors++;
        if (status === 200 || status === 202) acknowledged.add(webhookId);
        if ((status !== 0 && status < 500) || attempt >= max) return status;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    },
  };
  return s;
}

/** Runs `fn` over `items`, `limit` at a time. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

/** Points this process's store modules at `endpoint` / `database` (the test reads stores directly, around any proxy). */
export function useDatabase(endpoint: string, database: string): void {
  Object.assign(process.env, { COSMOS_ENDPOINT: endpoint, COSMOS_KEY: 'faults', COSMOS_DATABASE: database, COSMOS_CREATE_CONTAINERS: 'true' });
  process.env.AzureWebJobsStorage ??= 'UseDevelopmentStorage=true';
  resetSettingsCache();
  resetCosmosClientForTests();
}

export async function createDatabase(endpoint: string, database: string): Promise<void> {
  useDatabase(endpoint, database);
  await createDatabaseAndContainers(getSettings());
}

/** Every document of the partner in the `partners` container (state docs, run markers, directory entries). */
export async function partnerDocs(partnerId: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let token: string | undefined;
  do {
    const page = await queryPage<Record<string, unknown>>('partners', { query: 'SELECT * FROM c WHERE c.partnerId = @p', parameters: [{ name: '@p', value: partnerId }] }, { maxItemCount: 100, continuationToken: token });
    out.push(...page.items);
    token = page.continuationToken;
  } while (token);
  return out;
}

/** One query: how many receipts are not applied yet. */
export async function unappliedReceipts(): Promise<number> {
  const page = await queryPage<number>('receipts', { query: "SELECT VALUE COUNT(1) FROM c WHERE c.type = 'receipt' AND c.status != 'applied'" });
  return page.items[0] ?? 0;
}

/** Partners (of `partnerIds`) whose latest score is not computed from their latest state yet, or that still await a recompute. */
export async function unsettledPartners(partnerIds: readonly string[]): Promise<string[]> {
  const rows: { partnerId: string; type: string; stateVersion: number; recomputePendingSince?: string; recomputeRunning?: unknown; recomputeFollowUp?: boolean }[] = [];
  let token: string | undefined;
  do {
    const page = await queryPage<(typeof rows)[number]>('partners', { query: "SELECT c.partnerId, c.type, c.stateVersion, c.recomputePendingSince, c.recomputeRunning, c.recomputeFollowUp FROM c WHERE c.type = 'profile' OR c.type = 'score-status'" }, { maxItemCount: 1000, continuationToken: token });
    rows.push(...page.items);
    token = page.continuationToken;
  } while (token);
  // Each unsettled partner with what holds it: its recompute marker and the versions, so a failure says which step
  // of the coalescing lost it.
  return partnerIds.flatMap((p) => {
    const profile = rows.find((r) => r.partnerId === p && r.type === 'profile');
    const status = rows.find((r) => r.partnerId === p && r.type === 'score-status');
    const unsettled = !profile || profile.recomputePendingSince !== undefined || profile.recomputeRunning !== undefined || profile.recomputeFollowUp !== undefined || !status || status.stateVersion !== profile.stateVersion;
    if (!unsettled) return [];
    const { partnerId: _p, type: _t, ...marker } = profile ?? { partnerId: p, type: 'none' };
    return [`${p} ${JSON.stringify({ ...marker, scored: status?.stateVersion })}`];
  });
}

export const stateDocs = async (partnerId: string) => (await partnerDocs(partnerId)).filter((d) => ['profile', 'associations', 'professionals', 'telemetry', 'customers'].includes(String(d.type))) as unknown as StateDoc[];

/** How many times each event id is recorded in a partner's state documents (histories, link events, telemetry reports). */
export function eventOccurrences(docs: readonly StateDoc[]): Map<string, number> {
  const seen = new Map<string, number>();
  const add = (id: string | undefined) => id && seen.set(id, (seen.get(id) ?? 0) + 1);
  for (const d of docs) {
    if (d.type === 'associations') for (const a of Object.values(d.items)) for (const h of a.history) add(h.eventId);
    if (d.type === 'professionals') {
      for (const p of Object.values(d.items)) {
        for (const l of p.linkEvents ?? []) add(l.eventId);
        for (const c of Object.values(p.certifications)) for (const e of c.events ?? []) add(e.id);
      }
    }
    if (d.type === 'telemetry') for (const r of Object.values(d.rows)) [r, ...(r.superseded ?? [])].forEach((x) => add(x.lastEventId));
  }
  return seen;
}

/** A state document without what differs between two correct runs: system fields, wall-clock times, version counters. */
export function normalise(doc: unknown): unknown {
  const DROP = new Set(['_etag', '_ts', '_rid', '_self', '_attachments', 'createdAt', 'stateVersion', 'recomputePendingSince', 'recomputeRunning', 'recomputeFollowUp']);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) if (!DROP.has(k)) o[k] = walk((v as Record<string, unknown>)[k]);
      return o;
    }
    return v;
  };
  const d = walk(doc) as Record<string, unknown>;
  // The profile's updatedAt is when it was last written; a record's updatedAt is its event's occurredAt (compared).
  if (d.type === 'profile') delete d.updatedAt;
  return d;
}

export async function scoreSummary(partnerId: string): Promise<{ stateVersion: number; areas: unknown } | undefined> {
  const s = await readScoreStatus(partnerId);
  return s ? { stateVersion: s.stateVersion, areas: s.areas } : undefined;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const hostEnv = (extra: Record<string, string>) => ({
  WEBHOOK_SOURCES: SOURCE,
  WEBHOOK_SECRET_FAULTS: SECRET,
  WEBHOOK_PARTNERS_FAULTS: '*',
  RECOMPUTE_COALESCE_SECONDS: '1',
  LOCAL_HOST_LOG_LEVEL: 'warning',
  // Schedules that never fire during the suite: runs are started on demand.
  SCORE_RECOMPUTE_SCHEDULE: '0 0 0 1 1 *',
  CERT_SYNC_SCHEDULE: '0 0 0 1 1 *',
  ...extra,
});

export async function startHost(env: Record<string, string>, opts: { embedded?: boolean } = {}): Promise<HostProcess> {
  return startHostProcess({ env: hostEnv(env), embedded: opts.embedded, timeoutMs: 90_000 });
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The Cosmos DB emulator in a child process of its own (as Cosmos DB is its own service): in the test process its
 * event loop would share a core with the senders. Exits when this process goes away (its stdin closes).
 */
export async function cosmosInChild(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const main = path.join(REPO_ROOT, 'dist', 'tools', 'emulators', 'index.js');
  const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(main)}).startCosmosEmulator(0).then((e) => console.log('COSMOS ' + e.endpoint)); process.stdin.resume(); process.stdin.on('close', () => process.exit(0));`], { stdio: ['pipe', 'pipe', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the Cosmos emulator did not start:\n${out}`)), 30_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /COSMOS (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
  child.stdout!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    endpoint,
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin!.end();
      child.kill('SIGTERM');
    }),
  };
}

export async function freshAzurite(location?: string): Promise<AzuriteEmulator> {
  return startAzurite({}, '127.0.0.1', location ? { location } : {});
}
