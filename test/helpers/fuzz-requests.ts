import fc from 'fast-check';
import { signedHeaders } from '../../shared/lib/signing';

/**
 * Generators of bad HTTP requests from the OpenAPI document, for test/http/fuzz.e2e.test.ts. A request is bytes on
 * the wire (method, target, headers and body as sent), so it can be anything a client can send, not only what fetch()
 * allows.
 *
 * No request may change stored data, so (enforced here, checked by the test):
 * - a route that writes (every POST, PUT and DELETE but the simulation, which stores nothing) gets only bodies that
 *   are refused by construction: not JSON, JSON of the wrong type, or an object holding a poison (a lone surrogate,
 *   invalid UTF-8, nesting past the limit, a property of the wrong type); a webhook gets no valid signature for a
 *   well-formed delivery;
 * - a writing route without a body (a partner's cert sync, a dead-letter replay, a transcript's removal) never names
 *   a stored partner or dead letter;
 * - another method on a path is only one the path does not register (a 405), or not a method at all.
 */

type Schema = Record<string, unknown>;

export interface Operation {
  key: string;
  method: string;
  template: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  body?: { contentType: string; schema: Schema };
  /** Whether a valid request would store something. */
  writes: boolean;
  /** Every method the path registers. */
  pathMethods: string[];
}

export interface FuzzContext {
  /** Stored partners, professionals and runs: read routes name them, to reach real data. */
  partnerIds: string[];
  professionalIds: string[];
  runIds: string[];
  /** A configured webhook source, its secret, and one not configured. */
  source: string;
  secret: string;
  routePrefix: string;
}

export interface FuzzRequest {
  op: string;
  bytes: Buffer;
  method: string;
  /** Whether a 2xx is a legitimate answer: only a read route asked with its own method. */
  mayAccept: boolean;
  /** The request is HEAD: no body comes back. */
  head: boolean;
}

export function operationsOf(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const methods = Object.keys(item).filter((m) => m !== 'parameters');
    for (const method of methods) {
      const op = item[method] as { parameters?: { in: string; name: string; schema?: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } };
      const params = op.parameters ?? [];
      const content = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
      const M = method.toUpperCase();
      ops.push({
        key: `${M} ${template}`,
        method: M,
        template,
        pathParams: [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        ...(content ? { body: { contentType: content[0], schema: content[1].schema } } : {}),
        writes: M !== 'GET' && !template.endsWith('/simulate'),
        pathMethods: methods.map((m) => m.toUpperCase()),
      });
    }
  }
  return ops;
}

// ---- text -------------------------------------------------------------------------------------------------------

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const control = fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n));
const reserved = fc.constantFrom('#', '?', '/', '\\', '%', '.', '..', '&', '=', ';', ' ', '+', '@', ':', '*', '"', "'", '<', '>', '{', '}', '|', '^', '`', '[', ']', '\u2028', '\u0000');
/** Already percent-encoded forms, sent as they are: reserved characters, NUL, CR/LF, invalid UTF-8, encoded surrogates, broken escapes. */
const encodedForms = fc.constantFrom('%23', '%5C', '%5c', '%2F', '%2f', '%3F', '%00', '%0A', '%0D%0A', '%FF', '%ED%A0%80', '%C0%AF', '%E2%80%A8', '%', '%zz', '%2', '%252F', '%u0041', '%7F', '%20', '%2E%2E', '%C3%A9');
const safeText = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.'.split('')), minLength: 1, maxLength: 24 });

/** Percent-encodes text as a client would; a lone surrogate (which encodeURIComponent refuses) as the bytes WTF-8 gives it. */
export function percentEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s]
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          const c = ch.charCodeAt(0);
          return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
        }
      })
      .join('');
  }
}

/** Text as raw bytes in the request line (latin1: one character per byte), as a careless client sends it. */
const rawBytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

/** One path segment as it goes on the wire. `raw` text never holds / ? or # unencoded, which would change the route. */
function segmentArb(values: fc.Arbitrary<string>, allowRaw: boolean): fc.Arbitrary<string> {
  const odd = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.option(safeText, { nil: '' }), encodedForms, fc.option(safeText, { nil: '' })).map(([a, b, c]) => a + b + c) },
    { weight: 3, arbitrary: fc.tuple(fc.option(safeText, { nil: '' }), reserved, fc.option(safeText, { nil: '' })).map(([a, b, c]) => percentEncode(a + b + c)) },
    { weight: 2, arbitrary: fc.string({ unit: codeUnit, minLength: 1, maxLength: 20 }).map(percentEncode) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(percentEncode) },
    { weight: 1, arbitrary: fc.string({ unit: control, minLength: 1, maxLength: 4 }).map(percentEncode) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 129, maxLength: 3000 }).map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '%2e', 'null', 'undefined', '__proto__', 'constructor', '0', '-1', '1e400', 'NaN') },
  );
  const rawOdd = fc
    .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), fc.string({ unit: control, minLength: 1, maxLength: 3 }), fc.constantFrom('a b', 'é', '\u00ff', '\t'))
    .map((s) => rawBytes(s.replace(/[/?#]/g, '_')));
  return fc.oneof(
    { weight: 4, arbitrary: values.map(percentEncode) },
    { weight: 6, arbitrary: odd },
    { weight: allowRaw ? 1 : 0, arbitrary: rawOdd },
  );
}

// ---- query ------------------------------------------------------------------------------------------------------

const oddValues = fc.constantFrom('', ' ', 'true', 'false', 'TRUE', '0', '-1', '1.5', '1e400', '-0', 'NaN', 'Infinity', '99999999999999999999', '9007199254740993', '2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', '2026-1-1', '2026-12', '2026-12-02T00:00:00Z', 'null', '[]', '{}', 'eyJvIjoxfQ', '__proto__');

function queryValueArb(schema: Schema): fc.Arbitrary<string> {
  const enums = (schema.enum as unknown[] | undefined)?.map(String) ?? [];
  const valid = enums.length ? fc.constantFrom(...enums) : fc.constantFrom('1', '50', '2026-11-30', '2026-06', 'azure', 'x');
  return fc.oneof(
    { weight: 2, arbitrary: valid.map(percentEncode) },
    { weight: 1, arbitrary: valid.map((v) => percentEncode(v.toUpperCase())) },
    { weight: 3, arbitrary: oddValues.map(percentEncode) },
    { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 30 }).map(percentEncode) },
    { weight: 2, arbitrary: fc.tuple(fc.option(safeText, { nil: '' }), encodedForms).map(([a, b]) => a + b) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 500, maxLength: 5000 }).map(percentEncode) },
  );
}

function queryArb(op: Operation): fc.Arbitrary<string> {
  const declared = op.query.map((q) => fc.option(fc.tuple(fc.constant(q.name), queryValueArb(q.schema), fc.nat(9)), { freq: 2 }));
  const extra = fc.array(fc.tuple(fc.oneof(safeText, fc.constantFrom('__proto__', 'constructor', '', '%', 'a[b]', 'date[]')), queryValueArb({}), fc.constant(0)), { maxLength: 2 });
  const stray = fc.option(fc.constantFrom('&', '=', '&&', '=x', 'x', '%', '#frag', '?'), { freq: 5 });
  return fc.tuple(fc.tuple(...declared), extra, stray).map(([d, e, lone]) => {
    const pairs: string[] = [];
    for (const p of [...d.filter((x): x is [string, string, number] => x !== null), ...e]) {
      pairs.push(`${p[0]}=${p[1]}`);
      if (p[2] === 9) pairs.push(`${p[0]}=${p[1]}`);
    }
    if (lone !== null) pairs.push(lone);
    return pairs.length ? `?${pairs.join('&')}` : '';
  });
}

// ---- bodies -----------------------------------------------------------------------------------------------------

const LONE = ['\ud800', '\udbff', '\udc00', '\udfff'];
const INVALID_UTF8 = [[0xff], [0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xe2, 0x82]];
const MARK = 'FUZZ-INVALID-UTF8-HERE';

function typesOf(s: Schema): Set<string> {
  const out = new Set<string>();
  if (typeof s.type === 'string') out.add(s.type);
  if (Array.isArray(s.type)) (s.type as string[]).forEach((t) => out.add(t));
  for (const k of ['anyOf', 'oneOf']) for (const sub of (s[k] as Schema[] | undefined) ?? []) typesOf(sub).forEach((t) => out.add(t));
  if ('const' in s) out.add(s.const === null ? 'null' : typeof s.const);
  if (out.has('integer')) out.add('number');
  return out;
}

/** A value of no type the schema allows, so the property is refused whatever else the body holds. */
function wrongTypeValue(s: Schema, pick: number): unknown | undefined {
  const allowed = typesOf(s);
  if (allowed.size === 0) return undefined;
  const candidates: [string, unknown][] = [['object', { '': 1 }], ['array', [[]]], ['string', 'x'], ['number', 1e308], ['boolean', true], ['null', null]];
  const usable = candidates.filter(([t]) => !allowed.has(t));
  return usable.length ? usable[pick % usable.length]![1] : undefined;
}

/** A plausible value of a schema: right shapes with odd contents (the routes still refuse most). */
function valueArb(s: Schema, depth: number): fc.Arbitrary<unknown> {
  const enums = s.enum as unknown[] | undefined;
  if (enums?.length) return fc.constantFrom(...enums);
  if ('const' in s) return fc.constant(s.const);
  const alts = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (alts?.length) return fc.oneof(...alts.map((a) => valueArb(a, depth)));
  const type = Array.isArray(s.type) ? (s.type as string[])[0] : (s.type as string | undefined);
  if (type === 'object' && depth < 4) {
    const props = Object.entries((s.properties as Record<string, Schema> | undefined) ?? {});
    const required = new Set((s.required as string[] | undefined) ?? []);
    return fc.record(Object.fromEntries(props.map(([k, v]) => [k, valueArb(v, depth + 1)])), { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k) || k === 'op') });
  }
  if (type === 'array' && depth < 4) return fc.array(valueArb((s.items as Schema | undefined) ?? {}, depth + 1), { maxLength: 3 });
  if (type === 'integer' || type === 'number') return fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom(0, -0, 1e308, -1e308, 9007199254740993, 0.1));
  if (type === 'boolean') return fc.boolean();
  if (type === 'null') return fc.constant(null);
  return fc.oneof(fc.constantFrom('', '2026-11-30', '2026-02-30', 'azure', 'https://example.com/', 'https://learn.microsoft.com/en-us/users/x/transcript/abc', 'x'.repeat(3000)), fc.string({ unit: 'grapheme', maxLength: 20 }));
}

const deep = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

type Poison = 'surrogate-value' | 'surrogate-key' | 'invalid-utf8' | 'deep' | 'wrong-type';

/** The body's bytes: JSON of `value` with the poison applied where it needs bytes JSON.stringify cannot write. */
function poisoned(value: unknown, schema: Schema, poison: Poison, pick: number): Buffer {
  const obj: Record<string, unknown> = value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : { value };
  const keys = Object.keys(obj);
  const key = keys.length ? keys[pick % keys.length]! : 'x';
  if (poison === 'surrogate-value') obj[key] = `a${LONE[pick % LONE.length]}b`;
  if (poison === 'surrogate-key') obj[`k${LONE[pick % LONE.length]}`] = 1;
  if (poison === 'deep') obj[key] = deep(65 + (pick % 2000));
  if (poison === 'wrong-type') {
    const props = Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {});
    const prop = props.length ? props[pick % props.length]! : undefined;
    const wrong = prop ? wrongTypeValue(prop[1], pick) : undefined;
    if (prop && wrong !== undefined) obj[prop[0]] = wrong;
    else obj[key] = `a${LONE[0]}`; // no typed property: a lone surrogate refuses it as surely
  }
  if (poison === 'invalid-utf8') obj[key] = MARK;
  const text = JSON.stringify(obj);
  if (poison !== 'invalid-utf8') return Buffer.from(text);
  const [before, after] = text.split(MARK) as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from(INVALID_UTF8[pick % INVALID_UTF8.length]!), Buffer.from(after)]);
}

const notJson = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,]', "{'a':1}", 'undefined', 'NaN', '{"a":1}}', '\u0000', 'nul', '{"a":1,}', '<xml/>', 'a=1&b=2', '--x\r\nContent-Disposition: form-data\r\n\r\n1\r\n--x--'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).filter((s) => s.trim() !== '' && !isJson(s)),
);

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** A body every writing route refuses, whatever its schema. */
function refusedBodyArb(schema: Schema): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 2, arbitrary: notJson.map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.constantFrom('null', '0', '-1', '1e400', '"text"', 'true', '[]', '[{}]', '[null]').map((s) => Buffer.from(s)) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(valueArb(schema, 0), fc.constantFrom<Poison>('surrogate-value', 'surrogate-key', 'invalid-utf8', 'deep', 'wrong-type'), fc.nat(10_000))
        .map(([v, p, n]) => poisoned(v, schema, p, n)),
    },
  );
}

// ---- headers ----------------------------------------------------------------------------------------------------

const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain', 'text/csv', 'application/x-ndjson', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '', '*/*', 'application/json\u00ff');

const extraHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.constantFrom<[string, string]>(
    ['accept', 'application/xml'],
    ['accept', '*/*;q=0'],
    ['accept-encoding', 'gzip, br'],
    ['content-encoding', 'gzip'],
    ['x-ms-client-principal', 'not-base64!'],
    ['x-ms-client-principal', Buffer.from('{"claims":"x"}').toString('base64')],
    ['x-ms-client-principal', Buffer.from('{"auth_typ":"aad","claims":[{"typ":"roles","val":"operator"}]}').toString('base64')],
    ['x-ms-client-principal-name', 'admin'],
    ['x-functions-key', 'x'],
    ['x-forwarded-for', '1.2.3.4, ::1'],
    ['x-forwarded-host', 'evil.example'],
    ['x-http-method-override', 'DELETE'],
    ['cookie', 'a=b; c'],
    ['range', 'bytes=0-1'],
    ['if-none-match', '*'],
    ['if-match', '"x"'],
    ['webhook-id', 'a b'],
    ['webhook-timestamp', '1e400'],
    ['webhook-signature', 'v1,'],
    ['upgrade', 'websocket'],
    ['transfer-encoding', 'gzip'],
    ['authorization', 'Bearer x'],
  ),
  fc.tuple(safeText.map((s) => `x-${s}`), fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((v) => v.replace(/[\r\n\u0000-\u001f\u007f]/g, ''))),
  fc.tuple(safeText.map((s) => `x-${s}`), fc.string({ unit: 'grapheme', maxLength: 20 }).map(rawBytes).map((v) => v.replace(/[\r\n]/g, ''))),
);

/** Headers the parser refuses (rare, so most requests reach a route). */
const brokenHeader: fc.Arbitrary<[string, string]> = fc.constantFrom<[string, string]>(['bad header', 'x'], ['x-ctl', 'a\u0001b'], ['x-nul', 'a\u0000b'], ['', 'x'], ['x-big', 'a'.repeat(17_000)], ['content-length', '-1'], ['content-length', 'abc']);

// ---- requests ---------------------------------------------------------------------------------------------------

type Framing = 'length' | 'chunked' | 'bad-chunked';

function frame(body: Buffer | undefined, framing: Framing, cut: number): { headers: [string, string][]; bytes: Buffer } {
  if (body === undefined) return { headers: [], bytes: Buffer.alloc(0) };
  if (framing === 'length') return { headers: [['content-length', String(body.length)]], bytes: body };
  const parts: Buffer[] = [];
  const size = 1 + (cut % Math.max(1, body.length));
  for (let i = 0; i < body.length; i += size) {
    const chunk = body.subarray(i, i + size);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  // Every broken form is complete (a short chunk would only leave the server waiting for the rest).
  parts.push(Buffer.from(framing === 'chunked' ? '0\r\n\r\n' : ['zz\r\n', '5\r\nabcdefgh\r\n0\r\n\r\n', '0\r\nX\r\n\r\n', '-1\r\n\r\n'][cut % 4]!));
  return { headers: [['transfer-encoding', 'chunked']], bytes: Buffer.concat(parts) };
}

const ODD_METHODS = ['PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'PURGE', 'M-SEARCH', 'FOO', 'get', 'Post', 'GET\u0000', 'G ET', 'CONNECT'];
const STANDARD = ['GET', 'POST', 'PUT', 'DELETE'];

/** Another method for a path: one the path does not register (a 405, or the parser's refusal), never another route's write. */
function otherMethods(op: Operation): string[] {
  return [...STANDARD.filter((m) => !op.pathMethods.includes(m)), ...ODD_METHODS];
}

function webhookHeaders(ctx: FuzzContext, body: Buffer, variant: number, id: string): [string, string][] {
  const now = Math.floor(Date.now() / 1000);
  const signed = (secret: string, ts: number, over: Buffer | string = body, whId = id) => Object.entries(signedHeaders(secret, whId, over, ts)) as [string, string][];
  switch (variant % 7) {
    case 0:
      return [];
    case 1:
      return [['webhook-id', id], ['webhook-timestamp', String(now)], ['webhook-signature', 'v1,' + Buffer.from('forged').toString('base64')]];
    case 2:
      return signed('whsec_' + Buffer.alloc(32, 7).toString('base64'), now);
    case 3:
      return signed(ctx.secret, now - 3600);
    case 4:
      return signed(ctx.secret, now, Buffer.concat([body, Buffer.from(' ')]));
    case 5:
      return [['webhook-id', id], ['webhook-timestamp', ['', 'x', '-1', '1e400', String(now + 3600)][variant % 5]!], ['webhook-signature', 'v1,x']];
    default:
      // Signed correctly: the body is refused by construction, or the webhook-id is.
      return signed(ctx.secret, now, body, variant % 2 ? id : ['a b', 'a/b', 'a?b', '#', 'x'.repeat(300)][variant % 5]!);
  }
}

/** What a request gets wrong: one flaw, sometimes two; everything else is as a careful client sends it. */
type Flaw = 'path' | 'query' | 'body' | 'method' | 'headers' | 'framing' | 'host' | 'version' | 'none';
const FLAWS: { weight: number; arbitrary: fc.Arbitrary<Flaw> }[] = (
  [['path', 5], ['query', 3], ['body', 5], ['method', 1], ['headers', 2], ['framing', 1], ['host', 1], ['version', 1], ['none', 2]] as const
).map(([f, weight]) => ({ weight, arbitrary: fc.constant(f as Flaw) }));

/** Valid query values only (a read with them still answers 200 or a 4xx, and reaches the store). */
function validQueryArb(op: Operation): fc.Arbitrary<string> {
  const valued = op.query.filter((q) => (q.schema.enum as unknown[] | undefined)?.length);
  const pairs = valued.map((q) => fc.option(fc.constantFrom(...(q.schema.enum as unknown[]).map(String)).map((v) => `${q.name}=${percentEncode(v)}`), { freq: 3 }));
  return fc.tuple(...pairs).map((ps) => {
    const set = ps.filter((x): x is string => x !== null);
    return set.length ? `?${set.join('&')}` : '';
  });
}

export function requestArb(ops: Operation[], ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const stored = fc.constantFrom(...ctx.partnerIds);
  return fc.constantFrom(...ops).chain((op) => {
    // Bodyless writes never name a stored partner; writes with a body may, as their body is refused anyway.
    const bodyless = op.writes && !op.body && !op.template.startsWith('/webhooks/');
    const plainValue = (name: string): fc.Arbitrary<string> => {
      const known: Record<string, fc.Arbitrary<string>> = {
        partnerId: stored,
        professionalId: fc.constantFrom(...ctx.professionalIds),
        id: fc.constantFrom(...ctx.runIds),
        runId: fc.constantFrom(...ctx.runIds, 'cert-sync-2026-11-30'),
        area: fc.constantFrom('azure', 'modern-work', 'security', 'data-ai', 'digital-app-innovation', 'business-applications', 'Azure', 'history'),
        source: fc.constantFrom(ctx.source, ctx.source, 'unknown-source', ctx.source.toUpperCase()),
      };
      const k = known[name];
      return k && (!bodyless || name === 'source' || name === 'area') ? fc.oneof({ weight: 4, arbitrary: k }, { weight: 1, arbitrary: safeText }) : safeText;
    };
    const cleanParams = fc.tuple(...op.pathParams.map((n) => plainValue(n).map(percentEncode)));
    const oddParams = fc.tuple(...op.pathParams.map((n) => segmentArb(plainValue(n), !op.writes)));
    // A write's body is always refused by construction; a read's (the simulation's) may be well-formed.
    const cleanBody: fc.Arbitrary<Buffer | undefined> = op.body
      ? op.writes
        ? refusedBodyArb(op.body.schema)
        : valueArb(op.body.schema, 0).map((v) => Buffer.from(JSON.stringify(v)))
      : fc.constant(undefined);
    const oddBody: fc.Arbitrary<Buffer | undefined> = op.body || op.writes ? refusedBodyArb(op.body?.schema ?? {}) : fc.oneof(notJson.map((x) => Buffer.from(x)), fc.constant(Buffer.from('{}')));
    const hasBody = !!op.body || op.writes;
    return fc
      .record({
        flaw: fc.oneof(...FLAWS),
        second: fc.option(fc.oneof(...FLAWS), { freq: 4 }),
        cleanParams,
        oddParams,
        cleanQuery: validQueryArb(op),
        oddQuery: queryArb(op),
        cleanBody,
        oddBody,
        otherMethod: fc.constantFrom(...otherMethods(op)),
        contentType: contentTypes,
        extras: fc.array(extraHeader, { minLength: 1, maxLength: 3 }),
        broken: fc.option(brokenHeader, { freq: 5 }),
        framing: fc.constantFrom<Framing>('chunked', 'chunked', 'bad-chunked'),
        cut: fc.nat(1000),
        badHost: fc.constantFrom('[::1', 'a/b', 'a@b', '', 'localhost:99999', 'x y'),
        badVersion: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'HTTPS/1.1', 'HTTP/0.9', 'http/1.1'),
        variant: fc.nat(1000),
        whId: safeText.map((x) => `fz_${x}`),
      })
      .map((r) => {
        const flawed = (f: Flaw) => r.flaw === f || r.second === f;
        const params = flawed('path') ? r.oddParams : r.cleanParams;
        let i = 0;
        const path = op.template.replace(/\{(\w+)\}/g, () => params[i++]!);
        const target = `/${ctx.routePrefix}${path}${flawed('query') ? r.oddQuery : r.cleanQuery}`;
        const method = flawed('method') ? r.otherMethod : op.method;
        const body = flawed('body') && hasBody ? r.oddBody : r.cleanBody;
        const framed = frame(body, flawed('framing') && body ? r.framing : 'length', r.cut);
        const headers: [string, string][] = [];
        const host = flawed('host') ? r.badHost : 'x';
        if (host !== '') headers.push(['host', host]);
        headers.push(['connection', 'close']);
        if (flawed('headers')) headers.push(['content-type', r.contentType]);
        else if (body && op.body) headers.push(['content-type', op.body.contentType]);
        if (op.template.startsWith('/webhooks/') && op.method === 'POST' && method === 'POST') headers.push(...webhookHeaders(ctx, body ?? Buffer.alloc(0), r.variant, r.whId));
        if (flawed('headers')) headers.push(...r.extras, ...(r.broken ? [r.broken] : []));
        headers.push(...framed.headers);
        const version = flawed('version') ? r.badVersion : 'HTTP/1.1';
        const head = `${method} ${target} ${version}\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
        return {
          op: op.key,
          method,
          bytes: Buffer.concat([Buffer.from(head, 'latin1'), framed.bytes]),
          mayAccept: !op.writes && method === op.method,
          head: method === 'HEAD',
        } satisfies FuzzRequest;
      });
  });
}

/** A request as readable text for a failure report: printable ASCII as is, everything else escaped. */
export function describeRequest(r: FuzzRequest, max = 600): string {
  const text = r.bytes.subarray(0, max).toString('latin1').replace(/[^\x20-\x7e\r\n]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${r.op}\n${text.replace(/\r\n/g, '\\r\\n\n')}${r.bytes.length > max ? `... (${r.bytes.length} bytes)` : ''}`;
}
