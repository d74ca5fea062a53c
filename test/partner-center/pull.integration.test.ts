import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSettingsCache } from '../../shared/config/settings';
import { processPartnerCenterMessage } from '../../shared/partner-center/process';
import { pullPartnerCenter } from '../../shared/partner-center/pull';
import type { PartnerCenterMessage } from '../../shared/partner-center/receive';
import { DOC_IDS, type AssociationsDoc } from '../../shared/state/documents';
import { readStateDoc } from '../../shared/state/state-store';
import { useIsolatedStores } from '../helpers/emulators';
import { uid } from '../helpers/ids';
import { pcEvent, startFakePartnerCenter, type FakePartnerCenter } from './fake-partner-center';

/** The nightly pull against a local server playing Partner Center's customer list, and the Cosmos emulator. */

useIsolatedStores();

const tenant = (i: number) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
const customer = (i: number, extra: Record<string, unknown> = {}) => ({ id: tenant(i), companyProfile: { tenantId: tenant(i), companyName: `Customer ${i}` }, relationshipToPartner: 'reseller', attributes: { objectType: 'Customer' }, ...extra });
const token = async () => 'pull-token';
const associations = async (p: string) => Object.values((await readStateDoc<AssociationsDoc>(p, DOC_IDS.associations))?.items ?? {});

describe('the Partner Center pull', () => {
  let pc: FakePartnerCenter;
  beforeAll(async () => {
    pc = await startFakePartnerCenter({ token: 'pull-token' });
    process.env.PARTNER_CENTER_API_BASE_URL = pc.url;
    process.env.PARTNER_CENTER_BACKOFF_MS = '10';
    resetSettingsCache();
  });
  afterAll(async () => {
    delete process.env.PARTNER_CENTER_API_BASE_URL;
    delete process.env.PARTNER_CENTER_BACKOFF_MS;
    resetSettingsCache();
    await pc.close();
  });

  it('pages through 2,500 customers (throttled once), makes each a CSP association once, and a second pull changes nothing', async () => {
    const p = uid('p-pull');
    pc.setCustomerList(Array.from({ length: 2_500 }, (_, i) => customer(i, i % 10 === 0 ? { associatedPartnerId: '4812345' } : {})));
    pc.failNext(1, 429, '0');
    pc.requests.length = 0;
    const first = await pullPartnerCenter(p, { token, now: new Date('2026-12-03T03:00:00Z') });
    expect(first).toMatchObject({ customers: 2_500, pages: 5, relationships: 2_500, started: 2_500, ended: 0, changed: true });
    // Every page after the first asked with the continuation token the page before gave.
    const listReads = pc.requests.filter((r) => r.path === '/v1/customers');
    expect(listReads).toHaveLength(6);
    expect(listReads.filter((r) => r.continuation).length).toBe(4);
    const all = await associations(p);
    expect(all).toHaveLength(2_500);
    expect(all.filter((a) => a.cspTier === 2)).toHaveLength(250);
    expect(all.every((a) => a.type === 'CSP' && a.lifecycle === 'active' && a.history.length === 1)).toBe(true);

    // The next night: nothing new, nothing sent, the histories do not grow.
    const again = await pullPartnerCenter(p, { token, now: new Date('2026-12-04T03:00:00Z') });
    expect(again).toMatchObject({ customers: 2_500, started: 0, ended: 0, inPlace: 2_500, changed: false });
    expect((await associations(p)).every((a) => a.history.length === 1)).toBe(true);

    // Ten customers leave Partner Center: their associations end, the others stay.
    pc.setCustomerList(Array.from({ length: 2_490 }, (_, i) => customer(i + 10)));
    const third = await pullPartnerCenter(p, { token, now: new Date('2026-12-05T03:00:00Z') });
    expect(third).toMatchObject({ started: 0, ended: 10, changed: true });
    const after = await associations(p);
    expect(after.filter((a) => a.lifecycle === 'ended').map((a) => a.tenantId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => tenant(i)));

    // An indirect reseller now serves one customer: its association moves to tier 2 and keeps its start date.
    const startDate = after.find((a) => a.tenantId === tenant(11))!.startDate;
    pc.setCustomerList(Array.from({ length: 2_490 }, (_, i) => customer(i + 10, i + 10 === 11 ? { associatedPartnerId: '4812345' } : {})));
    expect(await pullPartnerCenter(p, { token, now: new Date('2026-12-05T15:00:00Z') })).toMatchObject({ started: 0, ended: 0, tierChanged: 1, changed: true });
    expect((await associations(p)).find((a) => a.tenantId === tenant(11))).toMatchObject({ cspTier: 2, lifecycle: 'active', startDate });

    // An empty list ends nothing.
    pc.setCustomerList([]);
    expect(await pullPartnerCenter(p, { token, now: new Date('2026-12-06T03:00:00Z') })).toMatchObject({ customers: 0, ended: 0, endsWithheld: 2_490, changed: false });
  }, 120_000);

  it('dates a relationship it sees first by its customer\'s first subscription, and one that comes back by the pull', async () => {
    const p = uid('p-pull-date');
    pc.requests.length = 0;
    pc.setCustomerList([customer(100), customer(101)]);
    pc.setSubscriptions(tenant(100), [
      { id: 's2', offerName: 'Microsoft 365 E3', creationDate: '2025-09-14T10:00:00.1234567Z' },
      { id: 's1', offerName: 'Microsoft 365 E5', creationDate: '2025-03-02T08:30:00Z' },
    ]);
    const now = new Date('2026-12-03T03:00:00Z');
    expect(await pullPartnerCenter(p, { token, now })).toMatchObject({ started: 2, datedBySubscription: 1 });
    const first = await associations(p);
    expect(first.find((a) => a.tenantId === tenant(100))).toMatchObject({ startDate: '2025-03-02', lifecycle: 'active' });
    expect(first.find((a) => a.tenantId === tenant(101))).toMatchObject({ startDate: '2026-12-03', lifecycle: 'active' });
    // It leaves and comes back: the return is dated by the pull that sees it, so it sorts after the end.
    pc.setCustomerList([customer(101)]);
    await pullPartnerCenter(p, { token, now: new Date('2026-12-04T03:00:00Z') });
    pc.setCustomerList([customer(100), customer(101)]);
    expect(await pullPartnerCenter(p, { token, now: new Date('2026-12-05T03:00:00Z') })).toMatchObject({ started: 1, datedBySubscription: 0 });
    expect((await associations(p)).find((a) => a.tenantId === tenant(100))).toMatchObject({ lifecycle: 'active', startDate: '2026-12-05' });
    // Only customers seen for the first time had their subscriptions read: once each over the three pulls.
    const reads = pc.requests.filter((r) => r.path === `/v1/customers/${tenant(100)}/subscriptions` || r.path === `/v1/customers/${tenant(101)}/subscriptions`);
    expect(reads.map((r) => r.path).sort()).toEqual([`/v1/customers/${tenant(100)}/subscriptions`, `/v1/customers/${tenant(101)}/subscriptions`]);
  });

  it('finds what an event already brought and adds nothing to it', async () => {
    const p = uid('p-pull-ev');
    pc.setCustomer(tenant(1), customer(1));
    const message: PartnerCenterMessage = {
      kind: 'partner-center-event',
      v: 1,
      partnerId: p,
      partnerIds: [p],
      receiptId: `partner-center:${p}.${'b'.repeat(64)}`,
      receivedAt: new Date().toISOString(),
      event: JSON.parse(pcEvent('reseller-relationship-accepted-by-customer', `https://api.partnercenter.microsoft.com/v1/customers/${tenant(1)}`)) as PartnerCenterMessage['event'],
    };
    await processPartnerCenterMessage(message, { token });
    pc.setCustomerList([customer(1), customer(2)]);
    expect(await pullPartnerCenter(p, { token })).toMatchObject({ started: 1, inPlace: 1 });
    const all = await associations(p);
    expect(all.map((a) => [a.tenantId, a.history.length]).sort()).toEqual([[tenant(1), 1], [tenant(2), 1]]);
  });

  it('changes nothing when a page fails for good: the queue retries the whole pull', async () => {
    const p = uid('p-pull-fail');
    pc.setCustomerList(Array.from({ length: 30 }, (_, i) => customer(i)));
    process.env.PARTNER_CENTER_PULL_PAGE_SIZE = '10';
    resetSettingsCache();
    try {
      pc.failNext(20, 503);
      await expect(pullPartnerCenter(p, { token })).rejects.toThrow(/503/);
      expect(await associations(p)).toEqual([]);
    } finally {
      delete process.env.PARTNER_CENTER_PULL_PAGE_SIZE;
      resetSettingsCache();
      pc.failNext(0, 503);
    }
  });
});
