import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '../../shared/lib/random';

/**
 * A fault-injecting HTTP proxy on loopback, put between the app and an emulator (the Cosmos DB emulator, or one of
 * Azurite's services) so the app meets the failures the real services answer with, through its normal clients:
 *
 * - `throttle`: 429 with `x-ms-retry-after-ms` (and `retry-after`); the request never reaches the emulator, as a
 *   throttled request is not executed by Cosmos DB.
 * - `unavailable`: 503, not forwarded.
 * - `timeout`: 408 answered after the emulator did the work: the caller cannot know whether its write happened.
 * - `delay`: the real answer, `delayMs` late.
 * - `reset`: the connection is reset (TCP RST); half of them before the request is forwarded, half after the emulator
 *   answered (the write happened, the answer is lost).
 *
 * Each request draws at most one fault, with the given probabilities (their sum at most 1), from a seeded generator.
 * The counts say how many of each were injected.
 */

export const FAULT_KINDS = ['throttle', 'unavailable', 'timeout', 'delay', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultRates = Partial<Record<FaultKind, number>>;

export interface FaultCounts extends Record<FaultKind, number> {
  /** Requests the proxy received. */
  requests: number;
  /** Faults that struck after the emulator had acted on the request (timeout, and the resets after the answer). */
  afterUpstream: number;
}

export interface FaultProxyOptions {
  /** Where requests go, e.g. `http://127.0.0.1:8081`. */
  target: string;
  rates?: FaultRates;
  /** Added latency of a `delay` fault (default 150 ms). */
  delayMs?: number;
  /** The `x-ms-retry-after-ms` of a `throttle` fault (default 20 ms). */
  retryAfterMs?: number;
  seed?: number;
  /** Only requests this accepts may be faulted (default: every request). */
  eligible?: (req: http.IncomingMessage) => boolean;
  port?: number;
}

export interface FaultProxy {
  /** The proxy's base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  counts(): FaultCounts;
  /** Total faults injected, all kinds. */
  injected(): number;
  setRates(rates: FaultRates): void;
  /** Gives the next eligible requests these faults in order ('pass': none), before the rates apply again (for focused tests). */
  failNext(...kinds: (FaultKind | 'pass')[]): void;
  /** Points the proxy at another upstream (an emulator restarted on another port). */
  setTarget(target: string): void;
  close(): Promise<void>;
}


export function validateRates(rates: FaultRates): FaultRates {
  let sum = 0;
  for (const [kind, rate] of Object.entries(rates)) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new Error(`Unknown fault kind "${kind}" (one of ${FAULT_KINDS.join(', ')}).`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new Error(`Fault rate ${kind} must be between 0 and 1, not ${String(rate)}.`);
    sum += rate;
  }
  if (sum > 1 + 1e-9) throw new Error(`Fault rates add up to ${sum}; at most 1.`);
  return { ...rates };
}

/** Which fault (if any) a draw `r` in [0, 1) picks under `rates`. */
export function pickFault(rates: FaultRates, r: number): FaultKind | undefined {
  let edge = 0;
  for (const kind of FAULT_KINDS) {
    edge += rates[kind] ?? 0;
    if (r < edge) return kind;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function forward(agent: http.Agent, target: URL, req: http.IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const up = http.request(
      { agent, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    up.on('error', reject);
    up.end(body);
  });
}

function resetConnection(socket: Socket): void {
  // An RST, as a crashed or overloaded peer sends; the client sees ECONNRESET.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

function answerFault(res: http.ServerResponse, status: number, code: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ code, message: `${code} (injected by the fault proxy)` });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-ms-activity-id': '00000000-0000-0000-0000-000000000000', ...extra });
  res.end(body);
}

/** Starts a fault proxy on 127.0.0.1 (any free port unless `port` is given). */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  let target = new URL(opts.target);
  let rates = validateRates(opts.rates ?? {});
  const random = seededRandom(opts.seed ?? 1);
  const delayMs = opts.delayMs ?? 150;
  const retryAfterMs = opts.retryAfterMs ?? 20;
  const counts: FaultCounts = { requests: 0, afterUpstream: 0, throttle: 0, unavailable: 0, timeout: 0, delay: 0, reset: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const scripted: (FaultKind | 'pass')[] = [];

  const server = http.createServer({ keepAlive: true }, (req, res) => {
    void handle(req, res).catch(() => {
      // The upstream went away (an emulator restarting): the caller sees what a dead service gives, a reset.
      resetConnection(req.socket);
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    counts.requests++;
    const body = await readBody(req);
    const eligible = !opts.eligible || opts.eligible(req);
    const next = eligible && scripted.length ? scripted.shift() : undefined;
    const fault = !eligible || next === 'pass' ? undefined : next ?? pickFault(rates, random());
    if (fault) counts[fault]++;
    if (fault === 'throttle') {
      return answerFault(res, 429, 'TooManyRequests', { 'x-ms-retry-after-ms': String(retryAfterMs), 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))), 'x-ms-substatus': '3200' });
    }
    if (fault === 'unavailable') return answerFault(res, 503, 'ServiceUnavailable');
    const resetAfter = fault === 'reset' && random() < 0.5;
    if (fault === 'reset' && !resetAfter) return resetConnection(req.socket);
    const upstream = await forward(agent, target, req, body);
    if (fault === 'timeout' || resetAfter) counts.afterUpstream++;
    if (fault === 'timeout') return answerFault(res, 408, 'RequestTimeout');
    if (resetAfter) return resetConnection(req.socket);
    if (fault === 'delay') await sleep(delayMs);
    const headers = { ...upstream.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(upstream.body.length);
    res.writeHead(upstream.status, headers);
    res.end(upstream.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts: () => ({ ...counts }),
    injected: () => FAULT_KINDS.reduce((n, k) => n + counts[k], 0),
    setRates: (r) => void (rates = validateRates(r)),
    failNext: (...kinds) => void scripted.push(...kinds),
    setTarget: (t) => {
      target = new URL(t);
      agent.destroy();
    },
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
