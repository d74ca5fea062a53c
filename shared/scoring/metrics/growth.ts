import type { ScoringContext } from '../context';
import { SourceData } from '../source-data';
import { monthLabel } from '../../lib/dates';
import { fmt, LazyLine, note, notCounted, pts, rangeText, round6 } from '../explain';
import type { GrowthAbsoluteMetric, GrowthPercentMetric, Measure } from '../rules/schema';
import type { Track } from '../snapshot';
import { PLAN_STATE, type ExplanationLine, type MetricScore } from '../types';
import { evaluateCriterion, meets, monthTotal } from './criteria';
import { describeWindow, measureWords } from './net-count';
import { bestAssociationType, metricScore } from './result';

const tenantSubject = (tenant: unknown, part: unknown): string => (part ? `tenant ${String(tenant)} (${String(part)})` : `tenant ${String(tenant)}`);
/** "<before><from> -> <after><to>: +<change>" */
const fromTo = (before: unknown, fromText: unknown, after: unknown, toText: unknown): string => {
  const g = (after as number) - (before as number);
  return `${fmt(before as number)}${String(fromText)} -> ${fmt(after as number)}${String(toText)}: ${g >= 0 ? '+' : ''}${fmt(g)}`;
};

const UNIT_WORDS: Record<Measure, string> = {
  acrUsd: 'USD ACR',
  revenueUsd: 'USD revenue',
  paidSeats: 'paid seats',
  activeUsers: 'active users',
  mcv: 'MCV',
  protectedUsers: 'protected users',
};

/**
 * Percentage growth (Azure ACR, Business Applications MCV): last month against the same month last year,
 * 1 point per 1%, nothing when the baseline is below its minimum.
 */
export function scoreGrowthPercent(ctx: ScoringContext, m: GrowthPercentMetric, track: Track): MetricScore {
  const data = ctx.sourceData(m.sources);
  const ttm = m.ttmVariantAllowed && ctx.settings.azureUsageGrowthBasis === 'ttm';
  const last = ctx.monthNow - 1;
  const baseMonth = last - 12;
  const explanation: ExplanationLine[] = [];
  let now = 0;
  let base = 0;
  const words = UNIT_WORDS[m.measure];
  const fromText = ` ${words} ${ttm ? 'in the 12 months to ' : 'in '}${monthLabel(baseMonth)}`;
  const toText = ` ${ttm ? 'in the 12 months to ' : 'in '}${monthLabel(last)}`;
  for (let ti = 0; ti < data.ids.length; ti++) {
      const tenant = data.ids[ti]!;
      const months = data.series(ti);
    let n = 0;
    let b = 0;
    if (ttm) {
      for (let i = 0; i < 12; i++) {
        n += monthTotal(months, last - i, m.measure);
        b += monthTotal(months, baseMonth - i, m.measure);
      }
    } else {
      n = monthTotal(months, last, m.measure);
      b = monthTotal(months, baseMonth, m.measure);
    }
    now += n;
    base += b;
    if (n !== 0 || b !== 0) explanation.push(new LazyLine('counted', tenantSubject, tenant, undefined, fromTo, b, fromText, n, toText));
  }
  SourceData.explainNotCounted([data], explanation);
  if (m.measure === 'mcv' && data.ineligibleWorkloads.size > 0) {
    explanation.push(note('Workloads', `not in the rate card or not eligible here: ${[...data.ineligibleWorkloads].sort().join(', ')}`));
  }
  const period = ttm ? `12 months to ${monthLabel(last)} vs 12 months to ${monthLabel(baseMonth)}` : `${monthLabel(last)} vs ${monthLabel(baseMonth)}`;
  let points = 0;
  let pct = 0;
  let blockedReason: string | undefined;
  if (!meets(base, m.baselineMinimum)) {
    blockedReason = `the baseline (${fmt(base)} ${words}, ${ttm ? `12 months to ${monthLabel(baseMonth)}` : monthLabel(baseMonth)}) is below the minimum of ${fmt(m.baselineMinimum.value)} needed for scoring`;
    explanation.push(notCounted('Usage growth', blockedReason));
  } else {
    pct = ((now - base) * 100) / base;
    const raw = pct * m.pointsPerPercent;
    points = Math.max(0, Math.min(m.max, ctx.settings.growthPointsRounding === 'floor' ? Math.floor(raw) : raw));
    explanation.push(note('Usage growth', `${fmt(base)} -> ${fmt(now)} ${words} (${period}) = ${fmt(pct)}% growth, ${fmt(m.pointsPerPercent)} pt per 1%, capped at ${pts(m.max)}`));
  }
  return {
    id: m.id,
    name: m.name,
    family: m.family,
    track,
    points: round6(points),
    max: m.max,
    units: round6(pct),
    unitLabel: '% growth',
    unitsForMax: m.max / m.pointsPerPercent,
    explanation,
    gapHint: {
      pointsPerUnit: blockedReason ? 0 : m.pointsPerPercent,
      prerequisites: [],
      unitDescription: `percentage point of growth (about ${fmt(base / 100)} ${words} more last month)`,
      unitDescriptionPlural: `percentage points of growth (each about ${fmt(base / 100)} ${words} more last month)`,
      ...(blockedReason ? { blockedReason } : {}),
    },
    [PLAN_STATE]: { kind: 'growth-percent', now, base, blocked: blockedReason !== undefined, pointsPerPercent: m.pointsPerPercent },
  };
}

/**
 * Absolute growth (Modern Work active users per association type, Security ACR + protected users):
 * sum over in-scope tenants of last month minus the same month last year.
 */
export function scoreGrowthAbsolute(ctx: ScoringContext, m: GrowthAbsoluteMetric, track: Track): MetricScore {
  const last = ctx.monthNow - 1;
  const baseMonth = last - 12;
  const explanation: ExplanationLine[] = [];
  const parts: { label: string; growth: number; points: number; unitsForMax: number; unitLabel: string }[] = [];
  const datas: SourceData[] = [];
  for (const p of m.parts) datas.push(ctx.sourceData(p.sources));
  for (const [pi, part] of m.parts.entries()) {
    const data = datas[pi]!;
    let growth = 0;
    const words = UNIT_WORDS[part.measure];
    const outOfScope: string[] = [];
    const baseText = ` ${words} in ${monthLabel(baseMonth)}`;
    const lastText = ` in ${monthLabel(last)}`;
    for (let ti = 0; ti < data.ids.length; ti++) {
      const tenant = data.ids[ti]!;
      const months = data.series(ti);
      if (part.scope) {
        if (evaluateCriterion(months, part.scope, ctx.monthNow, 0) === 0) {
          outOfScope.push(tenant);
          continue;
        }
      }
      let from = baseMonth;
      if (part.sinceAssociation) {
        const start = data.associationStart[ti]!;
        if (start > from) from = start;
      }
      const n = monthTotal(months, last, part.measure);
      const b = from > last ? n : monthTotal(months, from, part.measure);
      const g = n - b;
      growth += g;
      if (n !== 0 || b !== 0) {
        const fromText = from === baseMonth ? baseText : ` ${words} in ${monthLabel(from)} (association month: earlier growth is not credited)`;
        explanation.push(new LazyLine('counted', tenantSubject, tenant, part.label, fromTo, b, fromText, n, lastText));
      }
    }
    if (outOfScope.length > 0 && part.scope) {
      explanation.push(notCounted(`${outOfScope.length} tenants (${part.label})`, `not in this track: ${measureWords(part.scope)} not ${rangeText(part.scope.range)} ${describeWindow(part.scope, ctx.monthNow, 0)}: ${outOfScope.join(', ')}`));
    }
    const unitPts = m.max / part.unitsForMax;
    const positive = Math.max(0, growth);
    const raw = ctx.settings.growthPointsRounding === 'floor' ? Math.floor(positive / (part.unitsForMax / m.max)) : positive * unitPts;
    parts.push({ label: part.label, growth, points: raw, unitsForMax: part.unitsForMax, unitLabel: part.unitLabel });
    explanation.push(note(part.label, `growth ${fmt(growth)} ${words}${growth < 0 ? ' (counted as 0)' : ''}; ${fmt(part.unitsForMax)} earn the maximum ${pts(m.max)} (${fmt(part.unitsForMax / m.max)} per point)`));
  }
  SourceData.explainNotCounted(datas, explanation);
  let points: number;
  let units: number;
  let unitsForMax: number;
  let unitLabel: string;
  if (m.combine === 'best') {
    const best = bestAssociationType(parts, explanation);
    points = best.points;
    units = Math.max(0, best.growth);
    unitsForMax = best.unitsForMax;
    unitLabel = `${best.unitLabel} (${best.label})`;
  } else {
    points = parts.reduce((s, p) => s + p.points, 0);
    units = parts.reduce((s, p) => s + Math.max(0, p.growth), 0);
    unitsForMax = parts[0]!.unitsForMax;
    unitLabel = parts.map((p) => p.unitLabel).join(' + ');
  }
  const cheapest = parts.reduce((a, p) => (p.unitsForMax < a.unitsForMax ? p : a), parts[0]!);
  return metricScore(m, track, points, {
    units: round6(units),
    unitLabel,
    unitsForMax,
    explanation,
    gapHint: { pointsPerUnit: m.max / cheapest.unitsForMax, prerequisites: [], unitDescription: `${cheapest.unitLabel.replace(/ growth$/, '')} of growth (${cheapest.label})`, unitDescriptionPlural: `${cheapest.unitLabel.replace(/ growth$/, '')} of growth (${cheapest.label})` },
    [PLAN_STATE]: { kind: 'growth-absolute', combine: m.combine, parts: parts.map((p) => ({ growth: p.growth, unitsForMax: p.unitsForMax })) },
  });
}
