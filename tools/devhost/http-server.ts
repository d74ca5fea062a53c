import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Principal } from '../../shared/access/principal';
import { applySignIn, authLevelAdmits, crossSiteRefusal, KEY_PRINCIPAL, keyLevelOf, type KeyLevel, type LocalKeys } from './local-auth';
import type { Duplex } from 'node:stream';
import type { RegisteredFunction, RpcTypedData } from './core-api';
import { respondRaw, respondToParserError, type ClientError } from './parser-errors';
import { compileRoute, matchRoute, sortRoutes, type CompiledRoute } from './routes';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface HttpRoute {
  fn: RegisteredFunction;
  methods: string[] | undefined;
  authLevel: string | undefined;
}

/** The host keys and the development principal the local host signs requests in with (see local-auth.ts). */
export interface LocalSignIn {
  keys: LocalKeys;
  localPrincipal: Principal | undefined;
}

export interface HttpDispatcher {
  invokeHttp(fn: RegisteredFunction, request: RpcTypedData): Promise<RpcTypedData | null | undefined>;
  runOnDemand(name: string, input: string): { accepted: boolean; reason?: string; status?: number };
  log(level: string, message: string): void;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

class BodyTooLarge extends Error {}

const hasBody = (req: IncomingMessage): boolean => (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
/** A host name or address with an optional port: nothing that could change the URL's path (no /, @, ? or #). */
const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The request's URL from its target and Host header. A path target is always read as a path, so `//api/x` is not a
 * protocol-relative URL naming host `api`; an absolute target (a proxy's form) is used as given.
 */
function requestUrl(req: IncomingMessage): { ok: true; url: URL } | { ok: false; message: string } {
  const host = req.headers.host;
  if (host === undefined && req.httpVersion === '1.1') return { ok: false, message: 'The Host header is required in HTTP/1.1.' };
  if (host !== undefined && !HOST.test(host)) return { ok: false, message: `The Host header "${host.slice(0, 100)}" is not a host name with an optional port.` };
  const target = req.url ?? '/';
  try {
    return { ok: true, url: new URL(target.startsWith('/') ? `http://${host ?? 'localhost'}${target}` : target) };
  } catch {
    return { ok: false, message: `The request target "${target.slice(0, 100)}" is not a path or an absolute URL.` };
  }
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The local HTTP front end: routes `/<routePrefix>/...` to HTTP-triggered functions and serves the
 * Core Tools admin endpoints. Errors the host itself detects are JSON, like the app's own errors.
 */
export class LocalHttpServer {
  private readonly server: http.Server;
  private readonly routes: CompiledRoute<HttpRoute>[];

  constructor(
    private readonly routePrefix: string,
    functions: RegisteredFunction[],
    private readonly dispatcher: HttpDispatcher,
    private readonly maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    private readonly signIn?: LocalSignIn,
    /** Larger body limits of particular functions (by name), such as the import route's IMPORT_MAX_BYTES. */
    private readonly bodyLimits: Record<string, number> = {},
  ) {
    const compiled: CompiledRoute<HttpRoute>[] = [];
    for (const fn of functions) {
      const trigger = Object.values(fn.metadata.bindings).find((b) => b.type === 'httpTrigger');
      if (!trigger) continue;
      const methods = (trigger.methods as string[] | undefined)?.map((m) => m.toUpperCase());
      compiled.push(compileRoute((trigger.route as string | undefined) ?? fn.metadata.name, { fn, methods, authLevel: trigger.authLevel as string | undefined }));
    }
    this.routes = sortRoutes(compiled);
    // Node would refuse a request without Host itself, with an empty body; the host answers it in JSON instead.
    this.server = http.createServer({ keepAlive: true, requireHostHeader: false }, (req, res) => {
      this.handle(req, res).catch((e) => {
        // The parser refused the body after the request began (bad chunk framing): that is answered already.
        if (res.writableEnded) return this.dispatcher.log('warning', `HTTP ${req.method} ${req.url}: the request was cut off (${(e as Error).message})`);
        this.dispatcher.log('error', `HTTP ${req.method} ${req.url} failed in the host: ${(e as Error).stack ?? e}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'InternalError', message: 'The local host failed to handle the request; see its log.' });
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 65_000;
    // Node's own answers to these are empty bodies (417), or none at all (CONNECT closes the connection).
    this.server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
      sendJson(res, 417, { error: 'ExpectationFailed', message: `The Expect header "${String(req.headers.expect).slice(0, 100)}" is not supported; only 100-continue is.` }, { connection: 'close' });
    });
    this.server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
      respondRaw(socket, { status: 501, error: 'NotImplemented', message: 'CONNECT is not supported: this is not a proxy.' });
    });
    this.server.on('clientError', (err: ClientError, socket) => {
      const answer = respondToParserError(err, socket, http.maxHeaderSize);
      if (answer) this.dispatcher.log('warning', `HTTP request refused by the parser: ${answer.status} ${err.code} (${err.reason ?? err.message})`);
    });
  }

  routeTable(): { template: string; methods: string[] | undefined; name: string }[] {
    return this.routes.map((r) => ({ template: r.template, methods: r.target.methods, name: r.target.fn.metadata.name }));
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setTimeout(() => this.server.closeAllConnections(), 5_000).unref();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = requestUrl(req);
    if (!target.ok) return sendJson(res, 400, { error: 'BadRequest', message: target.message });
    const url = target.url;
    const method = (req.method ?? 'GET').toUpperCase();
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
    } catch {
      return sendJson(res, 400, { error: 'BadRequest', message: `The path "${url.pathname}" is not validly percent-encoded.` });
    }

    const key = this.signIn ? keyLevelOf(this.signIn.keys, req.headers, url.searchParams) : undefined;
    if (segments[0]?.toLowerCase() === 'admin') {
      if (this.signIn && key !== 'master') {
        return sendJson(res, 401, { error: 'Unauthorized', message: 'The admin API needs the master key (x-functions-key or ?code=; printed at start-up and kept in the local data folder).' });
      }
      const refusal = crossSiteRefusal(method, req.headers, key, hasBody(req), true);
      if (refusal) return sendJson(res, refusal.status, { error: refusal.error, message: refusal.message });
      return this.handleAdmin(req, res, method, segments.slice(1));
    }

    const prefix = this.routePrefix ? this.routePrefix.split('/') : [];
    const underPrefix = prefix.every((p, i) => segments[i]?.toLowerCase() === p.toLowerCase());
    if (!underPrefix) return this.notFound(res, url.pathname);
    const rest = segments.slice(prefix.length);

    let allowed: Set<string> | undefined;
    for (const route of this.routes) {
      const params = matchRoute(route, rest);
      if (!params) continue;
      if (route.target.methods && !route.target.methods.includes(method)) {
        allowed ??= new Set();
        route.target.methods.forEach((m) => allowed!.add(m));
        continue;
      }
      if (this.signIn) {
        if (!authLevelAdmits(route.target.authLevel, key)) {
          const needs = route.target.authLevel === 'admin' ? 'the master key' : 'a function key or the master key';
          return sendJson(res, 401, { error: 'Unauthorized', message: `${method} ${url.pathname} needs ${needs} (x-functions-key or ?code=; printed at start-up).` });
        }
        const refusal = crossSiteRefusal(method, req.headers, key, hasBody(req), false);
        if (refusal) return sendJson(res, refusal.status, { error: refusal.error, message: refusal.message });
      }
      return this.dispatch(req, res, route.target.fn, url, method, params, key);
    }
    if (allowed) {
      const list = [...allowed].sort();
      return sendJson(res, 405, { error: 'MethodNotAllowed', message: `${method} is not allowed on ${url.pathname}; use ${list.join(', ')}.` }, { allow: list.join(', ') });
    }
    return this.notFound(res, url.pathname);
  }

  private notFound(res: ServerResponse, path: string): void {
    sendJson(res, 404, { error: 'NotFound', message: `No function is registered at ${path}. See GET /${this.routePrefix}/openapi.json for the API.` });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, fn: RegisteredFunction, url: URL, method: string, params: Record<string, string>, key: KeyLevel | undefined): Promise<void> {
    let body: Buffer;
    const limit = Math.max(this.maxBodyBytes, this.bodyLimits[fn.metadata.name] ?? 0);
    try {
      body = await readBody(req, limit);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        return sendJson(res, 413, { error: 'PayloadTooLarge', message: `The request body is larger than the limit of ${limit} bytes.` }, { connection: 'close' });
      }
      throw e;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    if (this.signIn) applySignIn(headers, key ? KEY_PRINCIPAL : this.signIn.localPrincipal);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) {
      // A key given as ?code= is the host's, not the route's: the routes' query schemas never see it.
      if (key && k === 'code') continue;
      query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
    }
    const started = Date.now();
    let response: RpcTypedData | null | undefined;
    try {
      response = await this.dispatcher.invokeHttp(fn, {
        http: { method, url: url.toString(), headers, query, params, body: { bytes: body } },
      });
    } catch (e) {
      this.dispatcher.log('error', `[${fn.metadata.name}] ${method} ${url.pathname} threw: ${(e as Error).stack ?? e}`);
      return sendJson(res, 500, { error: 'InternalServerError', message: `Function "${fn.metadata.name}" failed; see the host log.` });
    }
    const rpc = (response?.http ?? {}) as { statusCode?: string; headers?: Record<string, string>; body?: RpcTypedData; cookies?: unknown[] };
    const status = Number(rpc.statusCode ?? 200);
    let out: Buffer = Buffer.alloc(0);
    if (rpc.body?.bytes) out = Buffer.from(rpc.body.bytes as Uint8Array);
    else if (typeof rpc.body?.string === 'string') out = Buffer.from(rpc.body.string);
    const outHeaders: Record<string, string> = { ...(rpc.headers ?? {}) };
    if (method === 'HEAD') out = Buffer.alloc(0);
    outHeaders['content-length'] = String(out.length);
    res.writeHead(status, outHeaders);
    res.end(out);
    this.dispatcher.log('info', `[${fn.metadata.name}] ${method} ${url.pathname}${url.search} -> ${status} (${Date.now() - started} ms)`);
  }

  private async handleAdmin(req: IncomingMessage, res: ServerResponse, method: string, segments: string[]): Promise<void> {
    if (segments[0]?.toLowerCase() === 'host' && segments[1]?.toLowerCase() === 'status' && segments.length === 2) {
      if (method !== 'GET') return sendJson(res, 405, { error: 'MethodNotAllowed', message: 'Use GET.' }, { allow: 'GET' });
      return sendJson(res, 200, { state: 'Running', version: 'devhost' });
    }
    if (segments[0]?.toLowerCase() === 'functions' && segments.length === 2) {
      if (method !== 'POST') return sendJson(res, 405, { error: 'MethodNotAllowed', message: 'Use POST to run a function on demand.' }, { allow: 'POST' });
      let input = '';
      try {
        const raw = (await readBody(req, this.maxBodyBytes)).toString('utf8');
        if (raw.trim()) {
          const parsed: unknown = JSON.parse(raw);
          const value = (parsed as { input?: unknown }).input;
          input = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
        }
      } catch (e) {
        if (e instanceof BodyTooLarge) return sendJson(res, 413, { error: 'PayloadTooLarge', message: `The request body is larger than ${this.maxBodyBytes} bytes.` });
        return sendJson(res, 400, { error: 'BadRequest', message: 'The body must be JSON like {"input": "..."}.' });
      }
      const result = this.dispatcher.runOnDemand(segments[1]!, input);
      if (!result.accepted) return sendJson(res, result.status ?? 404, { error: result.status === 400 ? 'BadRequest' : 'NotFound', message: result.reason });
      res.writeHead(202, { 'content-length': '0' });
      return void res.end();
    }
    return sendJson(res, 404, { error: 'NotFound', message: `Unknown admin endpoint /admin/${segments.join('/')}.` });
  }
}
