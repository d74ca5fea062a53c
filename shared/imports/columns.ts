/**
 * The columns an import file may have, per record kind: the field each column fills, the header names it is known
 * by (ours, then the ones Partner Center's downloads and common spreadsheets use), and whether it is required.
 * Headers match case, spacing and punctuation insensitively ("Customer tenant ID" = "customer_tenant_id").
 * docs/imports.md is the reader's copy of this table; test/imports checks that every name here is in it.
 */

export const IMPORT_KINDS = ['customers', 'associations', 'professionals', 'telemetry'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ColumnSpec {
  /** The field of the row the column fills. */
  field: string;
  /** Header names, as documented; matched after `headerKey`. The first is the documented name. */
  names: readonly string[];
  required?: boolean;
  /** A column that is recognised but stored nowhere yet: reported as ignored with this reason, never silently dropped. */
  ignored?: string;
}

/** Lowercase letters and digits only: "Customer Tenant ID", "customer_tenant_id" and "CustomerTenantId" are one header. */
export const headerKey = (header: string): string => header.normalize('NFKC').toLowerCase().replace(/[^a-z0-9]/g, '');

const tenantId: ColumnSpec = { field: 'tenantId', names: ['tenant_id', 'Customer tenant ID', 'Tenant Id', 'Customer tenant', 'Customer ID', 'Microsoft ID', 'Directory ID', 'tenant'], required: true };
/** Partner Center downloads carry the partner's own id; when present it must be the partner the file is imported for. */
const partnerId: ColumnSpec = { field: 'partnerId', names: ['partner_id', 'PartnerID', 'MPN ID', 'Partner Center ID', 'Partner location ID', 'Location ID'] };
const subscriptionId: ColumnSpec = { field: 'subscriptionId', names: ['subscription_id', 'Subscription ID', 'Azure subscription ID', 'Subscription'] };
const associationType: ColumnSpec = { field: 'associationType', names: ['association_type', 'Association type', 'Association', 'Attribution type', 'Partner association type'], required: true };

export const COLUMNS: Record<ImportKind, readonly ColumnSpec[]> = {
  customers: [
    tenantId,
    partnerId,
    { field: 'tier', names: ['tier', 'CSP tier', 'Relationship', 'Relationship type', 'Reseller relationship', 'Billing type'], required: true },
    { field: 'status', names: ['status', 'Relationship status', 'State'] },
    { field: 'date', names: ['date', 'Start date', 'Relationship start date', 'End date', 'Effective date', 'occurred_at'] },
    { field: 'customerName', names: ['customer_name', 'Customer Name', 'Company name', 'Organization name', 'Name'] },
    { field: 'domain', names: ['domain', 'Primary domain', 'Domain name'], ignored: 'no event carries a customer\'s domain' },
    { field: 'segment', names: ['segment', 'Customer segment', 'Segment (SMB/Enterprise)'] },
    { field: 'cloud', names: ['cloud', 'Cloud', 'Cloud instance', 'Cloud environment'] },
  ],
  associations: [
    associationType,
    tenantId,
    partnerId,
    { field: 'status', names: ['status', 'Claim status', 'State', 'Association status'] },
    { field: 'date', names: ['date', 'Association date', 'Claim date', 'Approved date', 'Approved on', 'Start date', 'Linked on', 'Effective date', 'occurred_at'] },
    { field: 'claimId', names: ['claim_id', 'Claim ID', 'CPOR claim ID', 'Association ID'] },
    { field: 'solutionArea', names: ['solution_area', 'Solution area', 'Area'] },
    { field: 'role', names: ['role', 'Partner role', 'Claim role', 'RBAC role', 'Role name'] },
    { field: 'workloads', names: ['workloads', 'Workload', 'Workload(s)', 'Claimed workloads'] },
    subscriptionId,
    { field: 'objectId', names: ['object_id', 'Object ID', 'User object ID', 'Service principal ID', 'Principal ID'] },
    { field: 'scope', names: ['scope', 'RBAC scope', 'Resource scope'] },
    { field: 'workloadFamily', names: ['workload_family', 'Product family', 'Product', 'Service family'] },
    { field: 'tier', names: ['tier', 'CSP tier', 'Relationship', 'Relationship type'] },
    { field: 'reason', names: ['reason', 'Note', 'Notes', 'Comment', 'Comments'] },
  ],
  professionals: [
    { field: 'learnProfileId', names: ['learn_profile_id', 'Learn profile ID', 'Microsoft Learn profile ID', 'Learn ID', 'Profile ID', 'Professional ID'], required: true },
    partnerId,
    { field: 'name', names: ['name', 'Full name', 'Display name', 'Professional name', 'Employee name'] },
    { field: 'email', names: ['email', 'E-mail', 'Email address', 'Work email', 'UPN', 'User principal name'] },
    { field: 'linkedOn', names: ['linked_on', 'Linked date', 'Association date', 'Associated on'] },
    { field: 'certification', names: ['certification', 'Certification name', 'Certification ID', 'Certification title', 'Credential', 'Exam', 'Exam code', 'Exam number'] },
    { field: 'earnedOn', names: ['earned_on', 'Earned', 'Date earned', 'Earned date', 'Issued on', 'Awarded on', 'Certification date'] },
    { field: 'expiresOn', names: ['expires_on', 'Expires', 'Expiration', 'Expiration date', 'Expiry', 'Expiry date'] },
  ],
  telemetry: [
    { field: 'month', names: ['month', 'Reporting month', 'Usage month', 'Month (YYYY-MM)', 'Period', 'Year month'], required: true },
    tenantId,
    partnerId,
    { field: 'platform', names: ['platform', 'Product platform', 'Cloud product'], required: true },
    { field: 'workload', names: ['workload', 'Service', 'Service level 2', 'Service name', 'Workload name', 'Meter category'], required: true },
    associationType,
    subscriptionId,
    { field: 'offer', names: ['offer', 'Offer type'] },
    { field: 'acrUsd', names: ['acr_usd', 'ACR', 'ACR (USD)', 'Azure consumed revenue', 'Azure consumed revenue (USD)', 'Consumed revenue'] },
    { field: 'revenueUsd', names: ['revenue_usd', 'Revenue', 'Revenue (USD)', 'Billed revenue', 'Billed revenue (USD)'] },
    { field: 'paidSeats', names: ['paid_seats', 'Paid seats', 'Paid available units', 'Seats', 'Licenses'] },
    { field: 'activeUsers', names: ['active_users', 'Active users', 'Monthly active users', 'MAU'] },
    { field: 'mcvUnits', names: ['mcv_units', 'MCV units', 'MCV'] },
    { field: 'protectedUsers', names: ['protected_users', 'Protected users'] },
  ],
};

export interface HeaderMapping {
  kind: ImportKind;
  /** Column index to field, for the columns that fill one. */
  fields: Map<number, ColumnSpec>;
  /** The header as the file wrote it, per field: refusals name the file's own column. */
  headerOf: Map<string, string>;
  /** Columns the file has that this service does not read, and why. */
  ignored: { column: string; reason: string }[];
}

export type HeaderResult = { ok: true; mapping: HeaderMapping } | { ok: false; message: string; missing: string[] };

function lookup(kind: ImportKind): Map<string, ColumnSpec> {
  const m = new Map<string, ColumnSpec>();
  for (const c of COLUMNS[kind]) for (const n of c.names) m.set(headerKey(n), c);
  return m;
}

/** Which kind a header row is, when the caller did not say: the most specific columns decide. */
export function detectKind(header: readonly string[]): ImportKind | undefined {
  const keys = new Set(header.map(headerKey));
  const has = (kind: ImportKind, field: string) => COLUMNS[kind].find((c) => c.field === field)!.names.some((n) => keys.has(headerKey(n)));
  if (has('telemetry', 'month')) return 'telemetry';
  if (has('professionals', 'learnProfileId') || has('professionals', 'certification')) return 'professionals';
  if (has('associations', 'associationType')) return 'associations';
  if (has('customers', 'tenantId')) return 'customers';
  return undefined;
}

/** Maps a header row to the fields of `kind`; the answer names every required column that is missing. */
export function mapHeader(kind: ImportKind, header: readonly string[]): HeaderResult {
  const known = lookup(kind);
  const fields = new Map<number, ColumnSpec>();
  const headerOf = new Map<string, string>();
  const ignored: HeaderMapping['ignored'] = [];
  header.forEach((h, i) => {
    if (!h.trim()) return;
    const spec = known.get(headerKey(h));
    if (!spec) return void ignored.push({ column: h, reason: `not a column of a ${kind} import (see docs/imports.md)` });
    if (headerOf.has(spec.field)) return void ignored.push({ column: h, reason: `a second column for ${spec.names[0]} (the first, "${headerOf.get(spec.field)}", is read)` });
    if (spec.ignored) return void ignored.push({ column: h, reason: spec.ignored });
    fields.set(i, spec);
    headerOf.set(spec.field, h);
  });
  const missing = COLUMNS[kind].filter((c) => c.required && !headerOf.has(c.field)).map((c) => c.names[0]!);
  if (missing.length) {
    const accepted = COLUMNS[kind].filter((c) => c.required && !headerOf.has(c.field)).map((c) => `${c.names[0]} (or ${c.names.slice(1, 4).map((n) => `"${n}"`).join(', ')})`);
    return { ok: false, missing, message: `The header row of a ${kind} import is missing the column${missing.length > 1 ? 's' : ''} ${accepted.join('; ')}. Found: ${header.filter((h) => h.trim()).map((h) => `"${h}"`).join(', ') || 'no headers'}.` };
  }
  return { ok: true, mapping: { kind, fields, headerOf, ignored } };
}
