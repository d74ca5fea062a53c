import { monthIndex } from '../lib/dates';
import { SPAN, type Slot, type SlotPool } from './slots';
import type { AssociationType, Platform, TelemetryRow } from './snapshot';
import { WORKLOAD_ALIASES } from './workload-aliases';

/** Rows of one tenant with the same workload, association type, subscription and offer: acceptance is decided once for all their months. */
export interface Stream {
  tenantId: string;
  /** Dense tenant number within one call, for membership arrays instead of sets. */
  tenantNo: number;
  workload: string;
  key: string;
  associationType: AssociationType;
  subscriptionId: string | undefined;
  offer: string;
  platform: Platform;
  /** The stream's own values (a Slot: the stream object doubles as one, saving an object per stream). */
  values: Slot;
  buffer: Float64Array;
  offset: number;
  ownedBySource: boolean;
  /**
   * Association kinds ('PAL', 'CPOR:osu', ...) of this stream, with the earliest start month of one in place on the
   * date (-1: none is) and the months any was in place (bits of months-ago); computed on first use (see
   * matchAssociations). Almost every stream has one kind, so only a second one needs arrays.
   */
  associationsMatched: boolean;
  firstKind: string | undefined;
  firstKindStart: number;
  firstKindMonths: number;
  otherKinds: string[] | undefined;
  otherKindStarts: number[] | undefined;
  otherKindMonths: number[] | undefined;
  /** Months (bits of months-ago) with at least one row, so masking a month without data costs nothing. */
  dataMonths: number;
  /** Scratch: the association start month for the source being built (-1 when not required). */
  acceptedStart: number;
  /** Scratch: the values the source being built reads (the stream's own, or a copy without the months no association covered). */
  acceptedValues: Slot;
}

/**
 * Module-level on purpose: workload names repeat across every row and every call, and rules compare them as keys.
 * Bound: at most 10,000 names are remembered; past that, keys are computed without being stored.
 */
const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 10_000;

/** Workload names from Partner Center ("Exchange Online", "Key Vault"), the rule pages' other names for them and rule ids ("exchange-online") compare equal. */
export function workloadKey(name: string): string {
  let k = keyCache.get(name);
  if (k === undefined) {
    const normalised = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    k = WORKLOAD_ALIASES[normalised] ?? normalised;
    if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(name, k);
  }
  return k;
}

/**
 * Groups telemetry rows into streams (tenant x workload x association type x subscription x offer) with their
 * monthly values, per platform and grouped by tenant. A standalone function so V8 optimises the hot loop on its own.
 */
export function indexTelemetry(rows: readonly TelemetryRow[], monthNow: number, pool: SlotPool): { byPlatform: Map<Platform, Stream[]>; tenantCount: number } {
  const index = new Map<string, Stream[]>();
  let lastNo = -1;
  // Rows usually come grouped by tenant and month, so the last lookups are remembered to skip most hashing.
  let lastTenant = '';
  let lastList: Stream[] = [];
  let lastMonth = '';
  let lastAgo = 0;
  const agoOf = new Map<string, number>();
  const span = SPAN;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let ago = lastAgo;
    if (row.month !== lastMonth) {
      const known = agoOf.get(row.month);
      if (known === undefined) agoOf.set(row.month, (ago = monthNow - monthIndex(row.month)));
      else ago = known;
      lastMonth = row.month;
      lastAgo = ago;
    }
    // Future months are unknown on the date; rules never look further back than SPAN.
    if (ago < 1 || ago >= span) continue;
    const offer = row.offer ?? 'standard';
    let list = lastList;
    if (row.tenantId !== lastTenant) {
      let l = index.get(row.tenantId);
      if (!l) index.set(row.tenantId, (l = []));
      list = lastList = l;
      lastTenant = row.tenantId;
      lastNo = l.length > 0 ? l[0]!.tenantNo : index.size - 1;
    }
    let st: Stream | undefined;
    for (let i = 0; i < list.length; i++) {
      const x = list[i]!;
      if (x.workload === row.workload && x.associationType === row.associationType && x.platform === row.platform && x.subscriptionId === row.subscriptionId && x.offer === offer) {
        st = x;
        break;
      }
    }
    if (!st) {
      const at = pool.take();
      st = {
        tenantId: row.tenantId,
        tenantNo: lastNo,
        workload: row.workload,
        key: workloadKey(row.workload),
        associationType: row.associationType,
        subscriptionId: row.subscriptionId,
        offer,
        platform: row.platform,
        values: undefined as unknown as Slot,
        buffer: pool.chunkArray(),
        offset: at,
        ownedBySource: false,
        acceptedStart: -1,
        dataMonths: 0,
        associationsMatched: false,
        firstKind: undefined,
        firstKindStart: -1,
        firstKindMonths: 0,
        otherKinds: undefined,
        otherKindStarts: undefined,
        otherKindMonths: undefined,
        acceptedValues: undefined as unknown as Slot,
      };
      st.values = st;
      st.acceptedValues = st;
      list.push(st);
    }
    st.dataMonths |= 1 << ago;
    const v = st.buffer;
    const o = st.offset + ago;
    if (row.acrUsd !== undefined) v[o]! += row.acrUsd;
    if (row.revenueUsd !== undefined) v[o + span]! += row.revenueUsd;
    if (row.mcvUnits !== undefined) v[o + 4 * span]! += row.mcvUnits;
    if (row.paidSeats !== undefined && row.paidSeats > v[o + 2 * span]!) v[o + 2 * span] = row.paidSeats;
    if (row.activeUsers !== undefined && row.activeUsers > v[o + 3 * span]!) v[o + 3 * span] = row.activeUsers;
    if (row.protectedUsers !== undefined && row.protectedUsers > v[o + 5 * span]!) v[o + 5 * span] = row.protectedUsers;
  }
  const byPlatform = new Map<Platform, Stream[]>();
  for (const list of index.values()) {
    for (const st of list) {
      let plist = byPlatform.get(st.platform);
      if (!plist) byPlatform.set(st.platform, (plist = []));
      plist.push(st);
    }
  }
  return { byPlatform, tenantCount: index.size };
}
