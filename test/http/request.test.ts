import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeDetails, invalidQuery, parsePart, parseQuery, partnerIdParam, routeParam } from '../../shared/http/request';
import { parseJson, readOptionalJsonBody } from '../../shared/http/request-body';

const request = (url: string, init: { params?: Record<string, string>; method?: string; body?: string } = {}) =>
  new HttpRequest({ method: init.method ?? 'GET', url: `http://localhost/api/${url}`, params: init.params ?? {}, ...(init.body !== undefined ? { body: { string: init.body }, headers: { 'content-length': String(Buffer.byteLength(init.body)) } } : {}) });

const failure = (r: { ok: boolean; response?: { status?: number; jsonBody?: unknown } }) => {
  expect(r.ok).toBe(false);
  expect(r.response?.status).toBe(400);
  return r.response?.jsonBody as { error: string; message: string; details: { path: string; message: string }[] };
};

describe('shared/http/request', () => {
  it('names every failing field of a part under where it was found, and repeats them in the message', () => {
    const body = failure(parsePart(z.object({ a: z.string(), b: z.object({ c: z.number() }) }), { b: { c: 'x' } }, 'query', 'Invalid query: '));
    expect(body.error).toBe('BadRequest');
    expect(body.details.map((d) => d.path)).toEqual(['query.a', 'query.b.c']);
    expect(body.message).toBe(`Invalid query: ${describeDetails(body.details)}`);
  });

  it('names the part itself when the value as a whole fails', () => {
    expect(failure(routeParam(request('x'), 'area', z.enum(['a', 'b']))).details).toEqual([{ path: 'area', message: expect.any(String) }]);
  });

  it('accepts a partner id up to 128 characters and refuses longer ones or reserved characters', () => {
    expect(partnerIdParam(request('x', { params: { partnerId: 'p'.repeat(128) } }))).toEqual({ ok: true, value: 'p'.repeat(128) });
    for (const bad of ['p'.repeat(129), 'a#b', 'a?b', 'a\\b', '']) {
      const body = failure(partnerIdParam(request('x', { params: { partnerId: bad } })));
      expect(body.details.every((d) => d.path === 'partnerId')).toBe(true);
      expect(body.message.startsWith('partnerId: ')).toBe(true);
    }
  });

  it('parses the query string, refusing unknown parameters of a strict schema', () => {
    const schema = z.object({ date: z.string().optional() }).strict();
    expect(parseQuery(request('x?date=2026-01-01'), schema)).toEqual({ ok: true, value: { date: '2026-01-01' } });
    const body = failure(parseQuery(request('x?colour=blue'), schema));
    expect(body.details).toEqual([{ path: 'query', message: expect.stringContaining('colour') }]);
    expect(body.message.startsWith('Invalid query: query: ')).toBe(true);
  });

  it('words a query failure found after parsing like a parse failure', () => {
    expect(invalidQuery('continuationToken', 'stale')).toMatchObject({ status: 400, jsonBody: { error: 'BadRequest', message: 'Invalid query: query.continuationToken: stale', details: [{ path: 'query.continuationToken', message: 'stale' }] } });
  });

  it('refuses a body that is not JSON, and one that fails its schema, naming the field', () => {
    expect(failure(parseJson('{not json', z.object({}))).message).toMatch(/^The request body is not valid JSON: /);
    const body = failure(parseJson('{"n":"x"}', z.object({ n: z.number() })));
    expect(body.details).toEqual([{ path: 'n', message: expect.any(String) }]);
    expect(body.message).toBe(`The request body is invalid: ${describeDetails(body.details)}`);
  });

  it('reads an optional body as undefined when there is none, and validates one that is sent', async () => {
    const schema = z.object({ date: z.string() }).strict();
    expect(await readOptionalJsonBody(request('x', { method: 'POST' }), schema)).toMatchObject({ ok: true, value: undefined });
    expect(await readOptionalJsonBody(request('x', { method: 'POST', body: '{"date":"d"}' }), schema)).toMatchObject({ ok: true, value: { date: 'd' } });
    expect(failure(await readOptionalJsonBody(request('x', { method: 'POST', body: '{"when":"d"}' }), schema)).details.map((d) => d.path)).toEqual(['date', '(body)']);
  });
});
