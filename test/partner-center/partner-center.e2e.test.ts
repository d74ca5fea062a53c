import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../shared/lib/signing';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';
import { ev, postSigned } from '../webhooks/client';
import { derOf, mintCertificate, pcEvent, signatureOf, startFakePartnerCenter, type FakePartnerCenter, type Minted } from './fake-partner-center';

/**
 * Partner Center webhooks through the local host: the compiled app, the Cosmos emulator and Azurite, and one local
 * server playing both Microsoft's certificate host and the Partner Center API. The certificate chain is minted here;
 * its root is the configured trust anchor (PARTNER_CENTER_CA_FILE) and the server's /cert/ the allowed prefix.
 */

const TOKEN = 'local-test-token';
let host: HostProcess;
let pc: FakePartnerCenter;
let root: Minted;
let leaf: Minted;
let expired: Minted;
let otherOrg: Minted;
let rogue: Minted;
let tmp: string;
const partner = uid('p-pc');
const stranger = uid('p-pc-stranger');
/** The partner whose Partner Center account the app reads: its customer list is pulled every 3 s here. */
const pulled = uid('p-pc-pull');
const seedSecret = generateSecret();
const month = (() => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
})();

const customerUri = (id: string) => `https://api.partnercenter.microsoft.com/v1/customers/${id}`;

async function postEvent(partnerId: string, body: string, opts: { key?: string; cert?: string; certUrl?: string; signed?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: signatureOf(opts.signed ?? body, opts.key ?? leaf.keyPem),
    'x-ms-certificate-url': opts.certUrl ?? `${pc.url}/cert/${opts.cert ?? 'pcnotifications.cer'}`,
    'x-ms-signature-algorithm': 'rsa-sha256',
    ...(opts.headers ?? {}),
  };
  for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
  const res = await fetch(`${host.url}/api/partner-center/${partnerId}/events`, { method: 'POST', body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The event's receipt, read through the operators' delivery-status route. */
const receipt = (p: string, body: string) => getJson(`${host.url}/api/webhooks/partner-center/deliveries/${p}.${createHash('sha256').update(body).digest('hex')}`);
const associations = (p: string) => getJson(`${host.url}/api/partners/${p}/associations`);
const modernWork = async (p: string) => (await getJson(`${host.url}/api/partners/${p}/scores/modern-work`)).json as { breakdown?: { total: number; computedAt?: string } ; date?: string };

beforeAll(async () => {
  pc = await startFakePartnerCenter({ token: TOKEN });
  root = mintCertificate({ commonName: 'Test Root CA', organization: 'Test Trust', ca: true });
  leaf = mintCertificate({ commonName: 'pcnotifications', organization: 'Microsoft Corporation', issuer: root });
  expired = mintCertificate({ commonName: 'pcnotifications', organization: 'Microsoft Corporation', issuer: root, notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
  otherOrg = mintCertificate({ commonName: 'pcnotifications', organization: 'Contoso Ltd', issuer: root });
  rogue = mintCertificate({ commonName: 'pcnotifications', organization: 'Microsoft Corporation' });
  pc.setCert('pcnotifications.cer', derOf(leaf.certPem));
  pc.setCert('expired.cer', derOf(expired.certPem));
  pc.setCert('other-org.cer', derOf(otherOrg.certPem));
  pc.setCert('rogue.cer', derOf(rogue.certPem));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-ca-'));
  fs.writeFileSync(path.join(tmp, 'ca.pem'), root.certPem);
  host = await startHostProcess({
    env: {
      PARTNER_CENTER_PARTNER_IDS: `${partner},${stranger}`,
      PARTNER_CENTER_CERT_URL_PREFIXES: `${pc.url}/cert/`,
      PARTNER_CENTER_CA_FILE: path.join(tmp, 'ca.pem'),
      PARTNER_CENTER_API_BASE_URL: pc.url,
      PARTNER_CENTER_LOCAL_TOKEN: TOKEN,
      PARTNER_CENTER_BACKOFF_MS: '50',
      PARTNER_CENTER_PULL_PARTNER_ID: pulled,
      PARTNER_CENTER_PULL_SCHEDULE: '*/3 * * * * *',
      PARTNER_CENTER_PULL_PAGE_SIZE: '2',
      WEBHOOK_SOURCES: 'seed',
      WEBHOOK_SECRET_SEED: seedSecret,
      WEBHOOK_PARTNERS_SEED: '*',
      RECOMPUTE_COALESCE_SECONDS: '0',
    },
  });
}, 90_000);

afterAll(async () => {
  await host?.stop();
  await pc?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the nightly pull of the customer list (timer, queue, Partner Center API)', () => {
  it('makes the customers Partner Center lists CSP associations, pages included, and recomputes the Modern Work score', async () => {
    const tenants = ['pull-a', 'pull-b', 'pull-c'].map((t) => `${t}-${pulled}`);
    const seed = await postSigned(host.url, 'seed', { events: tenants.map((t, i) => ev(`pt${i}`, 'telemetry.monthly', pulled, new Date().toISOString(), { month, tenantId: t, platform: 'microsoft-365', workload: 'exchange-online', associationType: 'CSP', paidSeats: 300, activeUsers: 250, revenueUsd: 6000 })) }, { secret: seedSecret });
    expect(seed.status).toBe(202);
    const first = await eventually(async () => {
      const s = await modernWork(pulled);
      return s.breakdown ? s : undefined;
    }, 30_000, 'a first Modern Work score');
    pc.setCustomerList(tenants.map((t) => ({ id: t, companyProfile: { tenantId: t }, relationshipToPartner: 'reseller' })));
    const items = await eventually(async () => {
      const a = (await associations(pulled)).json.items as { type: string; tenantId: string; cspTier: number; lifecycle: string }[] | undefined;
      return a && a.filter((i) => i.type === 'CSP').length === 3 ? a : undefined;
    }, 30_000, 'the pulled CSP associations');
    expect(items.map((i) => [i.tenantId, i.cspTier, i.lifecycle]).sort()).toEqual(tenants.map((t) => [t, 1, 'active']).sort());
    // Two pages of two: the second read carried the continuation token.
    expect(pc.requests.some((r) => r.path === '/v1/customers' && r.continuation)).toBe(true);
    const after = await eventually(async () => {
      const s = await modernWork(pulled);
      return s.breakdown && s.breakdown.total !== first.breakdown!.total ? s : undefined;
    }, 30_000, 'the Modern Work score to change');
    expect(after.breakdown!.total).toBeGreaterThan(first.breakdown!.total);
    expect(host.output()).toMatch(new RegExp(`Partner Center pull of partner ${pulled}: 3 customers in 2 pages, 3 CSP relationships: 3 started`));
  });
});

describe('POST /api/partner-center/{partnerId}/events', () => {
  it('answers the registration test event with 200 and reads nothing', async () => {
    const before = pc.requests.length;
    const res = await postEvent(partner, pcEvent('test-created', 'https://api.partnercenter.microsoft.com/webhooks/v1/registration/validationEvents/c0bfd694-3075-4ec5-9a3c-733d3a890a1f', '2017-11-16T16:19:06.3520276+00:00'));
    expect(res).toEqual({ status: 200, json: { status: 'recorded', eventName: 'test-created' } });
    // Only the certificate was fetched (or none, cached): no Partner Center API read.
    expect(pc.requests.slice(before).filter((r) => r.path.startsWith('/v1/'))).toEqual([]);
  });

  it('makes the tenant of a signed reseller-relationship event a CSP Tier 1 association and recomputes the Modern Work score', async () => {
    const tenant = `tenant-${partner}`;
    pc.setCustomer(tenant, { id: tenant, companyProfile: { tenantId: tenant, companyName: 'Fabrikam' }, relationshipToPartner: 'reseller' });
    // Microsoft 365 usage of the tenant through CSP, sent before the relationship is known.
    const seed = await postSigned(host.url, 'seed', { events: [ev('t1', 'telemetry.monthly', partner, new Date().toISOString(), { month, tenantId: tenant, platform: 'microsoft-365', workload: 'exchange-online', associationType: 'CSP', paidSeats: 200, activeUsers: 150, revenueUsd: 5000 })] }, { secret: seedSecret });
    expect(seed.status).toBe(202);
    const first = await eventually(async () => {
      const s = await modernWork(partner);
      return s.breakdown ? s : undefined;
    }, 30_000, 'a first Modern Work score');

    // The first read is throttled: the queue step waits as asked and tries again.
    pc.failNext(1, 429, '1');
    const res = await postEvent(partner, pcEvent('reseller-relationship-accepted-by-customer', customerUri(tenant)));
    expect(res.status).toBe(202);
    const assoc = await eventually(async () => {
      const a = await associations(partner);
      return a.json.items?.find((i: { type: string; tenantId: string }) => i.type === 'CSP' && i.tenantId === tenant) as Record<string, unknown> | undefined;
    }, 30_000, 'the CSP association');
    expect(assoc).toMatchObject({ type: 'CSP', tenantId: tenant, cspTier: 1, status: 'active', lifecycle: 'active' });
    expect(pc.requests.filter((r) => r.path === `/v1/customers/${tenant}`).map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    const after = await eventually(async () => {
      const s = await modernWork(partner);
      return s.breakdown && s.breakdown.total !== first.breakdown!.total ? s : undefined;
    }, 30_000, 'the Modern Work score to change');
    expect(after.breakdown!.total).toBeGreaterThan(first.breakdown!.total);
  });

  it('applies a redelivered event once: 200 duplicate, no second read, the association unchanged', async () => {
    const tenant = `tenant2-${partner}`;
    pc.setCustomer(tenant, { id: tenant, companyProfile: { tenantId: tenant } });
    const body = pcEvent('indirect-reseller-relationship-accepted-by-customer', customerUri(tenant));
    expect((await postEvent(partner, body)).status).toBe(202);
    const assoc = await eventually(async () => (await associations(partner)).json.items?.find((i: { tenantId: string }) => i.tenantId === tenant) as Record<string, unknown> | undefined, 30_000, 'the Tier 2 association');
    expect(assoc).toMatchObject({ type: 'CSP', cspTier: 2, status: 'active', lifecycle: 'active' });
    const reads = pc.requests.filter((r) => r.path === `/v1/customers/${tenant}`).length;
    const again = await postEvent(partner, body);
    expect(again).toMatchObject({ status: 200, json: { status: 'duplicate' } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(pc.requests.filter((r) => r.path === `/v1/customers/${tenant}`).length).toBe(reads);
    const now = (await associations(partner)).json.items.find((i: { tenantId: string }) => i.tenantId === tenant);
    expect(now).toEqual(assoc);
  });

  it('records the customer of a customer-created event and the subscription of a subscription-updated event on their receipts', async () => {
    const tenant = `tenant3-${partner}`;
    pc.setCustomer(tenant, { id: tenant, companyProfile: { tenantId: tenant, companyName: 'Contoso' } });
    const created = pcEvent('customer-created', customerUri(tenant));
    const updated = pcEvent('subscription-updated', `${customerUri(tenant)}/subscriptions/sub-1`);
    expect((await postEvent(partner, created)).status).toBe(202);
    expect((await postEvent(partner, updated)).status).toBe(202);
    const applied = (body: string) => eventually(async () => {
      const r = await receipt(partner, body);
      return r.json.status === 'applied' ? r.json : undefined;
    }, 30_000, 'the receipt to be applied');
    expect((await applied(created)).partnerCenter).toMatchObject({ eventName: 'customer-created', resource: { customerId: tenant, resourceId: tenant } });
    expect((await applied(updated)).partnerCenter).toMatchObject({ eventName: 'subscription-updated', resource: { customerId: tenant, resourceId: 'sub-1', status: 'active', quantity: 25 } });
    // A customer is not an association: only the accepted reseller relationship makes one.
    expect((await associations(partner)).json.items.some((i: { tenantId: string }) => i.tenantId === tenant)).toBe(false);
  });

  it('records DAP, GDAP and unknown events as information with 200', async () => {
    for (const name of ['dap-admin-relationship-approved', 'granular-admin-relationship-activated', 'something-new-from-microsoft']) {
      expect(await postEvent(partner, pcEvent(name, customerUri('c-info')))).toEqual({ status: 200, json: { status: 'recorded', eventName: name } });
    }
  });

  it('answers 401 and stores nothing for every authentication failure', async () => {
    const tenant = 'tenant-refused';
    pc.setCustomer(tenant, { id: tenant });
    const body = pcEvent('reseller-relationship-accepted-by-customer', customerUri(tenant));
    const cases: [string, Parameters<typeof postEvent>[2]][] = [
      ['wrong signature', { key: otherOrg.keyPem }],
      ['body changed after signing', { signed: body.replace('reseller', 'resellex') }],
      ['certificate host not on the list', { certUrl: `http://localhost:${new URL(pc.url).port}/cert/pcnotifications.cer` }],
      ['expired certificate', { cert: 'expired.cer', key: expired.keyPem }],
      ['wrong Organization', { cert: 'other-org.cer', key: otherOrg.keyPem }],
      ['untrusted issuer', { cert: 'rogue.cer', key: rogue.keyPem }],
      ['no Authorization', { headers: { authorization: '' } }],
      ['no certificate URL', { headers: { 'x-ms-certificate-url': '' } }],
      ['another algorithm', { headers: { 'x-ms-signature-algorithm': 'rsa-sha1' } }],
    ];
    for (const [what, opts] of cases) {
      const res = await postEvent(stranger, body, opts);
      expect(res.status, what).toBe(401);
      expect(res.json.error, what).toBe('Unauthorized');
    }
    // A good signature for a partner that does not take Partner Center events is refused the same way.
    expect((await postEvent(uid('p-unlisted'), body)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await associations(stranger)).status).toBe(404);
    expect((await receipt(stranger, body)).status).toBe(404);
    expect(pc.requests.some((r) => r.path === `/v1/customers/${tenant}`)).toBe(false);
    expect(host.output()).toContain('refused, certificate Organization is "Contoso Ltd"');
  });

  it('refuses a malformed event with 400 naming the field, after authenticating it', async () => {
    const body = JSON.stringify({ EventName: 'customer-created', ResourceUri: 'not a url', ResourceChangeUtcDate: '2026-03-01T10:00:00Z' });
    const res = await postEvent(stranger, body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.details)).toContain('ResourceUri');
  });
});
