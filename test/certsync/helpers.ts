import { DOC_IDS, type ProfessionalsDoc, type ProfileDoc, type StoredCertification, type StoredProfessional } from '../../shared/state/documents';
import { initProfessionals, initProfile, readStateDoc, updateStateDoc } from '../../shared/state/state-store';

export function professional(id: string, extra: Partial<StoredProfessional> = {}, certs: StoredCertification[] = []): StoredProfessional {
  return { id, linked: true, linkedOn: '2025-01-01', linkHistory: ['2025-01-01'], certifications: Object.fromEntries(certs.map((c) => [c.certificationId, c])), updatedAt: '2026-01-01T00:00:00.000Z', lastEventId: 'seed', ...extra };
}

/** Creates a partner's profile and professionals documents the way the webhook path leaves them. */
export async function seedPartner(partnerId: string, professionals: StoredProfessional[]): Promise<void> {
  await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), () => true);
  await updateStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, initProfessionals(partnerId), (d) => {
    for (const p of professionals) d.items[p.id] = p;
    return true;
  });
}

export const readProfessionals = async (partnerId: string) => (await readStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals))!;
export const readProfile = async (partnerId: string) => (await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile))!;
