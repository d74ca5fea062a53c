import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { generateSecret, signedHeaders } from '../../shared/lib/signing';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';
import { cpor, ev, postSigned } from './client';
import { CERTIFICATION_ALIASES } from '../../shared/scoring';

/**
 * The webhook endpoint through the local host (real HTTP, the Cosmos emulator and Azurite):
 * every refusal stores nothing, and accepted deliveries are applied exactly once in any order.
 */
describe('POST /api/webhooks/{source}', () => {
  let host: HostProcess;
  const oldSecret = generateSecret();
  const newSecret = generateSecret();
  const openSecret = generateSecret();
  const allowed = uid('p-crm');
  const otherAllowed = uid('p-crm2');

  beforeAll(async () => {
    host = await startHostProcess({
      env: {
        WEBHOOK_SOURCES: 'crm,open-feed',
        // Two secrets: a rotation in progress.
        WEBHOOK_SECRET_CRM: `${oldSecret} ${newSecret}`,
        WEBHOOK_PARTNERS_CRM: `${allowed},${otherAllowed}`,
        WEBHOOK_SECRET_OPEN_FEED: openSecret,
        WEBHOOK_PARTNERS_OPEN_FEED: '*',
        RECOMPUTE_COALESCE_SECONDS: '1',
      },
    });
  });
  afterAll(async () => {
    await host?.stop();
  });

  const post = (body: unknown, opts: Parameters<typeof postSigned>[3] = { secret: openSecret }, source = 'open-feed') => postSigned(host.url, source, body, opts);
  const state = (partnerId: string, what: 'associations' | 'professionals' | 'telemetry', query = '') => getJson(`${host.url}/api/partners/${partnerId}/${what}${query}`);
  const receipt = (source: string, id: string) => getJson(`${host.url}/api/webhooks/${source}/deliveries/${id}`);
  const applied = (source: string, id: string) =>
    eventually(async () => {
      const r = await receipt(source, id);
      return r.json.status === 'applied' ? r.json : undefined;
    }, 20_000, `delivery ${id} to be applied`);

  /** Proves a refused delivery stored nothing: no receipt and no partner state. */
  async function expectNothingStored(source: string, id: string, partnerId: string) {
    expect((await receipt(source, id)).status).toBe(404);
    expect((await state(partnerId, 'associations')).status).toBe(404);
  }

  it('accepts a signed event with 202 and applies it to the partner state', async () => {
    const partner = uid('p');
    const res = await post(ev('e1', 'cpor.claim.approved', partner, '2026-03-01T10:00:00Z', cpor('claim-1')), { secret: openSecret, id: 'msg-accept-' + partner });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: 'accepted', events: 1 });
    await applied('open-feed', 'msg-accept-' + partner);
    const s = await state(partner, 'associations');
    expect(s.json.items).toHaveLength(1);
    expect(s.json.items[0]).toMatchObject({ id: 'cpor:claim-1', type: 'CPOR', status: 'active', lifecycle: 'approved', startDate: '2026-03-01', role: 'use-or-consume' });
  });

  it('accepts either secret during a rotation, and a header carrying several signatures', async () => {
    for (const secret of [oldSecret, newSecret, [generateSecret(), newSecret]]) {
      const res = await post(ev(uid('e'), 'pal.linked', allowed, '2026-03-01T10:00:00Z', { tenantId: 't', objectId: uid('o') }), { secret }, 'crm');
      expect(res.status).toBe(202);
    }
  });

  it('refuses missing, wrong, stale and future signatures and unknown sources with 401, storing nothing', async () => {
    const partner = uid('p-401');
    const body = ev('e1', 'pal.linked', partner, '2026-03-01T10:00:00Z', { tenantId: 't', objectId: 'o' });
    const raw = JSON.stringify(body);
    // A minute past the 300 s tolerance: the requests go one after another, and the host's clock moving on by a
    // second during them must not bring a "future" timestamp back inside it. The exact edges are unit-tested.
    const now = Math.floor(Date.now() / 1000);
    const cases: { name: string; source?: string; headers: Record<string, string> }[] = [
      { name: 'no headers', headers: {} },
      { name: 'wrong secret', headers: signedHeaders(generateSecret(), 'm1', raw) },
      { name: 'signature of another body', headers: signedHeaders(openSecret, 'm1', raw.replace('"o"', '"x"')) },
      { name: 'signature of another id', headers: { ...signedHeaders(openSecret, 'm0', raw), 'webhook-id': 'm1' } },
      { name: 'stale timestamp', headers: signedHeaders(openSecret, 'm1', raw, now - 360) },
      { name: 'future timestamp', headers: signedHeaders(openSecret, 'm1', raw, now + 360) },
      { name: 'timestamp in ms', headers: signedHeaders(openSecret, 'm1', raw, now * 1000) },
      { name: 'unknown source', source: 'nobody', headers: signedHeaders(openSecret, 'm1', raw) },
      { name: 'secret of another source', source: 'crm', headers: signedHeaders(openSecret, 'm1', raw) },
    ];
    for (const c of cases) {
      const res = await fetch(`${host.url}/api/webhooks/${c.source ?? 'open-feed'}`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...c.headers } });
      expect(res.status, c.name).toBe(401);
      const json = (await res.json()) as { error: string; message: string };
      expect(json.error, c.name).toBe('Unauthorized');
      expect(json.message.length, c.name).toBeGreaterThan(10);
    }
    await expectNothingStored('open-feed', 'm1', partner);
  });

  it('replaying a captured delivery after the tolerance is refused', async () => {
    const partner = uid('p-replay');
    const raw = JSON.stringify(ev('e1', 'pal.linked', partner, '2026-03-01T10:00:00Z', { tenantId: 't', objectId: 'o' }));
    const captured = signedHeaders(openSecret, 'm-replay', raw, Math.floor(Date.now() / 1000) - 600);
    const res = await fetch(`${host.url}/api/webhooks/open-feed`, { method: 'POST', body: raw, headers: captured });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/in the past/);
    await expectNothingStored('open-feed', 'm-replay', partner);
  });

  it('refuses a body over 1 MiB with 413, JSON that does not parse with 400', async () => {
    const big = await post(undefined, { secret: openSecret, raw: `{"events":[${' '.repeat(1024 * 1024)}]}` });
    expect(big.status).toBe(413);
    const notJson = await post(undefined, { secret: openSecret, raw: '{"events": [', id: 'm-notjson' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.message).toMatch(/not valid JSON/);
    expect((await receipt('open-feed', 'm-notjson')).status).toBe(404);
  });

  it('answers a schema failure with 400 listing every failing field path and reason', async () => {
    const partner = uid('p-400');
    const res = await post({
      events: [
        ev('ok', 'pal.linked', partner, '2026-03-01T10:00:00Z', { tenantId: 't', objectId: 'o' }),
        ev('bad1', 'cpor.claim.approved', partner, 'yesterday', { ...cpor('c'), solutionArea: 'business-applications', role: 'boss' }),
        { id: 'bad2', type: 'telemetry.monthly', partnerId: partner, occurredAt: '2026-03-01T10:00:00Z', data: { month: '2026-13', tenantId: 't', platform: 'azure', workload: 'vm', associationType: 'PAL' } },
        ev('ok', 'pal.unlinked', partner, '2026-03-02T10:00:00Z', { tenantId: 't', objectId: 'o' }),
      ],
    }, { secret: openSecret, id: 'm-400' });
    expect(res.status).toBe(400);
    const paths = (res.json.details as { path: string; message: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['events[1].occurredAt', 'events[1].data.role', 'events[1].data.subscriptionId', 'events[2].data.month', 'events[2].data', 'events[3].id']));
    expect(res.json.message).toContain('events[1].data.role');
    await expectNothingStored('open-feed', 'm-400', partner);
  });

  it('answers an unknown event type with 422', async () => {
    const partner = uid('p-422');
    const res = await post({ events: [ev('a', 'pal.linked', partner, '2026-03-01T10:00:00Z', { tenantId: 't', objectId: 'o' }), ev('b', 'pal.teleported', partner, '2026-03-01T10:00:00Z', {})] }, { secret: openSecret, id: 'm-422' });
    expect(res.status).toBe(422);
    expect(res.json.details).toEqual([expect.objectContaining({ path: 'events[1].type' })]);
    expect(res.json.message).toContain('pal.teleported');
    await expectNothingStored('open-feed', 'm-422', partner);
  });

  it('answers an event for a partner the source may not write with 403, naming it', async () => {
    const stranger = uid('p-stranger');
    const res = await post({ events: [ev('a', 'pal.linked', allowed, '2026-03-01T10:00:00Z', { tenantId: 't', objectId: 'o' }), ev('b', 'pal.linked', stranger, '2026-03-01T10:00:00Z', { tenantId: 't', objectId: 'o' })] }, { secret: newSecret, id: 'm-403' }, 'crm');
    expect(res.status).toBe(403);
    expect(res.json.message).toContain(stranger);
    expect(res.json.message).not.toContain(allowed);
    await expectNothingStored('crm', 'm-403', stranger);
  });

  it('applies the same delivery sent ten times once: 202 then 200 duplicate', async () => {
    const partner = uid('p-dup');
    const body = { events: [ev('d1', 'csp.relationship.started', partner, '2026-03-01T10:00:00Z', { tenantId: 't9', tier: 1 }), ev('d2', 'telemetry.monthly', partner, '2026-03-02T10:00:00Z', { month: '2026-02', tenantId: 't9', platform: 'azure', workload: 'Virtual Machines', associationType: 'CSP', acrUsd: 1200 })] };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post(body, { secret: openSecret, id: 'm-dup-' + partner })).status);
    expect(statuses).toEqual([202, 200, 200, 200, 200, 200, 200, 200, 200, 200]);
    const r = await applied('open-feed', 'm-dup-' + partner);
    expect(r.summary).toEqual({ applied: 2, unchanged: 0, older: 0, refused: 0 });
    const again = await post(body, { secret: openSecret, id: 'm-dup-' + partner });
    expect(again.json).toMatchObject({ status: 'duplicate', processing: 'applied' });
    const assoc = await state(partner, 'associations');
    expect(assoc.json.items[0].history).toHaveLength(1);
    expect((await state(partner, 'telemetry')).json.items).toEqual([expect.objectContaining({ acrUsd: 1200, month: '2026-02' })]);
    // The same webhook-id with another body is a sender bug, not a retry.
    const reused = await post({ ...body, events: body.events.slice(0, 1) }, { secret: openSecret, id: 'm-dup-' + partner });
    expect(reused.status).toBe(409);
  });

  /** A partner's history: a claim through dispute to approval, PAL, DPOR, a professional, certifications, telemetry revised. */
  function history(partner: string) {
    const t = (d: string) => `2026-${d}T09:00:00Z`;
    return [
      ev('h01', 'cpor.claim.submitted', partner, t('01-02'), cpor('c1')),
      ev('h02', 'cpor.claim.rejected', partner, t('01-10'), cpor('c1', { reason: 'no PoE' })),
      ev('h03', 'cpor.claim.disputed', partner, t('01-15'), cpor('c1')),
      ev('h04', 'cpor.claim.approved', partner, t('01-20'), cpor('c1')),
      ev('h05', 'pal.linked', partner, t('01-03'), { tenantId: 'tenant-2', objectId: 'sp-1', scope: '/subscriptions/s1', role: 'Contributor' }),
      ev('h06', 'pal.unlinked', partner, t('02-03'), { tenantId: 'tenant-2', objectId: 'sp-1' }),
      ev('h07', 'pal.linked', partner, t('03-03'), { tenantId: 'tenant-2', objectId: 'sp-1', role: 'Owner' }),
      ev('h08', 'dpor.attached', partner, t('01-05'), { tenantId: 'tenant-3', subscriptionId: 'sub-3', workloadFamily: 'azure' }),
      ev('h09', 'professional.linked', partner, t('01-01'), { learnProfileId: 'lp-1', name: 'Ada', email: 'ada@example.com' }),
      ev('h10', 'certification.earned', partner, t('01-04'), { learnProfileId: 'lp-1', certificationId: 'AZ-104', earnedOn: '2026-01-04' }),
      ev('h11', 'certification.renewed', partner, t('06-01'), { learnProfileId: 'lp-1', certificationId: 'AZ-104', renewedOn: '2026-06-01', expiresOn: '2027-06-01' }),
      ev('h12', 'professional.unlinked', partner, t('04-01'), { learnProfileId: 'lp-1' }),
      ev('h13', 'professional.linked', partner, t('05-15'), { learnProfileId: 'lp-1' }),
      ev('h14', 'telemetry.monthly', partner, t('02-01'), { month: '2026-01', tenantId: 'tenant-2', platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', acrUsd: 100 }),
      ev('h15', 'telemetry.monthly', partner, t('02-05'), { month: '2026-01', tenantId: 'tenant-2', platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', acrUsd: 150 }),
      ev('h16', 'telemetry.monthly', partner, t('03-01'), { month: '2026-02', tenantId: 'tenant-2', platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', acrUsd: 300 }),
    ];
  }

  async function finalState(partner: string) {
    const strip = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(partner, 'P')) as unknown;
    return strip({
      associations: (await state(partner, 'associations')).json,
      professionals: (await state(partner, 'professionals')).json,
      telemetry: (await state(partner, 'telemetry')).json,
    });
  }

  it('gives the same final state whether deliveries arrive in order or in reverse order', async () => {
    const inOrder = uid('p-order');
    const reversed = uid('p-rev');
    for (const e of history(inOrder)) expect((await post(e, { secret: openSecret, id: `m-${inOrder}-${e.id}` })).status).toBe(202);
    for (const e of history(reversed).reverse()) expect((await post(e, { secret: openSecret, id: `m-${reversed}-${e.id}` })).status).toBe(202);
    for (const e of history(inOrder)) await applied('open-feed', `m-${inOrder}-${e.id}`);
    for (const e of history(reversed)) await applied('open-feed', `m-${reversed}-${e.id}`);
    const a = await finalState(inOrder);
    expect(await finalState(reversed)).toEqual(a);
    const assoc = (a as { associations: { items: { id: string; lifecycle: string; status: string; startDate: string; history: unknown[] }[] } }).associations.items;
    expect(assoc.find((x) => x.id === 'cpor:c1')).toMatchObject({ lifecycle: 'approved', status: 'active', startDate: '2026-01-20' });
    expect(assoc.find((x) => x.id === 'cpor:c1')!.history).toHaveLength(4);
    expect(assoc.find((x) => x.id === 'pal:tenant-2:sp-1')).toMatchObject({ lifecycle: 'linked', startDate: '2026-03-03' });
    const tel = (a as { telemetry: { items: { month: string; acrUsd: number }[] } }).telemetry.items;
    expect(tel.map((r) => [r.month, r.acrUsd])).toEqual([['2026-01', 150], ['2026-02', 300]]);
    const prof = (a as { professionals: { items: { linked: boolean; linkHistory: string[]; linkedOn: string; certifications: Record<string, { expiresOn?: string }> }[] } }).professionals.items[0]!;
    expect(prof).toMatchObject({ linked: true, linkHistory: ['2026-01-01', '2026-05-15'], linkedOn: '2026-05-15' });
    expect(prof.certifications['azure-administrator-associate']).toMatchObject({ earnedOn: '2026-01-04', expiresOn: '2027-06-01' });
  });

  it('gives the same state for 100 concurrent single-event deliveries as for the same events applied one after another', async () => {
    const concurrent = uid('p-conc');
    const sequential = uid('p-seq');
    const events = (partner: string) =>
      Array.from({ length: 100 }, (_, i) => {
        const at = `2026-04-01T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`;
        if (i % 4 === 0) return ev(`c${i}`, 'cpor.claim.approved', partner, at, cpor(`claim-${i}`, { tenantId: `t${i}` }));
        if (i % 4 === 1) return ev(`c${i}`, 'telemetry.monthly', partner, at, { month: `2026-0${1 + (i % 3)}`, tenantId: `t${i}`, platform: 'microsoft-365', workload: 'teams', associationType: 'CPOR', activeUsers: i });
        if (i % 4 === 2) return ev(`c${i}`, 'certification.earned', partner, at, { learnProfileId: `lp-${i % 5}`, certificationId: CERTIFICATION_ALIASES[Math.floor(i / 4)]!.certificationId, earnedOn: '2026-03-01' });
        return ev(`c${i}`, 'pal.linked', partner, at, { tenantId: `t${i}`, objectId: `o${i}` });
      });
    const results = await Promise.all(events(concurrent).map((e) => post(e, { secret: openSecret, id: `m-${concurrent}-${e.id}` })));
    expect(results.every((r) => r.status === 202)).toBe(true);
    for (const e of events(sequential)) {
      expect((await post(e, { secret: openSecret, id: `m-${sequential}-${e.id}` })).status).toBe(202);
      await applied('open-feed', `m-${sequential}-${e.id}`);
    }
    for (const e of events(concurrent)) await applied('open-feed', `m-${concurrent}-${e.id}`);
    const a = await finalState(sequential);
    expect(await finalState(concurrent)).toEqual(a);
    expect((a as { associations: { items: unknown[] } }).associations.items).toHaveLength(50);
    expect((a as { telemetry: { items: unknown[] } }).telemetry.items).toHaveLength(25);
  }, 120_000);

  it('refuses an illegal lifecycle transition and a professional link inside the cool-off, naming the current state', async () => {
    const partner = uid('p-illegal');
    const id = `m-${partner}`;
    const res = await post({
      events: [
        ev('i1', 'cpor.claim.submitted', partner, '2026-01-01T00:00:00Z', cpor('c1')),
        ev('i2', 'cpor.claim.declined', partner, '2026-01-03T00:00:00Z', cpor('c1')),
        ev('i3', 'cpor.claim.approved', partner, '2026-01-05T00:00:00Z', cpor('c1')),
        ev('i4', 'professional.linked', partner, '2026-01-01T00:00:00Z', { learnProfileId: 'lp' }),
        ev('i5', 'professional.unlinked', partner, '2026-01-10T00:00:00Z', { learnProfileId: 'lp' }),
        ev('i6', 'professional.linked', partner, '2026-01-20T00:00:00Z', { learnProfileId: 'lp' }),
      ],
    }, { secret: openSecret, id });
    expect(res.status).toBe(202);
    const r = await applied('open-feed', id);
    expect(r.summary).toMatchObject({ applied: 4, refused: 2 });
    const refused = (r.notApplied as { eventId: string; reason: string }[]).filter((o) => ['i3', 'i6'].includes(o.eventId));
    expect(refused.find((o) => o.eventId === 'i3')!.reason).toMatch(/is declined, it cannot become approved/);
    expect(refused.find((o) => o.eventId === 'i6')!.reason).toMatch(/last linked on 2026-01-01.*30 days.*2026-01-31/);
    expect((await state(partner, 'associations')).json.items[0]).toMatchObject({ lifecycle: 'declined', status: 'rejected' });
  });

  it('refuses an event dated far ahead of the clock with 400 naming occurredAt, so it cannot outrank the correction that follows', async () => {
    const partner = uid('p');
    const id = uid('msg-future');
    const future = await post(ev('e-future', 'pal.unlinked', partner, '2099-06-01T00:00:00Z', { tenantId: 't1', objectId: 'o1' }), { secret: openSecret, id });
    expect(future.status).toBe(400);
    expect((future.json.details as { path: string }[]).map((d) => d.path)).toEqual(['occurredAt']);
    await expectNothingStored('open-feed', id, partner);
  });

  it('refuses a source or webhook id that Cosmos would misread (? # \\ / and control characters) with 400, never listing receipts or failing with 500', async () => {
    const accepted = await post(ev('e-list', 'cpor.claim.approved', uid('p'), '2026-03-01T10:00:00Z', cpor('claim-list')), { secret: openSecret, id: uid('msg-list') });
    expect(accepted.status).toBe(202);
    for (const [source, id, field] of [['%3F', 'x', 'source'], ['%23', 'x', 'source'], ['%5C', 'x', 'source'], ['%2F', 'x', 'source'], ['open-feed', '%3F', 'webhookId'], ['open-feed', 'a%0Ab', 'webhookId'], ['open-feed', '%5C', 'webhookId']] as const) {
      const r = await receipt(source, id);
      expect(r.status, `${source}/${id}`).toBe(400);
      expect(r.json.error).toBe('BadRequest');
      expect(r.json.details.map((d: { path: string }) => d.path)).toContain(field);
    }
  });

  it('accepts a batch of 500 events too large for one queue message and applies it', async () => {
    const partner = uid('p-bulk');
    const events = Array.from({ length: 500 }, (_, i) => ev(`b${i}`, 'telemetry.monthly', partner, '2026-05-01T00:00:00Z', { month: `2025-${String((i % 12) + 1).padStart(2, '0')}`, tenantId: `tenant-${i}`, platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', acrUsd: i }));
    const res = await post({ events }, { secret: openSecret, id: `m-${partner}` });
    expect(res.status).toBe(202);
    const r = await applied('open-feed', `m-${partner}`);
    expect(r.summary).toMatchObject({ applied: 500 });
    const page1 = await state(partner, 'telemetry', '?limit=400');
    expect(page1.json.items).toHaveLength(400);
    const page2 = await state(partner, 'telemetry', `?limit=400&continuationToken=${page1.json.continuationToken}`);
    expect(page2.json.items).toHaveLength(100);
    expect(page2.json.continuationToken).toBeUndefined();
    const march = await state(partner, 'telemetry', '?month=2025-03&tenantId=tenant-2');
    expect(march.json.items).toEqual([expect.objectContaining({ tenantId: 'tenant-2', acrUsd: 2 })]);
    const tooMany = await post({ events: [...events, events[0]] }, { secret: openSecret });
    expect(tooMany.status).toBe(400);
  });
});
