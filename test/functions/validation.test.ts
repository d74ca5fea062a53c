import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { postCertImport } from '../../functions/cert-imports';
import { getCertSyncRun, startCertSyncRun } from '../../functions/cert-sync-http';
import { getCertWarnings } from '../../functions/cert-warnings';
import { listDeadLettersHttp, replayDeadLetterHttp } from '../../functions/dead-letters';
import { getForecast } from '../../functions/forecast';
import { notificationSettings } from '../../functions/partner-settings';
import { getAssociations, getTelemetry } from '../../functions/partner-state';
import { getLatestRun, getRunById, startRecomputeRun } from '../../functions/runs';
import { getAreaBreakdown, getAreaHistory } from '../../functions/scores';
import { simulatePartner } from '../../functions/simulate';
import { deleteTranscript, putTranscript } from '../../functions/transcripts';

/** Handler-level checks of route, query and body validation: each fails before any store is read, so no emulator. */

type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
type ErrorJson = { error: string; message: string; details: { path: string; message: string }[] };

async function call(handler: Handler, path: string, init: { method?: string; params?: Record<string, string>; body?: string; chunked?: boolean } = {}) {
  const framing: Record<string, string> = init.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(Buffer.byteLength(init.body ?? '')) };
  const headers: Record<string, string> = init.body !== undefined ? { 'content-type': 'application/json', ...framing } : {};
  const request = new HttpRequest({ method: init.method ?? 'GET', url: `http://localhost/api/${path}`, params: init.params ?? {}, headers, ...(init.body !== undefined ? { body: { string: init.body } } : {}) });
  const res = await handler(request, new InvocationContext({ logHandler: () => {} }));
  return { status: res.status, body: res.jsonBody as ErrorJson };
}

const paths = (r: { body: ErrorJson }) => r.body.details.map((d) => d.path);
const p = { partnerId: 'p1' };

describe('route parameters', () => {
  it('refuses an unknown area, naming it', async () => {
    const res = await call(getAreaBreakdown, 'partners/p1/scores/quantum', { params: { ...p, area: 'quantum' } });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['area']);
    expect(res.body.message).toContain('area');
  });

  it('refuses malformed run ids', async () => {
    const run = await call(getRunById, 'runs/nonsense', { params: { id: 'nonsense' } });
    expect(run.status).toBe(400);
    expect(paths(run)).toEqual(['id']);
    expect(run.body.message).toContain('run id');
    const certRun = await call(getCertSyncRun, 'cert-sync/runs/recompute-2026-01-01', { params: { runId: 'recompute-2026-01-01' } });
    expect(certRun.status).toBe(400);
    expect(paths(certRun)).toEqual(['runId']);
  });

  // These two routes passed any partnerId on to the store before; now they refuse it like every other route.
  it('refuses a malformed partnerId on the certification import and transcript routes', async () => {
    const long = { partnerId: 'p'.repeat(129), professionalId: 'pro1' };
    for (const res of [
      await call(postCertImport, 'partners/x/cert-imports', { method: 'POST', params: long, body: 'person,certification\n' }),
      await call(putTranscript, 'partners/x/professionals/pro1/transcript', { method: 'PUT', params: long, body: '{"url":"https://learn.microsoft.com/"}' }),
      await call(deleteTranscript, 'partners/x/professionals/pro1/transcript', { method: 'DELETE', params: { partnerId: 'a#b', professionalId: 'pro1' } }),
    ]) {
      expect(res.status).toBe(400);
      expect(paths(res)).toContain('partnerId');
    }
  });

  it('refuses a professionalId that could not be a stored key (? # \\ or a control character) on both transcript routes', async () => {
    for (const professionalId of ['a?b', 'a#b', 'a\\b', 'a\nb']) {
      for (const res of [
        await call(putTranscript, 'partners/p1/professionals/x/transcript', { method: 'PUT', params: { ...p, professionalId }, body: '{"url":"https://learn.microsoft.com/"}' }),
        await call(deleteTranscript, 'partners/p1/professionals/x/transcript', { method: 'DELETE', params: { ...p, professionalId } }),
      ]) {
        expect(res.status, professionalId).toBe(400);
        expect(paths(res)).toEqual(['professionalId']);
      }
    }
  });
});

describe('query strings', () => {
  it('refuses a date that is not a calendar date', async () => {
    const res = await call(getAreaBreakdown, 'partners/p1/scores/data-ai?date=2026-02-30', { params: { ...p, area: 'data-ai' } });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path: 'query.date', message: 'must be a calendar date YYYY-MM-DD' }]);
  });

  it('refuses a reversed or over-long history window, naming query.from', async () => {
    const reversed = await call(getAreaHistory, 'partners/p1/scores/data-ai/history?from=2026-02-02&to=2026-02-01', { params: { ...p, area: 'data-ai' } });
    expect(reversed.status).toBe(400);
    expect(paths(reversed)).toEqual(['query.from']);
    const long = await call(getAreaHistory, 'partners/p1/scores/data-ai/history?from=2024-01-01&to=2025-12-31', { params: { ...p, area: 'data-ai' } });
    expect(long.body.message).toContain('400 days');
  });

  it('refuses an unknown query parameter where the schema is strict', async () => {
    const res = await call(getAreaHistory, 'partners/p1/scores/data-ai/history?since=2026-01-01', { params: { ...p, area: 'data-ai' } });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path: 'query', message: expect.stringContaining('since') }]);
  });

  it('refuses a bad forecast telemetry mode and a bad warning horizon', async () => {
    const forecast = await call(getForecast, 'partners/p1/forecast?telemetry=maybe', { params: p });
    expect(forecast.status).toBe(400);
    expect(paths(forecast)).toEqual(['query.telemetry']);
    const warnings = await call(getCertWarnings, 'partners/p1/cert-warnings?days=zero', { params: p });
    expect(warnings.status).toBe(400);
    expect(paths(warnings)).toEqual(['query.days']);
    expect(warnings.body.message).toMatch(/^Invalid query: query\.days: /);
  });

  it('refuses bad state filters', async () => {
    const res = await call(getAssociations, 'partners/p1/associations?status=sleeping', { params: p });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['query.status']);
    expect((await call(getTelemetry, 'partners/p1/telemetry?limit=0', { params: p })).status).toBe(400);
  });

  it('refuses bad dead-letter filters and replay options', async () => {
    const list = await call(listDeadLettersHttp, 'dead-letters?queue=nope&limit=0');
    expect(list.status).toBe(400);
    expect(paths(list)).toEqual(['query.queue', 'query.limit']);
    const replay = await call(replayDeadLetterHttp, 'dead-letters/x/replay?force=maybe', { method: 'POST', params: { id: '00000000-0000-0000-0000-000000000000' } });
    expect(replay.status).toBe(400);
    expect(paths(replay)).toEqual(['query.force']);
  });

  it('asks for latest=true and a known kind on the runs list', async () => {
    const none = await call(getLatestRun, 'runs');
    expect(none.status).toBe(400);
    expect(paths(none)).toEqual(['query.latest']);
    const kind = await call(getLatestRun, 'runs?latest=true&kind=other');
    expect(kind.status).toBe(400);
    expect(paths(kind)).toEqual(['query.kind']);
    expect(kind.body.message).toContain('kind');
  });
});

describe('bodies', () => {
  it('refuses JSON that does not parse', async () => {
    for (const res of [
      await call(simulatePartner, 'partners/p1/simulate', { method: 'POST', params: p, body: '{not json' }),
      await call(notificationSettings, 'partners/p1/notification', { method: 'PUT', params: p, body: '{not json' }),
      await call(startRecomputeRun, 'runs/recompute', { method: 'POST', body: '{not json' }),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('BadRequest');
      expect(res.body.message).toMatch(/not valid JSON/);
    }
  });

  it('names the failing field of a body that parses', async () => {
    const url = await call(notificationSettings, 'partners/p1/notification', { method: 'PUT', params: p, body: '{"url":"ftp://example.com/x"}' });
    expect(url.status).toBe(400);
    expect(paths(url)).toEqual(['url']);
    const date = await call(startCertSyncRun, 'runs/cert-sync', { method: 'POST', body: '{"date":"2026-02-30"}' });
    expect(date.status).toBe(400);
    expect(paths(date)).toEqual(['date']);
    const extra = await call(startRecomputeRun, 'runs/recompute', { method: 'POST', body: '{"day":"2026-01-01"}' });
    expect(extra.status).toBe(400);
    expect(paths(extra)).toEqual(['(body)']);
  });
  it('reads a chunked body (no content-length) like any other on the run routes', async () => {
    const bad = await call(startRecomputeRun, 'runs/recompute', { method: 'POST', body: '{"date":"2026-02-30"}', chunked: true });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['date']);
    const certBad = await call(startCertSyncRun, 'runs/cert-sync', { method: 'POST', body: '{"day":"2026-01-01"}', chunked: true });
    expect(certBad.status).toBe(400);
  });

  it('answers a notification URL that is not a URL at all with 400, not 500', async () => {
    for (const url of ['x', 'http://[::1', 'https://', '\\ud800']) {
      const res = await call(notificationSettings, 'partners/p1/notification', { method: 'PUT', params: p, body: JSON.stringify({ url }) });
      expect(res.status, url).toBe(400);
      expect(paths(res)).toContain('url');
    }
  });
});
