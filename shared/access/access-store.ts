import { deleteDocument, queryPage, readDocument, upsertDocument } from '../store/documents';
import type { Grant, GrantInput, PartnerGroup } from './grants';

/**
 * Grants and partner groups in the `access` container. They are few (tens to hundreds per deployment) and read on
 * every request, so each instance keeps them for a few seconds: a grant given or withdrawn here is seen at once by
 * this instance and within ACCESS_CACHE_MS by the others.
 */

export const ACCESS_CACHE_MS = 5_000;

interface Stamp {
  updatedAt: string;
  updatedBy: string;
}
export type GrantDoc = Grant & Stamp & { kind: 'grant' };
export type PartnerGroupDoc = PartnerGroup & Stamp & { kind: 'partner-group' };

interface StoredGrant extends GrantInput, Stamp {
  id: string;
  kind: 'grant';
  grantId: string;
}
interface StoredGroup extends Stamp {
  id: string;
  kind: 'partner-group';
  groupId: string;
  name?: string;
  partnerIds: string[];
}

const grantDocId = (id: string) => `grant:${id}`;
const groupDocId = (id: string) => `partner-group:${id}`;

const toGrant = ({ grantId, subject, role, partners, partnerGroups, updatedAt, updatedBy }: StoredGrant): GrantDoc => ({
  kind: 'grant',
  id: grantId,
  subject,
  role,
  ...(partners ? { partners } : {}),
  ...(partnerGroups ? { partnerGroups } : {}),
  updatedAt,
  updatedBy,
});
const toGroup = ({ groupId, name, partnerIds, updatedAt, updatedBy }: StoredGroup): PartnerGroupDoc => ({
  kind: 'partner-group',
  id: groupId,
  ...(name !== undefined ? { name } : {}),
  partnerIds,
  updatedAt,
  updatedBy,
});

let cache: { at: number; grants: GrantDoc[]; groups: PartnerGroupDoc[] } | undefined;

/** Forgets the cached model, after a write here (and in tests). */
export function forgetAccessModel(): void {
  cache = undefined;
}

async function queryAll<T>(kind: 'grant' | 'partner-group'): Promise<T[]> {
  const out: T[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await queryPage<T>('access', { query: 'SELECT * FROM c WHERE c.kind = @kind', parameters: [{ name: '@kind', value: kind }] }, { maxItemCount: 1000, continuationToken });
    out.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return out;
}

/** Every grant and partner group, from the instance's cache when it is fresh. */
export async function accessModel(now = Date.now()): Promise<{ grants: GrantDoc[]; groups: PartnerGroupDoc[] }> {
  if (cache && now - cache.at < ACCESS_CACHE_MS) return cache;
  const [grants, groups] = await Promise.all([queryAll<StoredGrant>('grant'), queryAll<StoredGroup>('partner-group')]);
  cache = { at: now, grants: grants.map(toGrant).sort(byId), groups: groups.map(toGroup).sort(byId) };
  return cache;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function putGrant(id: string, input: GrantInput, by: string, now = new Date()): Promise<{ grant: GrantDoc; created: boolean }> {
  const existed = (await readDocument<StoredGrant>('access', grantDocId(id), grantDocId(id))) !== undefined;
  const doc: StoredGrant = { id: grantDocId(id), kind: 'grant', grantId: id, ...input, updatedAt: now.toISOString(), updatedBy: by };
  await upsertDocument('access', doc);
  forgetAccessModel();
  return { grant: toGrant(doc), created: !existed };
}

export async function getGrant(id: string): Promise<GrantDoc | undefined> {
  const doc = await readDocument<StoredGrant>('access', grantDocId(id), grantDocId(id));
  return doc && toGrant(doc);
}

export async function deleteGrant(id: string): Promise<boolean> {
  const deleted = await deleteDocument('access', grantDocId(id), grantDocId(id));
  forgetAccessModel();
  return deleted;
}

export async function putPartnerGroup(id: string, input: { name?: string; partnerIds: string[] }, by: string, now = new Date()): Promise<{ group: PartnerGroupDoc; created: boolean }> {
  const existed = (await readDocument<StoredGroup>('access', groupDocId(id), groupDocId(id))) !== undefined;
  const doc: StoredGroup = { id: groupDocId(id), kind: 'partner-group', groupId: id, ...(input.name !== undefined ? { name: input.name } : {}), partnerIds: [...new Set(input.partnerIds)].sort(), updatedAt: now.toISOString(), updatedBy: by };
  await upsertDocument('access', doc);
  forgetAccessModel();
  return { group: toGroup(doc), created: !existed };
}

export async function getPartnerGroup(id: string): Promise<PartnerGroupDoc | undefined> {
  const doc = await readDocument<StoredGroup>('access', groupDocId(id), groupDocId(id));
  return doc && toGroup(doc);
}

export async function deletePartnerGroup(id: string): Promise<boolean> {
  const deleted = await deleteDocument('access', groupDocId(id), groupDocId(id));
  forgetAccessModel();
  return deleted;
}
