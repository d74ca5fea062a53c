import type { ScoringContext } from './context';
import { monthLabel } from '../lib/dates';
import { fmt } from './explain';
import { meets, monthTotal, valueAt } from './metrics/criteria';
import { allRuleSets } from './rules';
import type { AreaRules } from './rules/schema';
import { AREAS, type AreaId, type Track } from './snapshot';

/**
 * Classified areas (Azure since 2026, Business Applications) put the partner in one track. Partner Center shows
 * the track, so a snapshot's trackOverrides wins over the engine's own classification.
 */
export function classify(ctx: ScoringContext, area: AreaId, rules: AreaRules): { track: Track; reason: string } {
  if (rules.trackMode === 'single') return { track: 'enterprise', reason: 'this rule version has a single track' };
  if (rules.trackMode === 'best-of') return { track: 'enterprise', reason: 'both tracks computed; the higher total is used' };
  const override = ctx.snapshot.trackOverrides?.[area];
  const classifiedOn = ctx.snapshot.trackClassifiedOn?.[area];
  if (override && !classifiedOn) return { track: override, reason: `track set in the snapshot (as shown in Partner Center): ${override}` };
  if (override && classifiedOn! <= ctx.date) return { track: override, reason: `track ${TRACK_LABELS[override]}: classified by Partner Center on ${classifiedOn}` };
  const own = engineReading(ctx, rules);
  // A classification dated after the scored day did not exist yet on that day.
  if (override) return { ...own, reason: `${own.reason}; Partner Center classifies it ${TRACK_LABELS[override]} from ${classifiedOn}` };
  return own;
}

export const TRACK_LABELS: Record<Track, string> = { smb: 'SMB', enterprise: 'Enterprise' };

/**
 * Areas whose track some rule version classifies (rather than having one track or taking the better of two): the
 * only areas a Partner Center track classification can change.
 */
export function classifiedAreas(): AreaId[] {
  const out = new Set<AreaId>();
  for (const rs of allRuleSets()) for (const [area, r] of Object.entries(rs.areas) as [AreaId, AreaRules][]) if (r.trackMode === 'classified') out.add(area);
  return AREAS.filter((a) => out.has(a));
}

/** The engine's own classification from the partner's customers and revenue (rules reference: tracks). */
function engineReading(ctx: ScoringContext, rules: AreaRules): { track: Track; reason: string } {
  const c = rules.classification!;
  const last = ctx.monthNow - 1;
  if (c.kind === 'customer-segment-share') {
    const data = ctx.sourceData(c.sources);
    let customers = 0;
    let smb = 0;
    let unknown = 0;
    let ttmAcr = 0;
    for (let ti = 0; ti < data.ids.length; ti++) {
      const tenant = data.ids[ti]!;
      const months = data.series(ti);
      for (let i = 0; i < 12; i++) ttmAcr += monthTotal(months, last - i, 'acrUsd');
      if (monthTotal(months, last, 'acrUsd') <= 0) continue;
      customers++;
      const seg = ctx.segments.get(tenant);
      if (seg === 'smb') smb++;
      else if (!seg) unknown++;
    }
    if (customers === 0) return { track: 'enterprise', reason: `no customer with Azure consumption in ${monthLabel(last)}; Enterprise by default` };
    const share = smb / customers;
    let isSmb = meets(share, c.smbShare);
    let reason = `${smb} of ${customers} customers with consumption in ${monthLabel(last)} are SMB (${fmt(share * 100)}%; SMB needs ${c.smbShare.inclusive ? 'at least' : 'more than'} ${fmt(c.smbShare.value * 100)}%)`;
    if (unknown > 0) reason += `; ${unknown} without a segment counted as not SMB`;
    if (isSmb && ctx.settings.azureSmbRule === 'customer-share-and-acr' && ttmAcr >= c.acrCeilingUsd) {
      isSmb = false;
      reason += `; but 12-month ACR ${fmt(ttmAcr)} USD is not under ${fmt(c.acrCeilingUsd)}`;
    }
    return { track: isSmb ? 'smb' : 'enterprise', reason };
  }
  const data = ctx.sourceData(c.sources);
  const qualifying = new Set<string>();
  {
    for (let i = 0; i < data.keys.length; i++) {
      const w = data.keys[i]!;
      const values = data.slots[i]!;
      if (qualifying.has(w)) continue;
      let all = true;
      for (const m of c.monthsAgo) if (!meets(valueAt(values, ctx.monthNow, ctx.monthNow - m, 'revenueUsd'), c.revenue)) all = false;
      if (all) qualifying.add(w);
    }
  }
  const n = qualifying.size;
  const months = c.monthsAgo.map((m) => monthLabel(ctx.monthNow - m)).join(' and ');
  const reason = `${n} workload${n === 1 ? '' : 's'} with ${c.revenue.inclusive ? 'at least' : 'more than'} ${fmt(c.revenue.value)} USD revenue in a customer tenant in both ${months}${n ? ` (${[...qualifying].sort().join(', ')})` : ''}; Enterprise needs ${c.minWorkloads}`;
  return { track: n >= c.minWorkloads ? 'enterprise' : 'smb', reason };
}
