import { ApiError, get, partnerPath } from './api';
import { historyChart } from './chart';
import { h, mount } from './dom';
import { fmtDate, fmtMoment, fmtPoints } from './format';
import { AREA_ORDER } from './portfolio';
import { cellState, STATE_LABEL, statusLabel } from './status';
import type { AreaSummary, Breakdown, Forecast, History, Scores } from './types';
import { whatIfPanel } from './whatif';

/** One partner: six area cards, then the chosen area's metrics, explanations, plan, history, risks and what-if. */

/** The metric that holds an area back: one with no points first (an area needs points in every metric), else the largest shortfall. */
export function holdingBack(a: AreaSummary): { name: string; points: number; max: number } | undefined {
  const zero = a.metrics.find((m) => a.zeroMetrics.includes(m.id));
  if (zero) return zero;
  if (a.qualifiesToday) return undefined;
  return [...a.metrics].sort((x, y) => y.max - y.points - (x.max - x.points))[0];
}

function card(scores: Scores, a: AreaSummary, selected: boolean, href: string): HTMLElement {
  const back = holdingBack(a);
  const state = cellState(scores, a.area);
  return h(
    'li',
    { class: `area-card state-${state}${selected ? ' selected' : ''}`, 'data-area': a.area },
    h(
      'a',
      { href, 'aria-current': selected ? 'true' : undefined },
      h('h3', {}, a.name),
      h('p', { class: 'area-total' }, h('span', { class: 'total', 'data-total': a.total }, fmtPoints(a.total)), h('span', { class: 'of' }, ' / 70 to qualify')),
      h('div', { class: 'bar', role: 'presentation' }, h('div', { class: 'bar-fill', 'data-width': Math.min(100, a.total) }), h('div', { class: 'bar-line' })),
      h('p', { class: 'area-status', 'data-status': a.status }, statusLabel(a.status), state === 'at-risk' ? h('span', { class: 'risk-flag' }, ` · ${STATE_LABEL['at-risk']}`) : null),
      back ? h('p', { class: 'holding-back' }, 'Held back by ', h('strong', {}, back.name), ` (${fmtPoints(back.points)} of ${fmtPoints(back.max)})`) : h('p', { class: 'holding-back' }, 'Points in every metric'),
    ),
  );
}

/** Sets the bars' widths through the CSSOM: the page's CSP allows no inline style attribute. */
function sizeBars(root: HTMLElement): void {
  root.querySelectorAll<HTMLElement>('[data-width]').forEach((el) => (el.style.width = `${el.dataset.width}%`));
}

export async function renderPartner(root: HTMLElement, partnerId: string, area: string | undefined): Promise<void> {
  const started = performance.now();
  mount(root, backLink(), h('h1', {}, partnerId), h('p', { class: 'loading', role: 'status' }, 'Loading scores…'));
  let scores: Scores;
  try {
    scores = await get<Scores>(partnerPath(partnerId, '/scores'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      mount(root, backLink(), h('h1', {}, partnerId), h('div', { class: 'error', role: 'alert' }, h('p', {}, e.message), h('p', {}, 'Check the partner id, or send its data through a webhook (npm run send) and wait for its first recompute.')));
      return;
    }
    throw e;
  }
  const chosen = area && AREA_ORDER.includes(area as (typeof AREA_ORDER)[number]) ? area : (scores.areas.find((a) => !a.qualifiesToday)?.area ?? scores.areas[0]!.area);
  const areas = AREA_ORDER.map((id) => scores.areas.find((a) => a.area === id)).filter((a): a is AreaSummary => !!a);
  const detail = h('section', { class: 'area-detail', 'aria-labelledby': 'detail-title' }, h('p', { class: 'loading', role: 'status' }, 'Loading the area…'));
  const risks = h('section', { class: 'risks', 'aria-labelledby': 'risks-title' }, h('h2', { id: 'risks-title' }, 'Risks'), h('p', { class: 'loading', role: 'status' }, 'Loading risks…'));
  mount(
    root,
    backLink(),
    h('h1', {}, partnerId),
    h('p', { class: 'as-of' }, `Scores as of ${fmtDate(scores.date)}, computed ${fmtMoment(scores.computedAt)}`),
    h('ul', { class: 'area-cards', 'aria-label': 'Solution areas' }, areas.map((a) => card(scores, a, a.area === chosen, `#/partner/${encodeURIComponent(partnerId)}/${a.area}`))),
    detail,
    risks,
  );
  sizeBars(root);
  // Since navigation start: what a person waits from opening the link to seeing the six areas.
  root.dataset.firstRenderMs = String(Math.round(performance.now()));
  root.dataset.viewRenderMs = String(Math.round(performance.now() - started));
  document.dispatchEvent(new CustomEvent('pcs:rendered', { detail: { view: 'partner-cards' } }));

  const forecast = get<Forecast>(partnerPath(partnerId, '/forecast')).catch(() => undefined);
  await Promise.all([renderDetail(detail, scores, chosen, forecast), renderRisks(risks, scores, forecast)]);
  root.dataset.fullRenderMs = String(Math.round(performance.now()));
  document.dispatchEvent(new CustomEvent('pcs:rendered', { detail: { view: 'partner' } }));
}

const backLink = () => h('p', { class: 'back' }, h('a', { href: '#/' }, '← All partners'));

async function renderDetail(target: HTMLElement, scores: Scores, area: string, forecastP: Promise<Forecast | undefined>): Promise<void> {
  const partnerId = scores.partnerId;
  let b: Breakdown;
  let history: History | undefined;
  try {
    const [breakdown, hist] = await Promise.all([get<{ breakdown: Breakdown }>(partnerPath(partnerId, `/scores/${area}`)), get<History>(partnerPath(partnerId, `/scores/${area}/history`)).catch(() => undefined)]);
    b = breakdown.breakdown;
    history = hist;
  } catch (e) {
    mount(target, h('div', { class: 'error', role: 'alert' }, `The area could not be read: ${(e as Error).message}`));
    return;
  }
  // The history shows at once; the forecast (the slowest read for a large partner) adds its dashed part when it arrives.
  const chartHolder = h('div', { class: 'chart-holder' });
  const drawChart = (forecast: Forecast | undefined, done: boolean) =>
    mount(chartHolder, history ? historyChart(history, forecast, area, b.name, done) : h('p', { class: 'empty' }, 'No history stored yet.'));
  drawChart(undefined, false);
  const charted = forecastP.then((f) => drawChart(f, true));
  mount(
    target,
    h('h2', { id: 'detail-title' }, b.name, ': ', h('span', { class: 'detail-total', 'data-total': b.total }, fmtPoints(b.total)), ' points, ', h('span', { class: 'detail-status', 'data-status': b.status }, statusLabel(b.status))),
    h('p', { class: 'track' }, `Track: ${b.track}${b.trackReason ? ` (${b.trackReason})` : ''}`),
    h('h3', {}, 'Metrics'),
    h(
      'ul',
      { class: 'metrics' },
      b.metrics.map((m) =>
        h(
          'li',
          { class: `metric${m.points === 0 ? ' zero' : ''}`, 'data-metric': m.id },
          h('div', { class: 'metric-head' }, h('span', { class: 'metric-name' }, m.name), h('span', { class: 'metric-points' }, `${fmtPoints(m.points)} of ${fmtPoints(m.max)} points`), h('span', { class: 'metric-units' }, `${fmtPoints(m.units)} ${m.unitLabel}`)),
          h('meter', { min: 0, max: m.max, value: m.points, 'aria-label': `${m.name}: ${fmtPoints(m.points)} of ${fmtPoints(m.max)} points` }),
          m.explanation.length
            ? h(
                'details',
                {},
                h('summary', {}, `Why: ${m.explanation.filter((x) => x.kind === 'counted').length} counted, ${m.explanation.filter((x) => x.kind === 'not-counted').length} not counted`),
                h('ul', { class: 'explanations' }, m.explanation.slice(0, 200).map((x) => h('li', { class: `expl-${x.kind}` }, h('span', { class: 'expl-kind' }, x.kind === 'counted' ? 'Counted' : x.kind === 'not-counted' ? 'Not counted' : 'Note'), ` ${x.subject}: ${x.reason}`)), m.explanation.length > 200 ? h('li', {}, `… and ${m.explanation.length - 200} more (GET /api/partners/${partnerId}/scores/${area} has all)`) : null),
              )
            : null,
        ),
      ),
    ),
    planSection(b),
    h('h3', {}, 'History and forecast'),
    chartHolder,
    whatIfPanel(scores, b),
  );
  await charted;
}

function planSection(b: Breakdown): HTMLElement {
  const gap = b.gap;
  if (!gap || gap.qualifies) return h('section', { class: 'plan' }, h('h3', {}, 'Plan to qualify'), h('p', {}, b.qualifiesToday ? 'The area qualifies today: no plan needed.' : 'No plan was computed for this area.'));
  return h(
    'section',
    { class: 'plan' },
    h('h3', {}, 'Plan to qualify'),
    h('p', {}, `${fmtPoints(gap.pointsShort)} points short${gap.reachable ? `; these steps reach ${fmtPoints(gap.totalAfter)}:` : '; no plan within reach was found.'}`),
    h(
      'ol',
      { class: 'plan-steps' },
      gap.steps.map((s) => h('li', {}, `Add ${s.add} ${s.what} (${s.metricName}): +${fmtPoints(s.pointsGained)} points, total ${fmtPoints(s.totalAfter)}`)),
    ),
    gap.notes?.length ? h('ul', { class: 'notes' }, gap.notes.map((n) => h('li', {}, n))) : null,
  );
}

interface Warnings {
  horizonDays: number;
  warnings: { professionalName?: string; professionalId: string; certificationName: string; endsOn: string; why: 'expires' | 'retires'; daysLeft: number; totalPointsAtStake: number }[];
}
interface Alerts {
  alerts: { id: string; kind: string; area: string; date: string; message: string }[];
}
interface Page {
  items: { updatedAt?: string; month?: string }[];
  continuationToken?: string;
}

async function renderRisks(target: HTMLElement, scores: Scores, forecastP: Promise<Forecast | undefined>): Promise<void> {
  const id = scores.partnerId;
  const [warnings, alerts, freshness, forecast] = await Promise.all([
    get<Warnings>(partnerPath(id, '/cert-warnings?days=90')).catch(() => undefined),
    get<Alerts>(partnerPath(id, '/alerts')).catch(() => undefined),
    readFreshness(id),
    forecastP,
  ]);
  mount(
    target,
    h('h2', { id: 'risks-title' }, 'Risks'),
    h('h3', {}, 'Certifications ending within 90 days'),
    !warnings
      ? h('p', { class: 'error' }, 'The certification warnings could not be read.')
      : warnings.warnings.length === 0
        ? h('p', {}, 'None.')
        : h(
            'div',
            { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Certifications ending within 90 days' },
            h(
            'table',
            { class: 'warnings' },
            h('thead', {}, h('tr', {}, ['Person', 'Certification', 'Ends', 'Why', 'Points at stake'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, warnings.warnings.map((w) => h('tr', {}, h('td', {}, w.professionalName ?? w.professionalId), h('td', {}, w.certificationName), h('td', {}, `${fmtDate(w.endsOn)} (${w.daysLeft} days)`), h('td', {}, w.why === 'retires' ? 'Retires' : 'Expires'), h('td', {}, fmtPoints(w.totalPointsAtStake))))),
            ),
          ),
    h('h3', {}, 'Forecast'),
    forecast?.losses.length ? h('ul', {}, forecast.losses.map((l) => h('li', { class: 'loss' }, `${l.name}: lost on ${fmtDate(l.lossDate)}. ${l.reason}`))) : h('p', {}, forecast ? 'No designation is lost in the next six months if nothing changes.' : 'The forecast could not be read.'),
    h('h3', {}, 'Latest alerts'),
    alerts?.alerts.length ? h('ul', { class: 'alerts' }, alerts.alerts.slice(0, 10).map((a) => h('li', {}, h('span', { class: 'alert-date' }, fmtDate(a.date)), ` ${a.message}`))) : h('p', {}, alerts ? 'No alert yet.' : 'The alerts could not be read.'),
    h('h3', {}, 'Data freshness'),
    h(
      'dl',
      { class: 'freshness' },
      h('dt', {}, 'Score computed'),
      h('dd', {}, `${fmtMoment(scores.computedAt)} (as of ${fmtDate(scores.date)})`),
      freshness.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
  );
}

/** When each kind of input last changed: the newest change on the first page of each, and the latest telemetry month. */
async function readFreshness(id: string): Promise<[string, string][]> {
  const newest = (p: Page | undefined) => (p?.items ?? []).map((i) => i.updatedAt ?? '').sort().at(-1);
  const describe = (p: Page | undefined) => {
    if (!p) return 'could not be read';
    const n = newest(p);
    return n ? `${fmtMoment(n)}${p.continuationToken ? ' (newest of the first 500)' : ''}` : 'nothing received yet';
  };
  // Telemetry arrives month by month: the latest month reported says more than when a row last changed.
  const now = new Date();
  const recent = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1)).toISOString().slice(0, 7);
  const [associations, professionals, telemetry] = await Promise.all(
    ['/associations?limit=500', '/professionals?limit=500', `/telemetry?from=${recent}&limit=500`].map((q) => get<Page>(partnerPath(id, q)).catch(() => undefined)),
  );
  const latestMonth = (telemetry?.items ?? []).map((t) => t.month ?? '').sort().at(-1);
  return [
    ['Associations last changed', describe(associations)],
    ['Professionals last changed', describe(professionals)],
    ['Latest telemetry month', !telemetry ? 'could not be read' : latestMonth ? `${latestMonth}, received ${describe(telemetry)}` : `none since ${recent}`],
  ];
}
