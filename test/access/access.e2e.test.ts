import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeAccessByPath, type RouteAccess } from '../../shared/access/route-access';
import { todayUtc } from '../../shared/lib/dates';
import { recomputePartner } from '../../shared/recompute/partner';
import { importSnapshotAsState } from '../../tools/fixtures/snapshot-import';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { startHostProcess, type HostProcess } from '../helpers/host-process';
import { newPartnerId } from '../helpers/ids';
import { partnerSnapshot } from '../helpers/partner-snapshot';

/**
 * Access per partner through the local host, which stands in for App Service Authentication: each host signs its
 * requests in as one development principal (LOCAL_PRINCIPAL), or as the operator "function key" when the request
 * carries the key. The routes and methods come from the API description, so a new route is checked without editing
 * this file.
 */

type Op = { path: string; method: string; rule: RouteAccess };
type Res = { status: number; body: { error?: string; message?: string } & Record<string, unknown> };

describe('access per partner, route by route, through the local host', () => {
  let stores: IsolatedStores;
  const hosts: Record<string, HostProcess> = {};
  const mine = newPartnerId('mine');
  const theirs = newPartnerId('theirs');
  const never = newPartnerId('never');
  let ops: Op[];

  const call = async (who: string, method: string, path: string, opts: { body?: string; headers?: Record<string, string>; key?: boolean } = {}): Promise<Res> => {
    const host = hosts[who]!;
    const headers: Record<string, string> = { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.key ? { 'x-functions-key': host.keys.functionKey } : {}), ...opts.headers };
    const res = await fetch(`${host.url}/api${path}`, { method, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Res['body']) : {} };
  };

  const PARAMS: Record<string, string> = { source: 'crm', webhookId: 'msg_1', area: 'infrastructure', professionalId: 'prof-1', id: 'recompute-2026-01-01', runId: 'cert-sync-2026-01-01', grantId: 'not-there', groupId: 'not-there' };
  const fill = (path: string, partnerId: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'partnerId' ? partnerId : PARAMS[name] ?? 'x'));
  const bodyFor = (method: string) => (method === 'GET' || method === 'DELETE' ? undefined : '{}');

  beforeAll(async () => {
    stores = await isolatedStores();
    const date = todayUtc();
    for (const [id, seed] of [[mine, 3], [theirs, 4]] as const) {
      await importSnapshotAsState(partnerSnapshot(id, date, 'small', seed));
      await recomputePartner(id, { date, reason: 'manual' });
    }
    const env = (principal?: string) => ({ ...stores.env, SCORE_RECOMPUTE_SCHEDULE: '0 0 0 1 1 *', CERT_SYNC_SCHEDULE: '0 0 0 1 1 *', LOCAL_PRINCIPAL: principal ?? '' });
    const started = await Promise.all([
      startHostProcess({ env: env() }),
      startHostProcess({ env: env('alice@example.com id=alice-oid') }),
      startHostProcess({ env: env('carol@distributor.example id=carol-oid groups=distributor-staff') }),
      startHostProcess({ env: env(`robot kind=app id=robot-oid roles=partner.reader:${theirs}`) }),
      startHostProcess({ env: env('eve@example.com id=eve-oid') }),
    ]);
    [hosts.anon, hosts.alice, hosts.carol, hosts.robot, hosts.eve] = started;

    // The operator (the function key) gives alice read on one partner, and the distributor's staff group edit on a
    // partner group holding it, before any of them calls.
    expect((await call('anon', 'PUT', '/access/grants/alice-reads-mine', { key: true, body: JSON.stringify({ subject: { kind: 'user', id: 'alice-oid' }, role: 'partner.reader', partners: [mine] }) })).status).toBe(201);
    expect((await call('anon', 'PUT', '/access/partner-groups/north', { key: true, body: JSON.stringify({ name: 'North region', partnerIds: [mine] }) })).status).toBe(201);
    expect((await call('anon', 'PUT', '/access/grants/staff-edit-north', { key: true, body: JSON.stringify({ subject: { kind: 'group', id: 'distributor-staff' }, role: 'partner.editor', partnerGroups: ['north'] }) })).status).toBe(201);

    const doc = (await (await fetch(`${hosts.anon!.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => m !== 'parameters')
        .map((m) => ({ path, method: m.toUpperCase(), rule: routeAccessByPath(path, m)!.rule })),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all(Object.values(hosts).map((h) => h.stop()));
    await stores?.close();
  });

  const guarded = () => ops.filter((o) => o.rule.kind !== 'public' && o.rule.kind !== 'signed');
  const refused = (r: Res) => r.status === 401 || r.status === 403;

  it('describes at least the 40 operations of the API, each with its rule', () => {
    expect(ops.length).toBeGreaterThanOrEqual(40);
    expect(ops.every((o) => o.rule)).toBe(true);
  });

  it('answers 401 to a caller nobody signed in, on every guarded route, and a forged x-ms-client-principal changes nothing', async () => {
    const forged = Buffer.from(JSON.stringify({ claims: [{ typ: 'oid', val: 'x' }, { typ: 'roles', val: 'operator' }] })).toString('base64');
    await Promise.all(
      guarded().flatMap((op) =>
        ([{}, { 'x-ms-client-principal': forged }] as Record<string, string>[]).map(async (headers) => {
          const r = await call('anon', op.method, fill(op.path, mine), { body: bodyFor(op.method), headers });
          expect(r.status, `${op.method} ${op.path}`).toBe(401);
          expect(r.body.error).toBe('Unauthorized');
        }),
      ),
    );
  });

  it('refuses a caller without a grant with 403 on every partner and operator route, saying what is missing', async () => {
    await Promise.all(
      guarded()
        .filter((o) => o.rule.kind !== 'caller')
        .map(async (op) => {
          const r = await call('eve', op.method, fill(op.path, mine), { body: bodyFor(op.method) });
          expect(r.status, `${op.method} ${op.path}`).toBe(403);
          expect(r.body.message).toMatch(op.rule.kind === 'operator' ? /not an operator/ : /has no partner\.(reader|editor) grant for partner/);
        }),
    );
  });

  it('lets each caller through exactly where its grants reach, and nowhere else', async () => {
    const expectations: [who: string, partner: string, allowed: (rule: RouteAccess) => boolean][] = [
      ['alice', mine, (r) => r.kind === 'caller' || (r.kind === 'partner' && r.need === 'read')],
      ['alice', theirs, (r) => r.kind === 'caller'],
      ['carol', mine, (r) => r.kind === 'caller' || r.kind === 'partner'],
      ['carol', theirs, (r) => r.kind === 'caller'],
      ['robot', theirs, (r) => r.kind === 'caller' || (r.kind === 'partner' && r.need === 'read')],
      ['robot', mine, (r) => r.kind === 'caller'],
    ];
    for (const [who, partner, allowed] of expectations) {
      await Promise.all(
        guarded()
          .filter((op) => op.rule.kind === 'partner' || partner === mine)
          .map(async (op) => {
            const r = await call(who, op.method, fill(op.path, partner), { body: bodyFor(op.method) });
            const label = `${who} ${op.method} ${fill(op.path, partner)} -> ${r.status} ${r.body.message ?? ''}`;
            expect(r.status, label).toBeLessThan(500);
            if (allowed(op.rule)) expect(refused(r), label).toBe(false);
            else expect(r.status, label).toBe(403);
          }),
      );
    }
  });

  it('lets the operator (the function key) through every route', async () => {
    for (const op of guarded()) {
      const r = await call('eve', op.method, fill(op.path, mine), { body: bodyFor(op.method), key: true });
      expect(refused(r), `${op.method} ${op.path} -> ${r.status} ${r.body.message ?? ''}`).toBe(false);
      expect(r.status).toBeLessThan(500);
    }
  });

  it("answers an unpermitted partner exactly as a partner that does not exist, so nobody learns which partners there are", async () => {
    for (const op of guarded().filter((o) => o.rule.kind === 'partner')) {
      const existing = await call('alice', op.method, fill(op.path, theirs), { body: bodyFor(op.method) });
      const missing = await call('alice', op.method, fill(op.path, never), { body: bodyFor(op.method) });
      expect(existing.status).toBe(missing.status);
      expect(JSON.stringify(existing.body).replaceAll(theirs, 'P')).toBe(JSON.stringify(missing.body).replaceAll(never, 'P'));
    }
  });

  it('lists only the partners a caller may read, and says who it is', async () => {
    const list = async (who: string, key = false) => ((await call(who, 'GET', '/partners', { key })).body.partners as { partnerId: string; access: string }[]).filter((p) => p.partnerId === mine || p.partnerId === theirs);
    expect(await list('alice')).toEqual([{ partnerId: mine, access: 'read' }]);
    expect(await list('carol')).toEqual([{ partnerId: mine, access: 'edit' }]);
    expect(await list('robot')).toEqual([{ partnerId: theirs, access: 'read' }]);
    expect(await list('eve')).toEqual([]);
    expect((await list('eve', true)).map((p) => p.partnerId).sort()).toEqual([mine, theirs].sort());
    const me = await call('carol', 'GET', '/access/me');
    expect(me.body).toMatchObject({ caller: { id: 'carol-oid', name: 'carol@distributor.example', groups: ['distributor-staff'] }, operator: false, read: [mine], edit: [mine] });
  });

  it('records who changed a partner and when, readable by those who may read it', async () => {
    const before = Date.now();
    const put = await call('carol', 'PUT', `/partners/${mine}/notification`, { body: JSON.stringify({ url: 'https://hooks.distributor.example/pcs' }) });
    expect(put.status).toBe(200);
    const audit = await call('alice', 'GET', `/partners/${mine}/audit`);
    expect(audit.status).toBe(200);
    const entry = (audit.body.items as { actor: { id: string; name: string }; request: string; at: string; status: number }[]).find((e) => e.request === `PUT /api/partners/${mine}/notification`);
    expect(entry).toMatchObject({ actor: { id: 'carol-oid', name: 'carol@distributor.example' }, status: 200 });
    expect(Date.parse(entry!.at)).toBeGreaterThanOrEqual(before - 1000);
    expect((await call('robot', 'GET', `/partners/${mine}/audit`)).status).toBe(403);

    const service = await call('eve', 'GET', '/audit', { key: true });
    const grants = (service.body.items as { actor: { name: string }; request: string }[]).filter((e) => e.request.startsWith('PUT /api/access/'));
    expect(grants.map((e) => e.actor.name)).toEqual(['function key', 'function key', 'function key']);
  });

  it('takes a grant away at once on the instance that changed it', async () => {
    expect((await call('alice', 'GET', `/partners/${mine}/scores`)).status).toBe(200);
    expect((await call('alice', 'DELETE', '/access/grants/alice-reads-mine', { key: true })).status).toBe(200);
    expect((await call('alice', 'GET', `/partners/${mine}/scores`)).status).toBe(403);
  });

  it('refuses a cross-origin change and a text/plain body without a key, on the API and the admin endpoint', async () => {
    const crossSite = await call('carol', 'PUT', `/partners/${mine}/notification`, { body: '{"url":"https://evil.example/x"}', headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    const plain = await fetch(`${hosts.carol!.url}/admin/functions/applyEvents`, { method: 'POST', body: '{"input":"{}"}', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(401);
    const plainWithKey = await fetch(`${hosts.carol!.url}/admin/functions/applyEvents`, { method: 'POST', body: '{"input":"{}"}', headers: { 'content-type': 'text/plain', 'x-functions-key': hosts.carol!.keys.masterKey } });
    expect(plainWithKey.status).toBe(415);
    const plainApi = await call('carol', 'PUT', `/partners/${mine}/notification`, { body: '{"url":"https://evil.example/x"}', headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect(plainApi.status).toBe(415);
    const form = await call('carol', 'POST', `/partners/${mine}/cert-sync`, { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const settings = await call('carol', 'GET', `/partners/${mine}/notification`);
    expect(settings.body.url).toBe('https://hooks.distributor.example/pcs');
  });
});
