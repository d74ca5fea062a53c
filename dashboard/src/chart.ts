import uPlot from 'uplot';
import { h } from './dom';
import { fmtDate, fmtPoints } from './format';
import type { Forecast, History } from './types';

/**
 * An area's history chart (uPlot, bundled): daily totals over the qualification window, each month's highest, the
 * 70-point line, and the forecast's month ends as a dashed continuation from today. A table with the same numbers
 * follows for screen readers and for anyone who wants the figures.
 */
const QUALIFYING = 70;
const DAY = 86_400;
const seconds = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 1000;

export interface ChartSeries {
  xs: number[];
  daily: (number | null)[];
  monthly: (number | null)[];
  forecast: (number | null)[];
  line: number[];
}

/** The chart's columns: one x per day with a score, month's end for each month's highest, and each forecast month end. */
export function chartSeries(history: History, forecast: Forecast | undefined, area: string): ChartSeries {
  const points = new Map<number, { daily?: number; monthly?: number; forecast?: number }>();
  const at = (x: number) => points.get(x) ?? (points.set(x, {}), points.get(x)!);
  for (const d of history.days) at(seconds(d.date)).daily = d.total;
  for (const m of history.months) {
    // A month's highest sits on the last scored day of that month, where the daily line shows it was reached or passed.
    const last = [...history.days].reverse().find((d) => d.date.startsWith(m.month));
    if (last) at(seconds(last.date)).monthly = m.highest;
  }
  if (forecast) {
    const today = forecast.today.find((a) => a.area === area);
    const lastDay = history.days.at(-1);
    // The dashed line starts where the solid one ends, so the two read as one line.
    if (today && lastDay) at(seconds(lastDay.date)).forecast = lastDay.total;
    else if (today) at(seconds(forecast.asOf)).forecast = today.total;
    for (const m of forecast.monthEnds) {
      const p = m.areas.find((a) => a.area === area);
      if (p) at(seconds(m.date)).forecast = p.total;
    }
  }
  const xs = [...points.keys()].sort((a, b) => a - b);
  return {
    xs,
    daily: xs.map((x) => points.get(x)!.daily ?? null),
    monthly: xs.map((x) => points.get(x)!.monthly ?? null),
    forecast: xs.map((x) => points.get(x)!.forecast ?? null),
    line: xs.map(() => QUALIFYING),
  };
}

/** `forecastDone`: the forecast was asked for and has answered (or failed); until then the caption says it is coming. */
export function historyChart(history: History, forecast: Forecast | undefined, area: string, areaName: string, forecastDone = true): HTMLElement {
  const s = chartSeries(history, forecast, area);
  const loss = forecast?.losses.find((l) => l.area === area);
  const holder = h('div', { class: 'chart', role: 'img', 'data-forecast': String(forecastDone), 'aria-label': `${areaName}: daily totals, monthly highs, the 70-point line${forecast ? ' and the six-month forecast' : ''}` });
  const figure = h(
    'figure',
    { class: 'history' },
    holder,
    h('figcaption', {}, !forecastDone ? 'Loading the forecast…' : !forecast ? 'The forecast could not be read.' : loss ? h('strong', { class: 'loss' }, `The forecast loses the designation on ${fmtDate(loss.lossDate)}: ${loss.reason}`) : 'The forecast keeps this area where it is for the next six months.'),
    historyTable(history, forecast, area),
  );
  if (s.xs.length === 0) {
    holder.replaceWith(h('p', { class: 'empty' }, 'No stored daily score yet: the nightly recompute stores one each day.'));
    return figure;
  }
  // uPlot measures its target, so it is created once the figure is in the document.
  requestAnimationFrame(() => {
    const width = Math.max(280, Math.min(holder.clientWidth || 600, 1100));
    const min = s.xs[0]!;
    const max = s.xs.length > 1 ? s.xs.at(-1)! : min + DAY;
    new uPlot(
      {
        width,
        height: 260,
        scales: { x: { time: true, range: [min - DAY, max + DAY] }, y: { range: [0, 100] } },
        axes: [{ stroke: '#1f2937' }, { stroke: '#1f2937', values: (_u, v) => v.map((n) => fmtPoints(n)) }],
        series: [
          { value: (_u, v) => (v == null ? '' : fmtDate(new Date(v * 1000).toISOString())) },
          { label: 'Daily total', stroke: '#1d4ed8', width: 2, spanGaps: true, value: (_u, v) => (v == null ? '–' : fmtPoints(v)) },
          { label: "Month's highest", stroke: '#7c3aed', width: 0, points: { show: true, size: 8, fill: '#7c3aed' }, value: (_u, v) => (v == null ? '–' : fmtPoints(v)) },
          { label: 'Forecast', stroke: '#b45309', width: 2, dash: [6, 4], spanGaps: true, value: (_u, v) => (v == null ? '–' : fmtPoints(v)) },
          { label: '70 points', stroke: '#15803d', width: 1, points: { show: false }, value: () => '70' },
        ],
      },
      [s.xs, s.daily, s.monthly, s.forecast, s.line],
      holder,
    );
  });
  return figure;
}

function historyTable(history: History, forecast: Forecast | undefined, area: string): HTMLElement {
  const months = history.months.map((m) => h('tr', {}, h('th', { scope: 'row' }, m.month), h('td', {}, fmtPoints(m.highest)), h('td', {}, '')));
  const ahead = (forecast?.monthEnds ?? []).map((m) => {
    const p = m.areas.find((a) => a.area === area);
    return h('tr', { class: 'forecast-row' }, h('th', { scope: 'row' }, fmtDate(m.date)), h('td', {}, ''), h('td', {}, p ? fmtPoints(p.total) : '–'));
  });
  return h(
    'details',
    { class: 'chart-table' },
    h('summary', {}, 'The chart as a table'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Month'), h('th', { scope: 'col' }, 'Highest total'), h('th', { scope: 'col' }, 'Forecast at month end'))), h('tbody', {}, months, ahead)),
  );
}
