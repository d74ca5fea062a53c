import type { ScoringContext } from '../context';
import { SourceData } from '../source-data';
import { monthLabel } from '../../lib/dates';
import { fmt, LazyLine, note, notCounted, pts, rangeText } from '../explain';
import type { Criterion, NetCountMetric } from '../rules/schema';
import type { Track } from '../snapshot';
import { PLAN_STATE, type ExplanationLine, type MetricScore } from '../types';
import { evaluateCriterion, lastEvaluation, windowMonths } from './criteria';
import { bestAssociationType, metricScore } from './result';

/**
 * "Eligible now minus eligible a year ago" metrics: net customer adds everywhere, and deployments in
 * Business Applications, Modern Work and Security. Parts are summed (Security: Azure + Microsoft 365)
 * or the best association option is taken (Modern Work).
 */
export function scoreNetCount(ctx: ScoringContext, m: NetCountMetric, track: Track): MetricScore {
  const explanation: ExplanationLine[] = [];
  const partResults: { label: string; net: number; now: number; base: number; unitsForMax: number; points: number; unitLabel: string }[] = [];
  // A tenant left out of one association option may count in another, so rejections are reported per metric.
  const datas: SourceData[] = [];
  for (const p of m.parts) datas.push(ctx.sourceData(p.sources));
  const nowUnits: string[] = [];
  const baseUnits: string[] = [];
  for (const [pi, part] of m.parts.entries()) {
    const data = datas[pi]!;
    let now = 0;
    let base = 0;
    const when = describeWindow(part.criterion, ctx.monthNow, 0);
    const whenBase = describeWindow(part.criterion, ctx.monthNow, m.baselineMonthsAgo);
    const test = rangeText(part.criterion.range);
    const words = measureWords(part.criterion);
    const what = `${words} ${test}`;
    const shareText = part.criterion.activeShare ? ` with ${fmt(part.criterion.activeShare.value * 100)}% of paid seats active` : '';
    const perWorkload = part.criterion.by === 'per-workload';
    // Phrases shared by every tenant's line, built once per part.
    const failTail = ` does not meet ${test}${shareText}`;
    const passTail = ` meets ${test}; not eligible ${whenBase}`;
    const lostText = `lost: eligible ${whenBase} but not ${when}, so it offsets one add`;
    const unassociatedThen = `usage then without an accepted association in place does not count`;
    const lostUnassociatedText = `lost: eligible ${whenBase} but not ${when}: usage without an accepted association in place on ${ctx.date} does not count; it offsets one add`;
    const passTailUnassociated = ` meets ${test}; not eligible ${whenBase}: ${unassociatedThen}`;
    const newUnitText = `${words} eligible ${when} (${test}); not eligible ${whenBase}`;
    const newUnitUnassociatedText = `${newUnitText}: ${unassociatedThen}`;
    const existing: string[] = [];
    const assocLimit = ctx.monthNow - 12;
    for (let ti = 0; ti < data.ids.length; ti++) {
      const tenant = data.ids[ti]!;
      const months = data.series(ti);
      nowUnits.length = 0;
      baseUnits.length = 0;
      let nNow = evaluateCriterion(months, part.criterion, ctx.monthNow, 0, perWorkload ? nowUnits : undefined);
      const valueNow = lastEvaluation.value;
      const shareNow = lastEvaluation.shareFailed;
      const shareValueNow = lastEvaluation.shareValue;
      const nBase = evaluateCriterion(months, part.criterion, ctx.monthNow, m.baselineMonthsAgo, perWorkload ? baseUnits : undefined);
      if (part.excludeAlreadyMetAtAssociation && nNow > 0) {
        const start = data.associationStart[ti]!;
        if (start >= 0 && start >= assocLimit) {
          // Already deployed when claimed: evaluate the same test at the association month.
          const shift = ctx.monthNow - windowEnd(part.criterion) - start;
          if (evaluateCriterion(months, part.criterion, ctx.monthNow, shift) > 0) {
            explanation.push(notCounted(label(tenant, part.label, ''), `already met the test (${what}) when associated in ${monthLabel(start)}; deployments existing before the association are excluded`));
            nNow = 0;
            nowUnits.length = 0;
          }
        }
      }
      now += nNow;
      base += nBase;
      if (nNow === 0 && nBase === 0) {
        // Name the condition that failed: the range, or (the range met) the share of active seats.
        if (shareNow >= 0) explanation.push(new LazyLine('not-counted', label, tenant, part.label, shareLine, words, shareValueNow, when, [test, shareNow, part.criterion.activeShare!]));
        else if (valueNow > 0) explanation.push(new LazyLine('not-counted', label, tenant, part.label, valueLine, words, valueNow, when, failTail));
        continue;
      }
      // Usage left out for want of an association then (or now) is why the tenant is new (or lost): say so.
      const newBecauseUnassociated = data.unassociatedYearAgo.size > 0 && data.unassociatedYearAgo.has(tenant);
      const lostBecauseUnassociated = data.unassociatedNow.size > 0 && data.unassociatedNow.has(tenant);
      if (!perWorkload) {
        if (nNow > 0 && nBase > 0) existing.push(tenant);
        else if (nNow > 0) explanation.push(new LazyLine('counted', label, tenant, part.label, valueLine, words, valueNow, when, newBecauseUnassociated ? passTailUnassociated : passTail));
        else explanation.push(new LazyLine('not-counted', label, tenant, part.label, fixed, lostBecauseUnassociated ? lostUnassociatedText : lostText));
        continue;
      }
      for (const u of nowUnits) {
        if (baseUnits.includes(u)) existing.push(`${tenant}/${u}`);
        else explanation.push(new LazyLine('counted', workloadLabel, tenant, u, fixed, newBecauseUnassociated && data.unassociatedYearAgo.has(`${tenant}/${u}`) ? newUnitUnassociatedText : newUnitText));
      }
      for (const u of baseUnits) {
        if (!nowUnits.includes(u)) explanation.push(new LazyLine('not-counted', workloadLabel, tenant, u, fixed, lostBecauseUnassociated && data.unassociatedNow.has(`${tenant}/${u}`) ? lostUnassociatedText : lostText));
      }
    }
    if (existing.length > 0) {
      explanation.push(note(`${existing.length} existing ${perWorkload ? 'workload x tenant units' : 'tenants'} (${part.label})`, `eligible ${when} and already ${whenBase} (${what}), so no net add: ${existing.join(', ')}`));
    }
    const net = now - base;
    const units = ctx.settings.negativeNet === 'floor-zero' || m.combine === 'best' ? Math.max(0, net) : net;
    const points = (m.max * units) / part.unitsForMax;
    partResults.push({ label: part.label, net, now, base, unitsForMax: part.unitsForMax, points, unitLabel: part.unitLabel });
    explanation.push(
      note(
        `${part.label}`,
        `${now} eligible ${when} - ${base} eligible ${whenBase} = ${net} ${Math.abs(net) === 1 ? singular(part.unitLabel) : part.unitLabel}${net < 0 && units === 0 ? ' (counted as 0)' : ''}; ${fmt(part.unitsForMax)} earn the maximum ${pts(m.max)}`,
      ),
    );
  }
  SourceData.explainNotCounted(datas, explanation);
  let points: number;
  let units: number;
  let unitsForMax: number;
  let unitLabel: string;
  let pointsPerUnit: number;
  if (m.combine === 'best') {
    const best = bestAssociationType(partResults, explanation);
    points = best.points;
    units = Math.max(0, best.net);
    unitsForMax = best.unitsForMax;
    unitLabel = `${best.unitLabel} (${best.label})`;
    pointsPerUnit = Math.max(...partResults.map((p) => m.max / p.unitsForMax));
  } else {
    const raw = partResults.reduce((s, p) => s + p.points, 0);
    points = raw;
    units = partResults.reduce((s, p) => s + (ctx.settings.negativeNet === 'floor-zero' ? Math.max(0, p.net) : p.net), 0);
    units = Math.max(0, units);
    points = Math.max(0, points);
    unitsForMax = partResults.length === 1 ? partResults[0]!.unitsForMax : Math.min(...partResults.map((p) => p.unitsForMax));
    unitLabel = partResults[0]!.unitLabel;
    pointsPerUnit = Math.max(...partResults.map((p) => m.max / p.unitsForMax));
  }
  return metricScore(m, track, points, {
    units,
    unitLabel,
    unitsForMax,
    explanation,
    gapHint: { pointsPerUnit, prerequisites: [], unitDescription: singular(unitLabel), unitDescriptionPlural: unitLabel },
    [PLAN_STATE]: { kind: 'net-count', combine: m.combine, parts: partResults.map((p) => ({ net: p.net, unitsForMax: p.unitsForMax })) },
  });
}

function label(tenant: unknown, part: unknown, unit?: unknown): string {
  const p = String(part);
  return unit ? `tenant ${String(tenant)} workload ${String(unit)}` : `tenant ${String(tenant)}${p.startsWith('Azure') || p.startsWith('Microsoft 365') ? ` (${p})` : ''}`;
}

const workloadLabel = (tenant: unknown, unit: unknown): string => `tenant ${String(tenant)} workload ${String(unit)}`;
const valueLine = (words: unknown, value: unknown, when: unknown, tail: unknown): string => `${String(words)} ${fmt(value as number)} ${String(when)}${String(tail)}`;
const fixed = (text: unknown): string => String(text);
const shareLine = (words: unknown, value: unknown, when: unknown, rest: unknown): string => {
  const [test, share, bound] = rest as [string, number, { value: number; inclusive: boolean }];
  return `${String(words)} ${fmt(value as number)} ${String(when)} meet ${test}, but only ${fmt(share * 100)}% of them are active (needs ${bound.inclusive ? 'at least' : 'more than'} ${fmt(bound.value * 100)}%)`;
};

function windowEnd(c: Criterion): number {
  switch (c.window.kind) {
    case 'month':
    case 'ttm':
      return c.window.monthsAgo;
    case 'any-month':
      return Math.min(...c.window.monthsAgo);
  }
}

export function describeWindow(c: Criterion, now: number, shift: number): string {
  const months = windowMonths(c.window, now, shift);
  if (c.window.kind === 'ttm') return `in the 12 months ${monthLabel(months[0]!)} to ${monthLabel(months[months.length - 1]!)}`;
  if (c.window.kind === 'any-month') return `in ${months.map(monthLabel).join(' or ')}`;
  return `in ${monthLabel(months[0]!)}`;
}

export function measureWords(c: { measure: string; by?: string }): string {
  const by = c.by === 'any-workload' ? ' on one workload' : c.by === 'per-workload' ? ' of the workload' : '';
  switch (c.measure) {
    case 'acrUsd':
      return `ACR USD`;
    case 'revenueUsd':
      return `revenue USD${by}`;
    case 'paidSeats':
      return `paid seats${by}`;
    case 'activeUsers':
      return `active users${by}`;
    case 'mcv':
      return `MCV${by}`;
    default:
      return `protected users${by}`;
  }
}

function singular(label: string): string {
  return label.replace(/^net new customers/, 'net new customer').replace(/^net new deployments/, 'net new deployment').replace(/^net workload adds/, 'net workload add').replace(/^net workload deployments/, 'net workload deployment');
}
