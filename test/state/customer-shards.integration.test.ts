import { describe, expect, it } from 'vitest';
import { applyPartnerEvents } from '../../shared/deliveries/process';
import { validateDelivery } from '../../shared/events/validate';
import type { WebhookEvent } from '../../shared/events/schemas';
import { CUSTOMER_SHARDS, MAX_PROFILE_FACTS, type ProfileDoc } from '../../shared/state/documents';
import { queryCustomers, readPartnerProfile } from '../../shared/state/queries';
import { loadPartnerSnapshot } from '../../shared/state/state-store';
import { queryPage, upsertDocument } from '../../shared/store/documents';
import { useIsolatedStores } from '../helpers/emulators';
import { newPartnerId } from '../helpers/ids';

/** Cosmos DB refuses an item over 2 MB (the emulator here does not, so the sizes are measured). */
const COSMOS_ITEM_LIMIT = 2 * 1024 * 1024;
const CUSTOMERS = 2_000;
const CLOCK = { now: new Date('2027-01-01T00:00:00Z'), futureToleranceSeconds: 86_400 };

/** Validated as deliveries are (at most 500 events each). */
function events(raw: unknown[]): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  for (let i = 0; i < raw.length; i += 500) {
    const r = validateDelivery(raw.slice(i, i + 500), CLOCK);
    if (!r.ok) throw new Error(JSON.stringify(r.details.slice(0, 3)));
    out.push(...r.events);
  }
  return out;
}

const tenant = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

async function docSizes(partnerId: string): Promise<{ id: string; bytes: number }[]> {
  const out: { id: string; bytes: number }[] = [];
  let token: string | undefined;
  do {
    const page = await queryPage<{ id: string }>('partners', { query: 'SELECT * FROM c WHERE c.partnerId = @p', parameters: [{ name: '@p', value: partnerId }] }, { maxItemCount: 50, continuationToken: token });
    for (const d of page.items) out.push({ id: d.id, bytes: Buffer.byteLength(JSON.stringify(d)) });
    token = page.continuationToken;
  } while (token);
  return out;
}

describe('customer tenants in shards of their own', () => {
  useIsolatedStores();

  it(`keeps every document under Cosmos DB's 2 MB item limit for ${CUSTOMERS} customers each re-sent ${MAX_PROFILE_FACTS} times (the profile held them all: about 6 MB)`, async () => {
    const p = newPartnerId();
    // A CSP partner's systems re-sending every customer daily, name and segment alternating so every fact is kept.
    for (let day = 0; day < MAX_PROFILE_FACTS; day++) {
      const at = new Date(Date.UTC(2026, 10, 1 + day)).toISOString();
      const batch = Array.from({ length: CUSTOMERS }, (_, i) => ({
        id: `cu-${i}-${day}`,
        type: 'customer.updated',
        partnerId: p,
        occurredAt: at,
        data: { tenantId: tenant(i), name: `Customer ${i} (${day % 2 ? 'Ltd' : 'Inc'})`, segment: day % 2 ? 'smb' : 'enterprise', cloud: 'commercial' },
      }));
      const r = await applyPartnerEvents(p, events(batch), 'test');
      expect(r.outcomes.filter((o) => o.result !== 'applied')).toEqual([]);
    }
    const sizes = await docSizes(p);
    const total = sizes.filter((d) => d.id.startsWith('customers:')).reduce((n, d) => n + d.bytes, 0);
    const largest = Math.max(...sizes.map((d) => d.bytes));
    console.log(`[customer-shards] ${CUSTOMERS} customers x ${MAX_PROFILE_FACTS} facts: ${(total / 1024 / 1024).toFixed(1)} MB in ${sizes.filter((d) => d.id.startsWith('customers:')).length} shards, largest document ${(largest / 1024).toFixed(0)} KB, profile ${((sizes.find((d) => d.id === 'profile')?.bytes ?? 0) / 1024).toFixed(1)} KB`);
    // In one document this would be over the limit: the shards are what keeps it storable.
    expect(total).toBeGreaterThan(COSMOS_ITEM_LIMIT);
    expect(largest).toBeLessThan(COSMOS_ITEM_LIMIT * 0.6);
    expect(sizes.filter((d) => d.id.startsWith('customers:'))).toHaveLength(CUSTOMER_SHARDS);
    expect(sizes.find((d) => d.id === 'profile')!.bytes).toBeLessThan(4096);

    const snapshot = await loadPartnerSnapshot(p);
    expect(snapshot?.customers).toHaveLength(CUSTOMERS);
    const last = MAX_PROFILE_FACTS - 1;
    expect(snapshot?.customers.find((c) => c.tenantId === tenant(7))).toEqual({ tenantId: tenant(7), name: `Customer 7 (${last % 2 ? 'Ltd' : 'Inc'})`, segment: last % 2 ? 'smb' : 'enterprise', cloud: 'commercial' });
    expect((await readPartnerProfile(p))?.customers).toBe(CUSTOMERS);
    expect((await queryCustomers(p, { limit: 500, segment: last % 2 ? 'smb' : 'enterprise' }))?.items).toHaveLength(500);

    // A retraction finds its event in whichever shard holds it.
    const withdrawn = `cu-7-${last}`;
    const r = await applyPartnerEvents(p, events([{ id: 'retract-1', type: 'event.retracted', partnerId: p, occurredAt: '2026-12-20T00:00:00Z', data: { eventId: withdrawn } }]), 'test');
    expect(r.outcomes).toMatchObject([{ eventId: 'retract-1', result: 'applied' }]);
    const prior = last - 1;
    expect((await loadPartnerSnapshot(p))?.customers.find((c) => c.tenantId === tenant(7))).toMatchObject({ name: `Customer 7 (${prior % 2 ? 'Ltd' : 'Inc'})` });
  }, 180_000);

  it('reads customers a profile written before the shards held, and a customer.updated for one of them keeps what it had', async () => {
    const p = newPartnerId();
    await applyPartnerEvents(p, events([{ id: 'pu-1', type: 'partner.updated', partnerId: p, occurredAt: '2026-11-01T00:00:00Z', data: { name: 'Contoso' } }]), 'test');
    const [profile] = (await queryPage<ProfileDoc>('partners', { query: "SELECT * FROM c WHERE c.partnerId = @p AND c.id = 'profile'", parameters: [{ name: '@p', value: p }] })).items;
    const legacy = { tenantId: tenant(1), name: 'Fabrikam', segment: 'smb' as const, cloud: 'government' as const, updatedAt: '2026-10-01T00:00:00.000Z', lastEventId: 'old-1', facts: [{ eventId: 'old-1', at: '2026-10-01T00:00:00.000Z', fields: { name: 'Fabrikam', segment: 'smb' as const, cloud: 'government' as const } }] };
    await upsertDocument('partners', { ...profile!, customers: { [tenant(1)]: legacy, [tenant(2)]: { ...legacy, tenantId: tenant(2), name: 'Northwind' } } });
    expect((await loadPartnerSnapshot(p))?.customers.map((c) => c.name)).toEqual(['Fabrikam', 'Northwind']);

    await applyPartnerEvents(p, events([{ id: 'cu-new', type: 'customer.updated', partnerId: p, occurredAt: '2026-11-02T00:00:00Z', data: { tenantId: tenant(1), segment: 'enterprise' } }]), 'test');
    expect((await loadPartnerSnapshot(p))?.customers).toEqual([
      { tenantId: tenant(1), name: 'Fabrikam', segment: 'enterprise', cloud: 'government' },
      { tenantId: tenant(2), name: 'Northwind', segment: 'smb', cloud: 'government' },
    ]);
    expect((await readPartnerProfile(p))?.customers).toBe(2);
  });
});
