import type { ScoringContext } from './context';
import { monthLabel } from '../lib/dates';
import { fmt } from './explain';
import { meets, monthTotal, valueAt } from './metrics/criteria';
import type { AreaRules } from './rules/schema';
import type { AreaId, Track } from './snapshot';

/**
 * Classified areas (Azure since 2026, Business Applications) put the partner in one track. Partner Center shows
 * the track, so a snapshot's trackOverrides wins over the engine's own classification.
 */
export function classify(ctx: ScoringContext, area: AreaId, rules: AreaRules): { track: Track; reason: string } {
  if (rules.trackMode === 'single') return { track: 'enterprise', reason: 'this rule version has a single track' };
  if (rules.trackMode === 'best-of') return { track: 'enterprise', reason: 'both tracks computed; the higher total is used' };
  const override = ctx.snapshot.trackOverrides?.[area];
  if (override) return { track: override, reason: `track set in the snapshot (as shown in Partner Center): ${override}` };
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
