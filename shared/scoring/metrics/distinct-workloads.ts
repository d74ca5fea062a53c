import type { ScoringContext } from '../context';
import { SourceData } from '../source-data';
import { monthLabel } from '../../lib/dates';
import { counted, fmt, note, notCounted, pts, rangeText } from '../explain';
import type { DistinctWorkloadsMetric } from '../rules/schema';
import type { Track } from '../snapshot';
import { PLAN_STATE, type ExplanationLine, type MetricScore } from '../types';
import { inRange, valueAt, windowMonths } from './criteria';
import { metricScore } from './result';

/** Azure deployments: unique services with consumption across the whole customer base (not year-over-year net). */
export function scoreDistinctWorkloads(ctx: ScoringContext, m: DistinctWorkloadsMetric, track: Track): MetricScore {
  const data = ctx.sourceData(m.sources);
  const months = windowMonths(m.window, ctx.monthNow, 0);
  const totals = new Map<string, number>();
  const names = new Map<string, string>();
  for (let w = 0; w < data.keys.length; w++) {
    const k = data.keys[w]!;
    if (!names.has(k)) names.set(k, data.names[w]!);
    const values = data.slots[w]!;
    let v = 0;
    for (const month of months) v += valueAt(values, ctx.monthNow, month, m.measure);
    totals.set(k, (totals.get(k) ?? 0) + v);
  }
  const explanation: ExplanationLine[] = [];
  let units = 0;
  const period = `${monthLabel(months[0]!)} to ${monthLabel(months[months.length - 1]!)}`;
  // Explanations name services as the telemetry spelt them ("Azure SQL Database"), never by their internal key.
  for (const [k, v] of [...totals].sort((a, b) => names.get(a[0])!.localeCompare(names.get(b[0])!))) {
    const service = `service ${names.get(k)!}`;
    if (inRange(v, m.range)) {
      units++;
      explanation.push(counted(service, `${fmt(v)} ACR USD across customers ${period}`));
    } else explanation.push(notCounted(service, `${fmt(v)} ACR USD ${period}, needs ${rangeText(m.range)}`));
  }
  for (const w of [...data.ineligibleWorkloads].sort()) explanation.push(notCounted(`service ${w}`, 'not an eligible deployment (Virtual Machines are excluded)'));
  SourceData.explainNotCounted([data], explanation);
  const points = (m.max * Math.min(units, m.unitsForMax)) / m.unitsForMax;
  explanation.push(note(m.name, `${units} ${units === 1 ? m.unitLabel.replace(/^Azure services/, 'Azure service') : m.unitLabel}; ${fmt(m.unitsForMax)} earn the maximum ${pts(m.max)}`));
  return metricScore(m, track, points, {
    units,
    unitLabel: m.unitLabel,
    unitsForMax: m.unitsForMax,
    explanation,
    gapHint: { pointsPerUnit: m.max / m.unitsForMax, prerequisites: [], unitDescription: 'Azure service (not Virtual Machines) used by a customer', unitDescriptionPlural: 'Azure services (not Virtual Machines) used by customers' },
    [PLAN_STATE]: { kind: 'distinct-workloads', units, unitsForMax: m.unitsForMax, keys: [...totals.keys()] },
  });
}
