import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { getSettings, resetSettingsCache } from '../../shared/config/settings';
import { DOC_IDS, type ProfessionalsDoc, type ProfileDoc, type StoredCertification, type StoredProfessional } from '../../shared/state/documents';
import { initProfessionals, initProfile, readStateDoc, updateStateDoc } from '../../shared/state/state-store';
import { createDatabaseAndContainers, resetCosmosClientForTests } from '../../shared/store/cosmos';
import { resetBlobServiceForTests } from '../../shared/storage/blob';

export const suffix = () => randomBytes(4).toString('hex');

/**
 * Points this test process at the run's emulators with a database of its own (the host child inherits it),
 * so a certification sync run lists only this file's partners.
 */
export async function useOwnDatabase(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const env = {
    COSMOS_ENDPOINT: inject('cosmosEndpoint'),
    COSMOS_KEY: 'test',
    COSMOS_DATABASE: `certsync-${suffix()}`,
    COSMOS_CREATE_CONTAINERS: 'true',
    AzureWebJobsStorage: inject('storageConnectionString'),
    ...extra,
  };
  Object.assign(process.env, env);
  resetSettingsCache();
  resetCosmosClientForTests();
  resetBlobServiceForTests();
  await createDatabaseAndContainers(getSettings());
  return env;
}

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
