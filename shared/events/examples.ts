import type { EventType } from './schemas';

/**
 * One valid example of every event type: the catalogue in docs/webhooks.md shows them, and
 * test/events/examples.test.ts checks each one validates, so the documentation cannot go stale.
 */
const partnerId = '4812345';
const at = (d: string) => `${d}T09:30:00Z`;
const claim = { claimId: 'CLM-20260112-0042', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', solutionArea: 'modern-work', role: 'use-or-consume', workloads: ['teams', 'exchange'] };

export const EVENT_EXAMPLES: Record<EventType, Record<string, unknown>> = {
  'cpor.claim.submitted': { id: 'evt-0001', type: 'cpor.claim.submitted', version: 1, partnerId, occurredAt: at('2026-01-12'), data: claim },
  'cpor.claim.approved': { id: 'evt-0002', type: 'cpor.claim.approved', version: 1, partnerId, occurredAt: at('2026-01-26'), data: claim },
  'cpor.claim.rejected': { id: 'evt-0003', type: 'cpor.claim.rejected', version: 1, partnerId, occurredAt: at('2026-01-26'), data: { ...claim, reason: 'Proof of execution not signed by the customer' } },
  'cpor.claim.disputed': { id: 'evt-0004', type: 'cpor.claim.disputed', version: 1, partnerId, occurredAt: at('2026-02-02'), data: claim },
  'cpor.claim.declined': { id: 'evt-0005', type: 'cpor.claim.declined', version: 1, partnerId, occurredAt: at('2026-02-10'), data: claim },
  'cpor.claim.disassociated': {
    id: 'evt-0006',
    type: 'cpor.claim.disassociated',
    version: 1,
    partnerId,
    occurredAt: at('2026-06-30'),
    data: { claimId: 'CLM-20260301-0007', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', solutionArea: 'business-applications', role: 'osu', subscriptionId: 'd365-sub-5521', workloads: ['dynamics-365-sales'] },
  },
  'pal.linked': { id: 'evt-0007', type: 'pal.linked', version: 1, partnerId, occurredAt: at('2026-01-05'), data: { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', objectId: '6b1d2c0e-2f4a-4d55-9f0b-3f1c2b8f1a10', scope: '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333', role: 'Contributor' } },
  'pal.unlinked': { id: 'evt-0008', type: 'pal.unlinked', version: 1, partnerId, occurredAt: at('2026-09-01'), data: { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', objectId: '6b1d2c0e-2f4a-4d55-9f0b-3f1c2b8f1a10' } },
  'dpor.attached': { id: 'evt-0009', type: 'dpor.attached', version: 1, partnerId, occurredAt: at('2026-01-08'), data: { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333', workloadFamily: 'azure' } },
  'dpor.detached': { id: 'evt-0010', type: 'dpor.detached', version: 1, partnerId, occurredAt: at('2026-10-01'), data: { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333' } },
  'csp.relationship.started': { id: 'evt-0011', type: 'csp.relationship.started', version: 1, partnerId, occurredAt: at('2026-01-02'), data: { tenantId: 'a1b2c3d4-0000-4000-8000-000000000001', tier: 1 } },
  'csp.relationship.ended': { id: 'evt-0012', type: 'csp.relationship.ended', version: 1, partnerId, occurredAt: at('2026-12-31'), data: { tenantId: 'a1b2c3d4-0000-4000-8000-000000000001', tier: 1 } },
  'professional.linked': { id: 'evt-0013', type: 'professional.linked', version: 1, partnerId, occurredAt: at('2026-01-15'), data: { learnProfileId: 'learn-7f3a9c', name: 'Ada Lovelace', email: 'ada@contoso.example' } },
  'professional.unlinked': { id: 'evt-0014', type: 'professional.unlinked', version: 1, partnerId, occurredAt: at('2026-08-31'), data: { learnProfileId: 'learn-7f3a9c' } },
  'certification.earned': { id: 'evt-0015', type: 'certification.earned', version: 1, partnerId, occurredAt: at('2026-02-03'), data: { learnProfileId: 'learn-7f3a9c', certificationId: 'AZ-104', earnedOn: '2026-02-03', expiresOn: '2027-02-03' } },
  'certification.renewed': { id: 'evt-0016', type: 'certification.renewed', version: 1, partnerId, occurredAt: at('2026-12-10'), data: { learnProfileId: 'learn-7f3a9c', certificationId: 'AZ-104', renewedOn: '2026-12-10', expiresOn: '2028-02-03' } },
  'certification.expired': { id: 'evt-0017', type: 'certification.expired', version: 1, partnerId, occurredAt: at('2028-02-04'), data: { learnProfileId: 'learn-7f3a9c', certificationId: 'AZ-104', expiredOn: '2028-02-03' } },
  'event.retracted': { id: 'evt-0019', type: 'event.retracted', version: 1, partnerId, occurredAt: at('2026-09-02'), data: { eventId: 'evt-0008', reason: 'Unlinked by mistake in the CRM: the link was never removed' } },
  'partner.updated': { id: 'evt-0020', type: 'partner.updated', version: 1, partnerId, occurredAt: at('2026-01-04'), data: { name: 'Contoso Cloud Services', locationIds: ['4812346', '4812347'], partnerIdAliases: ['1234567'] } },
  'customer.updated': { id: 'evt-0021', type: 'customer.updated', version: 1, partnerId, occurredAt: at('2026-01-05'), data: { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', name: 'Fabrikam Ltd', segment: 'smb', cloud: 'commercial' } },
  'designation.enrolled': { id: 'evt-0022', type: 'designation.enrolled', version: 1, partnerId, occurredAt: at('2026-03-02'), data: { area: 'infrastructure', enrolledOn: '2026-03-01', anniversaryDate: '2027-03-01' } },
  'designation.renewed': { id: 'evt-0023', type: 'designation.renewed', version: 1, partnerId, occurredAt: at('2026-12-15'), data: { area: 'infrastructure', renewedOn: '2026-12-15', anniversaryDate: '2028-03-01' } },
  'designation.lost': { id: 'evt-0024', type: 'designation.lost', version: 1, partnerId, occurredAt: at('2028-03-02'), data: { area: 'infrastructure', lostOn: '2028-03-02' } },
  'track.classified': { id: 'evt-0025', type: 'track.classified', version: 1, partnerId, occurredAt: at('2026-11-03'), data: { area: 'infrastructure', track: 'smb' } },
  'track.unclassified': { id: 'evt-0026', type: 'track.unclassified', version: 1, partnerId, occurredAt: at('2027-01-10'), data: { area: 'infrastructure' } },
  'telemetry.monthly': {
    id: 'evt-0018',
    type: 'telemetry.monthly',
    version: 1,
    partnerId,
    occurredAt: at('2026-02-06'),
    data: { month: '2026-01', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333', acrUsd: 1834.52 },
  },
};
