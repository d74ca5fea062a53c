import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';
import { rawMessage, rawRequest, type RawResponse } from '../helpers/raw-http';
import { generateSecret, signedHeaders } from '../../shared/lib/signing';
import { ev, postSigned } from '../webhooks/client';

/**
 * Bad input the routes never see, or see as text the rest of the service cannot carry (issue 12, defect 3): every
 * refusal is a 4xx with a JSON body naming the problem, and nothing is stored.
 */
describe('bad input through the local host', () => {
  let host: HostProcess;
  const secret = generateSecret();
  const partner = uid('p-bad');

  beforeAll(async () => {
    host = await startHostProcess({ env: { WEBHOOK_SOURCES: 'crm', WEBHOOK_SECRET_CRM: secret, WEBHOOK_PARTNERS_CRM: '*', RECOMPUTE_COALESCE_SECONDS: '1' } });
    const id = uid('msg-seed');
    const seeded = await postSigned(host.url, 'crm', ev(uid('e'), 'professional.linked', partner, '2026-01-15T09:30:00Z', { learnProfileId: 'learn-1', name: 'Ada' }), { secret, id });
    expect(seeded.status).toBe(202);
    await eventually(async () => ((await getJson(`${host.url}/api/webhooks/crm/deliveries/${id}`)).json.status === 'applied' ? true : undefined), 20_000, 'the seed delivery');
  });
  afterAll(async () => {
    await host?.stop();
  });

  const expectJsonError = (res: RawResponse, status: number, message: RegExp) => {
    expect(res.status, res.body.toString('latin1')).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({ error: expect.any(String), message: expect.stringMatching(message) });
  };

  describe("requests Node's HTTP parser refuses get a JSON error body", () => {
    const send = (bytes: string | Buffer) => rawRequest(host.url, bytes);
    it.each([
      ['a raw non-ASCII path', `GET /api/h${Buffer.from('é').toString('latin1')}alth HTTP/1.1\r\nHost: x\r\n\r\n`, 400, /URL is invalid/],
      ['a control character in the path', 'GET /api/a\x01b HTTP/1.1\r\nHost: x\r\n\r\n', 400, /URL is invalid/],
      ['an unknown method', 'FOO /api/health HTTP/1.1\r\nHost: x\r\n\r\n', 501, /method/],
      ['a lower-case method', 'get /api/health HTTP/1.1\r\nHost: x\r\n\r\n', 501, /method/],
      ['a URL over 16 KB', `GET /api/health?x=${'a'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414, /URL is longer/],
      ['headers over 16 KB', `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`, 431, /headers are larger/],
      ['a header name with a space', 'GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n', 400, /header is invalid/],
      ['a NUL in a header value', 'GET /api/health HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n', 400, /header is invalid/],
      ['HTTP/2.5', 'GET /api/health HTTP/2.5\r\nHost: x\r\n\r\n', 505, /HTTP version/],
      ['two content-lengths', 'POST /api/runs/recompute HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}', 400, /framing/],
      ['content-length with chunked', 'POST /api/runs/recompute HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n', 400, /framing/],
      ['a bad chunk size, once the route has started reading', 'POST /api/runs/recompute HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400, /framing/],
      ['no Host header', 'GET /api/health HTTP/1.1\r\n\r\n', 400, /Host header is required/],
      ['a Host that is no host name', 'GET /api/health HTTP/1.1\r\nHost: [::1\r\n\r\n', 400, /Host header "\[::1" is not a host name/],
      ['a Host with a path', 'GET /api/health HTTP/1.1\r\nHost: evil/x\r\n\r\n', 400, /Host header/],
      ['a target that is neither a path nor a URL', 'GET * HTTP/1.1\r\nHost: x\r\n\r\n', 400, /not a path or an absolute URL/],
      ['an Expect other than 100-continue', 'GET /api/health HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n', 417, /Expect header "foo"/],
      ['CONNECT', 'CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n', 501, /CONNECT is not supported/],
    ])('%s', async (_what, bytes, status, message) => {
      expectJsonError(await send(bytes), status, message);
    });

    it('a path that starts with // is a path, not a host name', async () => {
      const res = await send('GET //api/health HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(res.status).toBe(200);
    });

    it('the host keeps serving afterwards', async () => {
      expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    });
  });

  describe('text that is not valid Unicode is refused at the boundary, not stored', () => {
    const loneSurrogate = (name: string) =>
      `{"id":"${uid('e')}","type":"professional.linked","partnerId":"${partner}","occurredAt":"2026-01-16T09:30:00Z","data":{"learnProfileId":"learn-2","name":"${name}"}}`;

    async function postRaw(body: Buffer) {
      const id = uid('msg');
      const headers = Object.entries({ host: 'x', 'content-type': 'application/json', 'content-length': String(body.length), ...signedHeaders(secret, id, body) });
      return { id, res: await rawRequest(host.url, rawMessage('POST', '/api/webhooks/crm', headers, body)) };
    }

    const professionals = async () => (await getJson(`${host.url}/api/partners/${partner}/professionals`)).json;

    it('a lone surrogate in a signed webhook event: 400 naming the field, no receipt, no state', async () => {
      const before = await professionals();
      const { id, res } = await postRaw(Buffer.from(loneSurrogate('Ada\\ud800')));
      expectJsonError(res, 400, /data\.name holds a lone surrogate \(\\ud800\)/);
      expect((res.json as { details: { path: string }[] }).details[0]!.path).toBe('data.name');
      expect((await getJson(`${host.url}/api/webhooks/crm/deliveries/${id}`)).status).toBe(404);
      expect(await professionals()).toEqual(before);
    });

    it('a lone low surrogate in a key is refused too', async () => {
      const { res } = await postRaw(Buffer.from(`{"\\udc00":1}`));
      expectJsonError(res, 400, /lone surrogate \(\\udc00\)/);
    });

    it('invalid UTF-8 in a signed webhook body: 400 naming the byte, not a signature failure', async () => {
      const [before, after] = loneSurrogate('@').split('@') as [string, string];
      const { id, res } = await postRaw(Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe]), Buffer.from(after)]));
      expectJsonError(res, 400, /not valid UTF-8 \(0xff at byte \d+\)/);
      expect((await getJson(`${host.url}/api/webhooks/crm/deliveries/${id}`)).status).toBe(404);
    });

    const putNotification = (body: Buffer) =>
      rawRequest(host.url, rawMessage('PUT', `/api/partners/${partner}/notification`, [['host', 'x'], ['content-type', 'application/json'], ['content-length', String(body.length)]], body));
    const notification = async () => (await getJson(`${host.url}/api/partners/${partner}/notification`)).json;

    it('a lone surrogate in a PUT body: 400 naming the field, the setting unchanged', async () => {
      const before = await notification();
      expectJsonError(await putNotification(Buffer.from('{"url":"https://example.com/\\ud800"}')), 400, /url holds a lone surrogate/);
      expect(await notification()).toEqual(before);
    });

    it('invalid UTF-8 in a PUT body: 400, the setting unchanged', async () => {
      const before = await notification();
      expectJsonError(await putNotification(Buffer.from('{"url":"https://example.com/\xff"}', 'latin1')), 400, /not valid UTF-8 \(0xff at byte 28\)/);
      expect(await notification()).toEqual(before);
    });

    it('JSON nested deeper than any body of the API: 400, not a stack overflow', async () => {
      const deep = Buffer.from(`{"changes":${'['.repeat(5000)}${']'.repeat(5000)}}`);
      const res = await rawRequest(host.url, rawMessage('POST', `/api/partners/${partner}/simulate`, [['host', 'x'], ['content-type', 'application/json'], ['content-length', String(deep.length)]], deep));
      expectJsonError(res, 400, /nested deeper than 64 levels/);
    });
  });

  it('%23, %5C, %2F and %3F in every path parameter of every route: 400 or 404 (401 on the signed endpoints) with a JSON message', async () => {
    const doc = (await (await fetch(`${host.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const failures: string[] = [];
    let checked = 0;
    for (const [template, item] of Object.entries(doc.paths)) {
      const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      for (const method of Object.keys(item).filter((m) => m !== 'parameters')) {
        for (const param of params) {
          for (const bad of ['%23', '%5C', '%2F', '%3F', `a%23b`, `a%2Fb`, 'a%5Cb', 'a%3Fb']) {
            const path = template.replace(/\{(\w+)\}/g, (_, n: string) => (n === param ? bad : n === 'area' ? 'azure' : partner));
            const body = method === 'get' || method === 'delete' ? undefined : '{"malformed":';
            const res = await fetch(`${host.url}/api${path}`, { method: method.toUpperCase(), headers: { 'content-type': 'application/json' }, body });
            const json = (await res.json().catch(() => undefined)) as { message?: unknown } | undefined;
            checked++;
            // The webhook endpoint answers 401 for any source it does not take, so as not to reveal which exist. A malformed
            // partner id on the Partner Center endpoint is a 400 as on every route: no partner can have it.
            const expected = template === '/webhooks/{source}' && method === 'post' ? [401] : [400, 404];
            if (!expected.includes(res.status) || typeof json?.message !== 'string') failures.push(`${method.toUpperCase()} ${path}: ${res.status} ${JSON.stringify(json)}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  });
});
