import { z } from 'zod';
import { partnerIdSchema } from '../lib/ids';
import type { Principal } from './principal';

/**
 * What a caller may do: roles on partners, given to a caller directly or through its Entra app roles and groups.
 *
 * - `partner.reader`: read the partner's state, scores, history, forecast, alerts and settings;
 * - `partner.editor`: as reader, and change them (notification, certification sources, transcripts, imports,
 *   simulations);
 * - `operator`: every partner, and the service itself (runs, dead letters, grants).
 *
 * A grant names its subject (a user or app by object id, an Entra group by object id, or an app role value) and
 * its scope (partner ids, partner groups, or every partner). An app role value may also carry a grant itself:
 * `partner.reader:<partnerId>`, `partner.editor:group:<partner group id>`, `operator`.
 */

export const ACCESS_ROLES = ['partner.reader', 'partner.editor', 'operator'] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

const subjectSchema = z.object({
  kind: z.enum(['user', 'app', 'group', 'app-role']).describe('user or app: an Entra object id; group: an Entra group object id; app-role: an app role value of the app registration.'),
  id: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});

const groupIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1 to 63 lower-case letters, digits or hyphens, starting with a letter or digit');

/** A grant as the API takes it (PUT /api/access/grants/{id}). */
export const grantInputSchema = z
  .object({
    subject: subjectSchema,
    role: z.enum(ACCESS_ROLES),
    partners: z.array(partnerIdSchema).max(1000, 'must list at most 1000 partners; use a partner group for more').optional().describe('Partner ids the role applies to.'),
    partnerGroups: z.array(groupIdSchema).max(100).optional().describe('Partner groups the role applies to.'),
  })
  .strict()
  .refine((g) => g.role === 'operator' || (g.partners?.length ?? 0) + (g.partnerGroups?.length ?? 0) > 0, {
    path: ['partners'],
    message: 'a partner.reader or partner.editor grant must name at least one partner or partner group',
  })
  .refine((g) => g.role !== 'operator' || (g.partners === undefined && g.partnerGroups === undefined), {
    path: ['role'],
    message: 'operator applies to every partner; leave partners and partnerGroups out',
  });
export type GrantInput = z.infer<typeof grantInputSchema>;

export const partnerGroupInputSchema = z.object({ partnerIds: z.array(partnerIdSchema).max(10_000), name: z.string().max(200).optional() }).strict();
export { groupIdSchema as partnerGroupIdSchema };

export interface Grant extends GrantInput {
  id: string;
}
export interface PartnerGroup {
  id: string;
  name?: string;
  partnerIds: string[];
}

/** What one caller may do, resolved once per request. */
export interface Access {
  operator: boolean;
  /** Partners the caller may read and edit; `edit` is a subset of `read`. */
  read: ReadonlySet<string>;
  edit: ReadonlySet<string>;
}

export const NO_ACCESS: Access = { operator: false, read: new Set(), edit: new Set() };
export const FULL_ACCESS: Access = { operator: true, read: new Set(), edit: new Set() };

/** The grants an app role value carries by itself (`operator`, `partner.reader:<id>`, `partner.editor:group:<id>`). */
export function grantsOfRoleValue(value: string): GrantInput[] {
  if (value === 'operator') return [{ subject: { kind: 'app-role', id: value }, role: 'operator' }];
  const m = /^(partner\.reader|partner\.editor):(group:)?(.+)$/.exec(value);
  if (!m) return [];
  const role = m[1] as 'partner.reader' | 'partner.editor';
  if (m[2]) return groupIdSchema.safeParse(m[3]).success ? [{ subject: { kind: 'app-role', id: value }, role, partnerGroups: [m[3]!] }] : [];
  return partnerIdSchema.safeParse(m[3]).success ? [{ subject: { kind: 'app-role', id: value }, role, partners: [m[3]!] }] : [];
}

/** True when `grant` names this caller (directly, through one of its groups or one of its app roles). */
export function grantApplies(grant: Pick<GrantInput, 'subject'>, p: Principal): boolean {
  const { kind, id } = grant.subject;
  if (kind === 'user' || kind === 'app') return p.kind === kind && p.id === id;
  if (kind === 'group') return p.groups.includes(id);
  return p.roles.includes(id);
}

/** Resolves a caller's access from the stored grants and partner groups and its own app roles. */
export function accessOf(p: Principal, grants: readonly GrantInput[], groups: readonly PartnerGroup[]): Access {
  const byGroup = new Map(groups.map((g) => [g.id, g.partnerIds]));
  const read = new Set<string>();
  const edit = new Set<string>();
  const applicable = [...grants.filter((g) => grantApplies(g, p)), ...p.roles.flatMap(grantsOfRoleValue)];
  if (applicable.some((g) => g.role === 'operator')) return FULL_ACCESS;
  for (const g of applicable) {
    const partners = [...(g.partners ?? []), ...(g.partnerGroups ?? []).flatMap((id) => byGroup.get(id) ?? [])];
    for (const id of partners) {
      read.add(id);
      if (g.role === 'partner.editor') edit.add(id);
    }
  }
  return { operator: false, read, edit };
}

export type Need = 'read' | 'edit' | 'operate';

/** Whether `access` allows `need` on `partnerId` (operate needs no partner). */
export function allows(access: Access, need: Need, partnerId?: string): boolean {
  if (access.operator) return true;
  if (need === 'operate' || partnerId === undefined) return false;
  return (need === 'read' ? access.read : access.edit).has(partnerId);
}

/** The partners of `ids` the caller may read, for list routes: an unpermitted partner is simply not there. */
export function readablePartners(access: Access, ids: readonly string[]): string[] {
  return access.operator ? [...ids] : ids.filter((id) => access.read.has(id));
}
