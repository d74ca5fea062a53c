import { z } from 'zod';
import { AREAS, ASSOCIATION_STATUSES, ASSOCIATION_TYPES, CLOUDS, PLATFORMS, SEGMENTS, isoMonthSchema, type AreaId, type Enrollment, type Track } from '../scoring/snapshot';
import { resolveCertification } from '../scoring';
import { DOC_IDS, LIFECYCLE_STATES, type CustomersDoc, type StoredCustomer, type AssociationsDoc, type ProfessionalsDoc, type ProfileDoc, type StoredAssociation, type StoredProfessional, type StoredTelemetryRow, type TelemetryDoc } from './documents';
import { customersOf, readStateDoc } from './state-store';

/**
 * Reading a partner's state for the API: point reads of the aggregate documents, then filtering and
 * paging in memory. The continuation token is an opaque offset bound to the filter it was issued for.
 */

const pageParams = {
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Items per page (1-500).'),
  continuationToken: z.string().min(1).max(500).optional().describe('From the previous page; repeat the same filters.'),
};

export const associationFilterSchema = z.object({
  type: z.enum(ASSOCIATION_TYPES).optional(),
  status: z.enum(ASSOCIATION_STATUSES).optional(),
  lifecycle: z.enum(LIFECYCLE_STATES).optional(),
  tenantId: z.string().min(1).optional(),
  solutionArea: z.enum(AREAS).optional(),
  ...pageParams,
});

export const professionalFilterSchema = z.object({
  linked: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  // Named as in the events (id, Learn name or exam code); an unresolved value is kept, so an old stored id still matches.
  certificationId: z.string().min(1).optional().transform((v) => (v === undefined ? undefined : (resolveCertification(v) ?? v))).describe('Only people holding this certification: its id, Microsoft Learn name or an exam code.'),
  ...pageParams,
});

export const telemetryFilterSchema = z
  .object({
    month: isoMonthSchema.optional(),
    from: isoMonthSchema.optional().describe('First month (YYYY-MM), inclusive.'),
    to: isoMonthSchema.optional().describe('Last month (YYYY-MM), inclusive.'),
    tenantId: z.string().min(1).optional(),
    workload: z.string().min(1).optional(),
    platform: z.enum(PLATFORMS).optional(),
    associationType: z.enum(ASSOCIATION_TYPES).optional(),
    ...pageParams,
  })
  .refine((f) => !(f.from && f.to && f.from > f.to), { path: ['from'], message: 'must not be after to' });

export const customerFilterSchema = z.object({
  segment: z.enum(SEGMENTS).optional(),
  cloud: z.enum(CLOUDS).optional(),
  ...pageParams,
});

export class InvalidTokenError extends Error {}

export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

function filterKey(filter: Record<string, unknown>): string {
  const { limit: _l, continuationToken: _c, ...rest } = filter;
  return JSON.stringify(Object.entries(rest).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function paginate<T>(all: T[], filter: { limit: number; continuationToken?: string } & Record<string, unknown>): Page<T> {
  const key = filterKey(filter);
  let offset = 0;
  if (filter.continuationToken) {
    try {
      const t = JSON.parse(Buffer.from(filter.continuationToken, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
      if (typeof t.o !== 'number' || !Number.isInteger(t.o) || t.o < 0 || t.f !== key) throw new Error();
      offset = t.o;
    } catch {
      throw new InvalidTokenError('continuationToken is not a token from a previous page with the same filters');
    }
  }
  const items = all.slice(offset, offset + filter.limit);
  const next = offset + items.length;
  return { items, ...(next < all.length ? { continuationToken: Buffer.from(JSON.stringify({ o: next, f: key })).toString('base64url') } : {}) };
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);


export async function queryAssociations(partnerId: string, filter: z.output<typeof associationFilterSchema>): Promise<Page<StoredAssociation> | undefined> {
  const [profile, doc] = await Promise.all([readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile), readStateDoc<AssociationsDoc>(partnerId, DOC_IDS.associations)]);
  if (!profile && !doc) return undefined;
  const all = Object.values(doc?.items ?? {})
    .filter((a) => (!filter.type || a.type === filter.type) && (!filter.status || a.status === filter.status) && (!filter.lifecycle || a.lifecycle === filter.lifecycle))
    .filter((a) => (!filter.tenantId || a.tenantId === filter.tenantId) && (!filter.solutionArea || a.solutionArea === filter.solutionArea))
    .sort(byId);
  return paginate(all, filter);
}

export async function queryProfessionals(partnerId: string, filter: z.output<typeof professionalFilterSchema>): Promise<Page<StoredProfessional> | undefined> {
  const [profile, doc] = await Promise.all([readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile), readStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals)]);
  if (!profile && !doc) return undefined;
  const all = Object.values(doc?.items ?? {})
    .filter((p) => (filter.linked === undefined || p.linked === filter.linked) && (!filter.certificationId || p.certifications[filter.certificationId] !== undefined))
    .sort(byId);
  return paginate(all, filter);
}

export async function queryTelemetry(partnerId: string, filter: z.output<typeof telemetryFilterSchema>): Promise<Page<StoredTelemetryRow> | undefined> {
  const profile = await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile);
  if (!profile) return undefined;
  const months = profile.telemetryMonths.filter((m) => (!filter.month || m === filter.month) && (!filter.from || m >= filter.from) && (!filter.to || m <= filter.to)).sort();
  const docs = await Promise.all(months.map((m) => readStateDoc<TelemetryDoc>(partnerId, DOC_IDS.telemetry(m))));
  const rows = docs.flatMap((d) =>
    Object.entries(d?.rows ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r),
  );
  const all = rows.filter(
    (r) => (!filter.tenantId || r.tenantId === filter.tenantId) && (!filter.workload || r.workload === filter.workload) && (!filter.platform || r.platform === filter.platform) && (!filter.associationType || r.associationType === filter.associationType),
  );
  return paginate(all, filter);
}

/** A partner's profile as the profile events left it (partner.updated, designation.*, track.*), without its customers. */
export interface PartnerProfile {
  partnerId: string;
  name?: string;
  locationIds?: string[];
  partnerIdAliases?: string[];
  enrollments: Enrollment[];
  /** The track Partner Center shows per classified area, and since when (absent for an imported override). */
  tracks: { area: AreaId; track: Track; classifiedOn?: string }[];
  customers: number;
}

/** The profile and its customers shards, read in parallel once the profile says which shards exist. */
async function readProfileWithCustomers(partnerId: string): Promise<{ p: ProfileDoc; customers: StoredCustomer[] } | undefined> {
  const p = await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile);
  if (!p) return undefined;
  const shards = await Promise.all((p.customerShards ?? []).map((x) => readStateDoc<CustomersDoc>(partnerId, DOC_IDS.customers(x))));
  return { p, customers: customersOf(p, shards.filter((d): d is CustomersDoc => d !== undefined)) };
}

export async function readPartnerProfile(partnerId: string): Promise<PartnerProfile | undefined> {
  const found = await readProfileWithCustomers(partnerId);
  if (!found) return undefined;
  const { p } = found;
  const tracks = AREAS.flatMap((area) => {
    const track = p.trackOverrides?.[area];
    const on = p.trackClassifiedOn?.[area];
    return track ? [{ area, track, ...(on ? { classifiedOn: on } : {}) }] : [];
  });
  return {
    partnerId,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.locationIds ? { locationIds: p.locationIds } : {}),
    ...(p.partnerIdAliases ? { partnerIdAliases: p.partnerIdAliases } : {}),
    enrollments: p.enrollments,
    tracks,
    customers: found.customers.length,
  };
}

/** Customer tenants (customer.updated) without their event facts, by tenant id. */
export async function queryCustomers(partnerId: string, filter: z.output<typeof customerFilterSchema>): Promise<Page<Omit<StoredCustomer, 'facts'>> | undefined> {
  const found = await readProfileWithCustomers(partnerId);
  if (!found) return undefined;
  const all = found.customers
    .filter((c) => (!filter.segment || c.segment === filter.segment) && (!filter.cloud || c.cloud === filter.cloud))
    .sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0))
    .map(({ facts: _f, ...c }) => c);
  return paginate(all, filter);
}
