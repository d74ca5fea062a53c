import { describe, expect, it } from 'vitest';
import { resetSettingsCache } from '../../shared/config/settings';
import { PermanentMessageError } from '../../shared/deliveries/process';
import { processPartnerCenterMessage } from '../../shared/partner-center/process';
import type { PartnerCenterMessage } from '../../shared/partner-center/receive';
import { readStateDoc } from '../../shared/state/state-store';
import { DOC_IDS, type AssociationsDoc } from '../../shared/state/documents';
import { useIsolatedStores } from '../helpers/emulators';
import { uid } from '../helpers/ids';
import { pcEvent, startFakePartnerCenter } from './fake-partner-center';

/** The queue step against the Cosmos emulator: a queue message delivered again applies nothing twice. */

useIsolatedStores();

const message = (partnerId: string, eventName: string, resourceUri: string, hash = 'a'.repeat(64)): PartnerCenterMessage => ({
  kind: 'partner-center-event',
  v: 1,
  partnerId,
  partnerIds: [partnerId],
  receiptId: `partner-center:${partnerId}.${hash}`,
  receivedAt: new Date().toISOString(),
  event: JSON.parse(pcEvent(eventName, resourceUri)) as PartnerCenterMessage['event'],
});

describe('processPartnerCenterMessage', () => {
  it('applies a redelivered queue message once: the second run changes nothing and the history keeps one entry', async () => {
    const pc = await startFakePartnerCenter({ token: 'tok' });
    process.env.PARTNER_CENTER_API_BASE_URL = pc.url;
    try {
      const partner = uid('p-pcq');
      pc.setCustomer('t1', { id: 't1', companyProfile: { tenantId: 't1' } });
      const m = message(partner, 'reseller-relationship-accepted-by-customer', 'https://api.partnercenter.microsoft.com/v1/customers/t1');
      resetSettingsCache();
      const first = await processPartnerCenterMessage(m, { token: async () => 'tok' });
      expect(first.changed).toBe(true);
      expect(first.outcomes.map((o) => o.result)).toEqual(['applied']);
      const again = await processPartnerCenterMessage(m, { token: async () => 'tok', retry: true });
      expect(again.changed).toBe(false);
      expect(again.outcomes.map((o) => o.result)).toEqual(['unchanged']);
      const doc = await readStateDoc<AssociationsDoc>(partner, DOC_IDS.associations);
      const items = Object.values(doc!.items);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ type: 'CSP', tenantId: 't1', cspTier: 1 });
      expect(items[0]!.history).toHaveLength(1);
    } finally {
      await pc.close();
    }
  });

  it('sends a message that can never be applied straight to the dead letters (PermanentMessageError)', async () => {
    await expect(processPartnerCenterMessage({ kind: 'partner-center-event' }, { token: async () => 'tok' })).rejects.toBeInstanceOf(PermanentMessageError);
    const m = message(uid('p'), 'reseller-relationship-accepted-by-customer', 'https://api.partnercenter.microsoft.com/v1/orders/o1');
    await expect(processPartnerCenterMessage(m, { token: async () => 'tok' })).rejects.toThrow(/does not name a customer/);
  });
});
