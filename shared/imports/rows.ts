import { createHash } from 'node:crypto';
import { toIsoDate } from '../lib/dates';
import { AREAS, AREA_NAMES } from '../scoring';
import { validateDelivery } from '../events/validate';
import type { WebhookEvent } from '../events/schemas';
import { COLUMNS, headerKey, type HeaderMapping, type ImportKind } from './columns';
import type { TableRow } from './parse';

/**
 * Turns the rows of an import file into the events the webhook path takes, one row at a time (pure). Every event
 * is checked by the same validation as a webhook delivery (validateDelivery: schemas, dates, certification names);
 * a row whose event fails is refused with its line, the column and the reason, and the other rows still count.
 *
 * Event ids are derived from the partner, the kind and the row's content, so importing the same file again
 * (or the same row in another file) produces the same ids, which the reducers apply once: a re-import changes
 * nothing. A row without a date column is dated at the import's receipt; the date is not part of its id.
 */

export interface RowRefusal {
  line: number;
  /** The file's column (as its header wrote it), or `(row)` when the row as a whole is refused. */
  field: string;
  reason: string;
}

export interface RowEvents {
  line: number;
  events: WebhookEvent[];
}

export interface MappedRows {
  rows: RowEvents[];
  refused: RowRefusal[];
}

export interface MapContext {
  partnerId: string;
  kind: ImportKind;
  mapping: HeaderMapping;
  /** When the file was received: the occurredAt of rows without a date of their own. */
  receivedAt: string;
  now: Date;
  futureToleranceSeconds: number;
}

class RowProblem extends Error {
  constructor(readonly field: string, reason: string) {
    super(reason);
  }
}

type Record_ = Partial<Record<string, string>>;

const key = headerKey;

function pick<T extends string>(field: string, value: string, table: Record<string, T>, expected: string): T {
  const v = table[key(value)];
  if (v === undefined) throw new RowProblem(field, `"${value.slice(0, 100)}" is not ${expected}`);
  return v;
}

const ASSOCIATION_TYPE: Record<string, 'CPOR' | 'PAL' | 'DPOR' | 'CSP'> = {
  cpor: 'CPOR', claimingpartnerofrecord: 'CPOR', customerpartnerofrecord: 'CPOR', claim: 'CPOR',
  pal: 'PAL', partneradminlink: 'PAL',
  dpor: 'DPOR', digitalpartnerofrecord: 'DPOR',
  csp: 'CSP', cloudsolutionprovider: 'CSP', reseller: 'CSP',
};
const PLATFORM: Record<string, string> = {
  azure: 'azure', microsoftazure: 'azure',
  microsoft365: 'microsoft-365', m365: 'microsoft-365', office365: 'microsoft-365', o365: 'microsoft-365',
  dynamics365: 'dynamics-365', d365: 'dynamics-365', dynamics: 'dynamics-365',
  powerplatform: 'power-platform',
};
const TIER: Record<string, '1' | '2'> = { '1': '1', tier1: '1', direct: '1', directbill: '1', directbilling: '1', '2': '2', tier2: '2', indirect: '2', indirectreseller: '2', reseller: '2', indirectprovider: '2' };
/** Microsoft's segment words: Partner Center shows "SMB" or "Enterprise" (sometimes "Corporate" for the latter). */
const SEGMENT: Record<string, 'smb' | 'enterprise'> = { smb: 'smb', smallandmediumbusiness: 'smb', smallmediumbusiness: 'smb', small: 'smb', enterprise: 'enterprise', corporate: 'enterprise', large: 'enterprise' };
const CLOUD: Record<string, 'commercial' | 'government' | 'sovereign'> = { commercial: 'commercial', public: 'commercial', global: 'commercial', worldwide: 'commercial', government: 'government', gcc: 'government', gcchigh: 'government', usgov: 'government', usgovernment: 'government', dod: 'government', sovereign: 'sovereign', china: 'sovereign', '21vianet': 'sovereign', azurechina: 'sovereign' };
const CPOR_ROLE: Record<string, string> = { useorconsume: 'use-or-consume', use: 'use-or-consume', consume: 'use-or-consume', osa: 'osa', advisor: 'osa', buildintentadvisor: 'osa', osu: 'osu', usagerecognition: 'osu', revrec: 'revrec', influencedrevenue: 'revrec', revrecperformance: 'revrec-performance' };
const AREA: Record<string, string> = Object.fromEntries(AREAS.flatMap((a) => [[key(a), a], [key(AREA_NAMES[a]), a]]));

/** Status words per association type, to the event type they mean. The first entry is the default. */
const STATUS_EVENT: Record<'CPOR' | 'PAL' | 'DPOR' | 'CSP', Record<string, WebhookEvent['type']>> = {
  CPOR: { approved: 'cpor.claim.approved', accepted: 'cpor.claim.approved', active: 'cpor.claim.approved', submitted: 'cpor.claim.submitted', pending: 'cpor.claim.submitted', pendingcustomer: 'cpor.claim.submitted', rejected: 'cpor.claim.rejected', disputed: 'cpor.claim.disputed', declined: 'cpor.claim.declined', disassociated: 'cpor.claim.disassociated', removed: 'cpor.claim.disassociated', ended: 'cpor.claim.disassociated' },
  PAL: { linked: 'pal.linked', active: 'pal.linked', unlinked: 'pal.unlinked', removed: 'pal.unlinked', ended: 'pal.unlinked', inactive: 'pal.unlinked' },
  DPOR: { attached: 'dpor.attached', active: 'dpor.attached', detached: 'dpor.detached', removed: 'dpor.detached', ended: 'dpor.detached' },
  CSP: { active: 'csp.relationship.started', started: 'csp.relationship.started', ended: 'csp.relationship.ended', inactive: 'csp.relationship.ended', terminated: 'csp.relationship.ended' },
};

function numberOf(field: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  // Spreadsheets write money with a currency sign and thousands separators: "$1,234.50".
  const cleaned = value.replace(/^[$€£]\s*/, '').replace(/,(?=\d{3}(\D|$))/g, '').replace(/\s*(usd|eur|gbp)$/i, '');
  const n = Number(cleaned);
  if (cleaned === '' || !Number.isFinite(n)) throw new RowProblem(field, `"${value.slice(0, 100)}" is not a number`);
  return n;
}

function dateOf(field: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const d = toIsoDate(value);
  if (!d) throw new RowProblem(field, `"${value.slice(0, 100)}" is not a date (write it YYYY-MM-DD, or as a date cell in a spreadsheet)`);
  return d;
}

function monthOf(field: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(\d{4})[-/](\d{1,2})$/.exec(value.trim());
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}`;
  const d = toIsoDate(value);
  if (!d) throw new RowProblem(field, `"${value.slice(0, 100)}" is not a month (write it YYYY-MM)`);
  return d.slice(0, 7);
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;

/** The event (without id and partner) a row of each kind describes; an event type plus its data and its own date. */
interface Draft {
  type: WebhookEvent['type'];
  data: Record<string, unknown>;
  date?: string;
  /** For a professional's link: one per person and import, however many of the person's rows the file has. */
  once?: string;
}

function associationDraft(r: Record_, typeField: string): Draft {
  const type = pick(typeField, r.associationType ?? '', ASSOCIATION_TYPE, 'an association type: CPOR, PAL, DPOR or CSP');
  const statuses = STATUS_EVENT[type];
  const eventType = r.status ? pick('status', r.status, statuses, `a ${type} status: ${Object.keys(statuses).join(', ')}`) : Object.values(statuses)[0]!;
  const date = dateOf('date', r.date);
  const tenantId = r.tenantId;
  switch (type) {
    case 'CPOR':
      return {
        type: eventType,
        date,
        data: defined({
          claimId: r.claimId,
          tenantId,
          solutionArea: r.solutionArea ? (AREA[key(r.solutionArea)] ?? r.solutionArea) : undefined,
          role: r.role ? (CPOR_ROLE[key(r.role)] ?? r.role) : undefined,
          workloads: r.workloads ? r.workloads.split(/[;,|]/).map((w) => w.trim()).filter(Boolean) : undefined,
          subscriptionId: r.subscriptionId,
          reason: r.reason,
        }),
      };
    case 'PAL':
      return { type: eventType, date, data: defined({ tenantId, objectId: r.objectId, scope: r.scope, role: r.role }) };
    case 'DPOR':
      return { type: eventType, date, data: defined({ tenantId, subscriptionId: r.subscriptionId, workloadFamily: r.workloadFamily }) };
    case 'CSP':
      return { type: eventType, date, data: defined({ tenantId, tier: r.tier ? Number(pick('tier', r.tier, TIER, 'a CSP tier: 1 (direct bill) or 2 (indirect reseller)')) : undefined }) };
  }
}

function drafts(kind: ImportKind, r: Record_): Draft[] {
  switch (kind) {
    case 'customers': {
      // A Partner Center customer list is the partner's CSP customers: each row is a reseller relationship.
      const statuses = STATUS_EVENT.CSP;
      const type = r.status ? pick('status', r.status, statuses, `a relationship status: ${Object.keys(statuses).join(', ')}`) : 'csp.relationship.started';
      const date = dateOf('date', r.date);
      const out: Draft[] = [{ type, date, data: defined({ tenantId: r.tenantId, tier: r.tier ? Number(pick('tier', r.tier, TIER, 'a CSP tier: 1 (direct bill) or 2 (indirect reseller)')) : undefined }) }];
      // The customer's name, segment and cloud as Microsoft shows them: a customer.updated, so the SMB track can apply.
      const profile = defined({
        name: r.customerName,
        segment: r.segment ? pick('segment', r.segment, SEGMENT, 'a segment: SMB or Enterprise') : undefined,
        cloud: r.cloud ? pick('cloud', r.cloud, CLOUD, 'a cloud: commercial, government or sovereign') : undefined,
      });
      if (Object.keys(profile).length) out.push({ type: 'customer.updated', date, data: { tenantId: r.tenantId, ...profile } });
      return out;
    }
    case 'associations':
      return [associationDraft(r, 'associationType')];
    case 'professionals': {
      const linkedOn = dateOf('linkedOn', r.linkedOn);
      const out: Draft[] = [{ type: 'professional.linked', date: linkedOn, data: defined({ learnProfileId: r.learnProfileId, name: r.name, email: r.email }), once: `link\u0000${r.learnProfileId}` }];
      if (r.certification || r.earnedOn || r.expiresOn) {
        if (!r.certification) throw new RowProblem('certification', 'is empty, but the row has certification dates');
        const earnedOn = dateOf('earnedOn', r.earnedOn);
        if (!earnedOn) throw new RowProblem('earnedOn', `is required with a certification (the date ${r.certification.slice(0, 100)} was earned)`);
        const expiresOn = dateOf('expiresOn', r.expiresOn);
        if (expiresOn && expiresOn < earnedOn) throw new RowProblem('expiresOn', `${expiresOn} is before the date earned, ${earnedOn}`);
        out.push({ type: 'certification.earned', date: earnedOn, data: defined({ learnProfileId: r.learnProfileId, certificationId: r.certification, earnedOn, expiresOn }) });
      }
      return out;
    }
    case 'telemetry': {
      const type = pick('associationType', r.associationType ?? '', ASSOCIATION_TYPE, 'an association type: CPOR, PAL, DPOR or CSP');
      return [
        {
          type: 'telemetry.monthly',
          data: defined({
            month: monthOf('month', r.month),
            tenantId: r.tenantId,
            platform: r.platform ? (PLATFORM[key(r.platform)] ?? r.platform) : undefined,
            workload: r.workload,
            associationType: type,
            subscriptionId: r.subscriptionId,
            offer: r.offer ? r.offer.trim().toLowerCase().replace(/\s+/g, '-') : undefined,
            acrUsd: numberOf('acrUsd', r.acrUsd),
            revenueUsd: numberOf('revenueUsd', r.revenueUsd),
            paidSeats: numberOf('paidSeats', r.paidSeats),
            activeUsers: numberOf('activeUsers', r.activeUsers),
            mcvUnits: numberOf('mcvUnits', r.mcvUnits),
            protectedUsers: numberOf('protectedUsers', r.protectedUsers),
          }),
        },
      ];
    }
  }
}

/** The event id of a row's event: the same row content gives the same id in every import of the partner. */
export function importEventId(partnerId: string, kind: ImportKind, draft: Pick<Draft, 'type' | 'data' | 'date'>, occurrence: number): string {
  const h = createHash('sha256').update(JSON.stringify([partnerId, kind, draft.type, draft.data, draft.date ?? null, occurrence])).digest('hex');
  return `import-${h.slice(0, 40)}`;
}

/** The row field behind an event's field path (`data.acrUsd` -> acrUsd), so refusals name the file's column. */
function fieldOfPath(ctx: MapContext, path: string): string {
  const p = path.replace(/^\[\d+\]\.?/, '');
  if (p === 'occurredAt') return ctx.kind === 'professionals' ? (ctx.mapping.headerOf.has('linkedOn') ? 'linkedOn' : 'earnedOn') : 'date';
  if (p === 'partnerId') return 'partnerId';
  const field = p.replace(/^data\.?/, '').split(/[.[]/)[0] ?? '';
  return field === 'certificationId' ? 'certification' : field || '(row)';
}

/** The column a field is read from, as the file's header wrote it (or its documented name when the file lacks it). */
function columnName(ctx: MapContext, field: string): string {
  if (field.startsWith('(')) return field;
  return ctx.mapping.headerOf.get(field) ?? COLUMNS[ctx.kind].find((c) => c.field === field)?.names[0] ?? field;
}

/**
 * A mapper that keeps, across the slices of one file it is given in order, what ids depend on (how often a row's
 * content was seen, whose link was already made): mapping a file in slices gives the same ids as mapping it whole.
 */
export function createRowMapper(ctx: MapContext): { map(rows: readonly TableRow[]): MappedRows } {
  const occurrences = new Map<string, number>();
  const once = new Set<string>();
  return { map: (rows) => mapSlice(ctx, rows, occurrences, once) };
}

/** Maps every row; events of refused rows are left out entirely, so a row is applied whole or not at all. */
export function mapRows(ctx: MapContext, rows: readonly TableRow[]): MappedRows {
  return createRowMapper(ctx).map(rows);
}

function mapSlice(ctx: MapContext, rows: readonly TableRow[], occurrences: Map<string, number>, once: Set<string>): MappedRows {
  const out: RowEvents[] = [];
  const refused: RowRefusal[] = [];
  for (const row of rows) {
    try {
      const r: Record_ = {};
      for (const [i, spec] of ctx.mapping.fields) {
        const cell = row.cells[i];
        if (cell === undefined) continue;
        if (typeof cell !== 'string') throw new RowProblem(spec.field, cell.problem);
        if (cell !== '') r[spec.field] = cell;
      }
      if (r.partnerId !== undefined && r.partnerId !== ctx.partnerId) throw new RowProblem('partnerId', `names partner "${r.partnerId.slice(0, 100)}", but the file is imported for partner ${ctx.partnerId}`);
      const events: WebhookEvent[] = [];
      const counted: [string, number][] = [];
      const onceKeys: string[] = [];
      for (const d of drafts(ctx.kind, r)) {
        if (d.once && once.has(d.once)) continue;
        const base = JSON.stringify([d.type, d.data, d.date ?? null]);
        const n = (occurrences.get(base) ?? 0) + 1;
        const event = {
          id: importEventId(ctx.partnerId, ctx.kind, d, d.once ? 1 : n),
          type: d.type,
          partnerId: ctx.partnerId,
          occurredAt: d.date ? `${d.date}T00:00:00.000Z` : ctx.receivedAt,
          data: d.data,
        };
        const checked = validateDelivery([event], { now: ctx.now, futureToleranceSeconds: ctx.futureToleranceSeconds });
        if (!checked.ok) {
          const first = checked.details[0]!;
          throw new RowProblem(fieldOfPath(ctx, first.path), checked.details.map((x) => `${x.path.replace(/^\[\d+\]\.?/, '').replace(/^data\./, '') || 'the row'} ${x.message}`).join('; '));
        }
        counted.push([base, n]);
        if (d.once) onceKeys.push(d.once);
        events.push(checked.events[0]!);
      }
      // Recorded only once the whole row is good: a refused row's link does not stand in for a later row's.
      for (const [b, n] of counted) occurrences.set(b, n);
      for (const k of onceKeys) once.add(k);
      out.push({ line: row.line, events });
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      refused.push({ line: row.line, field: columnName(ctx, e.field), reason: e.message });
    }
  }
  return { rows: out, refused };
}
