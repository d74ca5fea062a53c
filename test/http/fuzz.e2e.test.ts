import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_EXAMPLES } from '../../shared/events/examples';
import { generateSecret } from '../../shared/lib/signing';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { describeRequest, operationsOf, requestArb, type FuzzRequest, type Operation } from '../helpers/fuzz-requests';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { getJson } from '../helpers/http';
import { rawRequest, type RawResponse } from '../helpers/raw-http';
import { dumpDifferences, dumpStores, type StoreDump } from '../helpers/store-dump';
import { postSigned } from '../webhooks/client';

/**
 * Bad input at volume (issue 12): property-based requests, generated from the OpenAPI document, to every route and
 * method through one local host. For every request: never a 5xx (but the parser's 501 for a method it does not
 * know and 505 for an HTTP version), every error a JSON body whose message names the problem, and no write route
 * accepting anything; after all of them, every stored document, queue and blob exactly as before.
 *
 * The comparison ignores nothing: no read writes (not even a last-read time), so every field, Cosmos DB's system
 * properties included, must be equal after the run.
 *
 * Seeded and reproducible: FUZZ_SEED (default below) fixes every request; FUZZ_REQUESTS changes how many.
 * Which requests are generated, so that none may legitimately change data, is explained in test/helpers/fuzz-requests.ts.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const BATCH = 50;
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 12);

const PARTNERS = ['fuzz-a', 'fuzz-b', 'fuzz-c'];

/** CPU seconds a process has used (Linux), to tell the host's own cost from a busy machine's; 0 elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
const PROFESSIONAL = 'learn-7f3a9c';

describe('bad input at volume: generated requests to every route', () => {
  let stores: IsolatedStores;
  let host: HostProcess;
  const seedSecret = generateSecret();
  const fuzzSecret = generateSecret();
  let runId: string;

  beforeAll(async () => {
    stores = await isolatedStores({ ownAzurite: true });
    host = await startHostProcess({
      env: {
        ...stores.env,
        LOCAL_PRINCIPAL: 'fuzz-operator roles=operator',
        LOCAL_HOST_LOG_LEVEL: 'warning',
        WEBHOOK_SOURCES: 'seed,fuzz',
        WEBHOOK_SECRET_SEED: seedSecret,
        WEBHOOK_PARTNERS_SEED: '*',
        WEBHOOK_SECRET_FUZZ: fuzzSecret,
        WEBHOOK_PARTNERS_FUZZ: PARTNERS.join(','),
        RECOMPUTE_COALESCE_SECONDS: '1',
        // No timer may fire during the run: the stored data must not change on its own.
        SCORE_RECOMPUTE_SCHEDULE: '0 0 0 1 1 *',
        CERT_SYNC_SCHEDULE: '0 0 0 1 1 *',
      },
    });
    await seedPartners();
  }, 180_000);
  afterAll(async () => {
    await host?.stop();
    await stores?.close();
  });

  /** Every event type the catalogue shows (but those dated ahead of today and the retraction) for each partner. */
  async function seedPartners(): Promise<void> {
    const now = Date.now();
    for (const partnerId of PARTNERS) {
      const events = Object.values(EVENT_EXAMPLES)
        .filter((e) => e.type !== 'event.retracted' && Date.parse(String(e.occurredAt)) < now)
        .map((e) => ({ ...e, id: `${partnerId}-${String(e.id)}`, partnerId }));
      const id = `seed-${partnerId}`;
      const res = await postSigned(host.url, 'seed', { events }, { secret: seedSecret, id });
      expect(res.status, JSON.stringify(res.json)).toBe(202);
      await eventually(async () => ((await getJson(`${host.url}/api/webhooks/seed/deliveries/${id}`)).json.status === 'applied' ? true : undefined), 30_000, `delivery ${id}`);
      await eventually(async () => ((await fetch(`${host.url}/api/partners/${partnerId}/scores`)).status === 200 ? true : undefined), 30_000, `the first score of ${partnerId}`);
    }
    const put = await fetch(`${host.url}/api/partners/${PARTNERS[0]}/notification`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'http://127.0.0.1:9/alerts' }) });
    expect(put.status).toBe(200);
    const started = (await (await fetch(`${host.url}/api/runs/recompute`, { method: 'POST' })).json()) as { run: { id: string } };
    runId = started.run.id;
    await eventually(async () => ((await getJson(`${host.url}/api/runs/${runId}`)).json.status === 'finished' ? true : undefined), 60_000, `run ${runId}`);
  }

  /** The stores once nothing is queued and two dumps a second apart agree. */
  async function settledDump(): Promise<StoreDump> {
    let last = await dumpStores();
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const next = await dumpStores();
      const queued = Object.values(next.queues).some((n) => n > 0);
      if (!queued && dumpDifferences(last, next).length === 0) return next;
      last = next;
    }
    throw new Error(`the stores did not settle: ${JSON.stringify(last.queues)}`);
  }

  /** What is wrong with one answer, or undefined when it is right. */
  function problemOf(req: FuzzRequest, res: RawResponse): string | undefined {
    const body = res.json as { error?: unknown; message?: unknown; details?: unknown } | undefined;
    // The answer to a HEAD carries no body, so its refusal is known by the status alone.
    const parserRefusal = (res.status === 501 && (req.head || body?.error === 'NotImplemented')) || (res.status === 505 && (req.head || body?.error === 'HTTPVersionNotSupported'));
    if (res.status >= 500 && !parserRefusal) return `a ${res.status}`;
    if (res.status >= 200 && res.status < 300 && !req.mayAccept) return `a write route answered ${res.status}`;
    if (res.status < 400 || req.head) return undefined;
    if (!/^application\/json/.test(res.headers['content-type'] ?? '')) return `an error without a JSON content-type (${res.headers['content-type']})`;
    if (typeof body?.error !== 'string' || !body.error) return 'an error body without "error"';
    if (typeof body.message !== 'string' || body.message.length < 10) return 'an error body without a message naming the problem';
    if (body.details !== undefined) {
      const ok = Array.isArray(body.details) && body.details.every((d: { path?: unknown; message?: unknown }) => typeof d?.path === 'string' && typeof d.message === 'string' && d.message.length > 0);
      if (!ok) return 'error details that are not [{path, message}]';
    }
    return undefined;
  }

  it(`${REQUESTS} requests: no 5xx, JSON errors that name the problem, nothing stored`, async () => {
    const doc = (await (await fetch(`${host.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const ops: Operation[] = operationsOf(doc);
    expect(ops.length).toBeGreaterThanOrEqual(30);
    const before = await settledDump();
    expect(Object.keys(before.documents).length).toBeGreaterThan(30);

    console.log(`fuzz: seed=${SEED} requests=${REQUESTS}; replay this run with FUZZ_SEED=${SEED} npx vitest run test/http/fuzz.e2e.test.ts`);
    const ctx = { partnerIds: PARTNERS, professionalIds: [PROFESSIONAL], runIds: [runId], source: 'fuzz', secret: fuzzSecret, routePrefix: 'api' };
    const counts = { requests: 0, '2xx': 0, '3xx': 0, '4xx': 0, parser5xx: 0, '5xx': 0 };
    const hit = new Set<string>();
    const failures: string[] = [];
    const started = Date.now();
    const cpuBefore = cpuSeconds(host.child.pid!);

    const timing = new Map<string, { n: number; ms: number }>();
    const send = async (req: FuzzRequest) => {
      let res: RawResponse;
      const t0 = Date.now();
      try {
        res = await rawRequest(host.url, req.bytes, { head: req.head, timeoutMs: 20_000 });
        const t = timing.get(req.op) ?? { n: 0, ms: 0 };
        t.n++;
        t.ms += Date.now() - t0;
        timing.set(req.op, t);
      } catch (e) {
        failures.push(`no answer (${(e as Error).message}) to\n${describeRequest(req)}`);
        return;
      }
      counts.requests++;
      hit.add(req.op);
      const cls = `${Math.floor(res.status / 100)}xx` as '2xx' | '3xx' | '4xx' | '5xx';
      if (res.status === 501 || res.status === 505) counts.parser5xx++;
      else if (cls in counts) counts[cls]++;
      const problem = problemOf(req, res);
      if (problem) failures.push(`${problem}: ${res.status} ${res.body.subarray(0, 300).toString('utf8')}\nfor\n${describeRequest(req)}`);
    };

    await fc.assert(
      fc.asyncProperty(fc.array(requestArb(ops, ctx), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const queue = [...batch];
        await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
          for (let r = queue.shift(); r; r = queue.shift()) await send(r);
        }));
        // Failures are collected and reported together below, with the requests as sent.
        return true;
      }),
      { seed: SEED, numRuns: Math.ceil(REQUESTS / BATCH), endOnFailure: true },
    );
    const seconds = (Date.now() - started) / 1000;
    const hostCpu = cpuSeconds(host.child.pid!) - cpuBefore;
    if (process.env.FUZZ_TIMING) console.log([...timing].sort((a, b) => b[1].ms - a[1].ms).map(([k, t]) => `${k}: ${t.n} x ${(t.ms / t.n).toFixed(0)} ms`).join('\n'));

    const after = await settledDump();
    const changed = dumpDifferences(before, after);
    console.log(
      `fuzz: requests=${counts.requests} routes=${hit.size}/${ops.length} seed=${SEED} 2xx=${counts['2xx']} 4xx=${counts['4xx']} 501/505=${counts.parser5xx} 5xx=${counts['5xx']} changed=${changed.length} duration=${seconds.toFixed(1)}s host_cpu=${hostCpu.toFixed(1)}s`,
    );
    const missing = ops.map((o) => o.key).filter((k) => !hit.has(k));
    expect(missing, 'routes the run never reached').toEqual([]);
    expect(failures.slice(0, 10), `${failures.length} bad answers (first 10); replay with FUZZ_SEED=${SEED}`).toEqual([]);
    expect(changed, 'stored data changed during the run').toEqual([]);
    expect(counts.requests).toBeGreaterThanOrEqual(REQUESTS);
  }, 600_000);
});
