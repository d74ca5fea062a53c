import { generateSnapshot } from '../../tools/fixtures/snapshot-generate';
import type { PartnerSnapshotInput } from '../../shared/scoring';

/** A realistic partner (customers, associations, people with certifications, 24 months of telemetry). */
export function partnerSnapshot(partnerId: string, date: string, size: 'small' | 'medium' = 'small', seed = 7): PartnerSnapshotInput {
  const dims = size === 'small' ? { tenants: 10, associations: 20, professionals: 5 } : { tenants: 30, associations: 60, professionals: 15 };
  return generateSnapshot({ ...dims, months: 24, date, seed, partnerId });
}
