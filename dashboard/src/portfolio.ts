import { ApiError, get, mapLimited, partnerPath } from './api';
import { h, mount } from './dom';
import { fmtInt, fmtPoints } from './format';
import { cellState, STATE_LABEL, type CellState } from './status';
import type { Scores } from './types';

/** The first screen: every partner the caller may see, one row each, the six areas as cells. */

export const AREA_ORDER = ['data-ai', 'infrastructure', 'digital-app-innovation', 'business-applications', 'modern-work', 'security'] as const;
export const AREA_SHORT: Record<string, string> = {
  'data-ai': 'Data & AI',
  infrastructure: 'Infrastructure',
  'digital-app-innovation': 'Digital & App Innovation',
  'business-applications': 'Business Applications',
  'modern-work': 'Modern Work',
  security: 'Security',
};

interface Row {
  partnerId: string;
  access: 'read' | 'edit';
  scores?: Scores;
  error?: string;
}

type SortKey = 'partner' | 'risk' | (typeof AREA_ORDER)[number];
interface View {
  sort: SortKey;
  descending: boolean;
  search: string;
  state: CellState | '';
  area: string;
}

const view: View = { sort: 'partner', descending: false, search: '', state: '', area: '' };

const riskCount = (r: Row) => (r.scores ? AREA_ORDER.filter((a) => cellState(r.scores!, a) === 'at-risk').length : 0);
const total = (r: Row, area: string) => r.scores?.areas.find((a) => a.area === area)?.total ?? -1;

function sorted(rows: Row[]): Row[] {
  const dir = view.descending ? -1 : 1;
  const key = view.sort;
  return [...rows].sort((a, b) => {
    const d = key === 'partner' ? a.partnerId.localeCompare(b.partnerId) : key === 'risk' ? riskCount(a) - riskCount(b) : total(a, key) - total(b, key);
    return d !== 0 ? d * dir : a.partnerId.localeCompare(b.partnerId);
  });
}

function visible(rows: Row[]): Row[] {
  const q = view.search.trim().toLowerCase();
  return rows.filter((r) => {
    if (q && !r.partnerId.toLowerCase().includes(q)) return false;
    if (!view.state) return true;
    if (!r.scores) return false;
    const areas = view.area ? [view.area] : AREA_ORDER;
    return areas.some((a) => cellState(r.scores!, a) === view.state);
  });
}

export async function renderPortfolio(root: HTMLElement, go: (hash: string) => void): Promise<void> {
  mount(root, h('h1', {}, 'Partners'), h('p', { class: 'loading', role: 'status' }, 'Loading partners…'));
  const list = await get<{ partners: { partnerId: string; access: 'read' | 'edit' }[] }>('partners');
  if (list.partners.length === 0) {
    mount(root, h('h1', {}, 'Partners'), h('p', { class: 'empty' }, 'No partner to show: nothing was submitted yet, or your grants name none. Load the demo partners with SEED_DEMO=true npm start (or npm run seed).'));
    return;
  }
  const rows: Row[] = await mapLimited(list.partners, 6, async (p) => {
    try {
      return { ...p, scores: await get<Scores>(partnerPath(p.partnerId, '/scores')) };
    } catch (e) {
      return { ...p, error: e instanceof ApiError && e.status === 404 ? 'Not computed yet' : (e as Error).message };
    }
  });

  // Focusable, so a keyboard can scroll the table sideways on a narrow screen.
  const tableHolder = h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Partners table' });
  const count = h('p', { class: 'count', role: 'status', 'aria-live': 'polite' });
  const draw = () => {
    const shown = sorted(visible(rows));
    count.textContent = `${fmtInt(shown.length)} of ${fmtInt(rows.length)} partners shown`;
    mount(tableHolder, table(shown, draw, go));
  };

  const search = h('input', { type: 'search', id: 'search', placeholder: 'Partner id', value: view.search, oninput: (e: Event) => ((view.search = (e.target as HTMLInputElement).value), draw()) });
  const stateSelect = h(
    'select',
    { id: 'filter-state', onchange: (e: Event) => ((view.state = (e.target as HTMLSelectElement).value as CellState | ''), draw()) },
    h('option', { value: '' }, 'Any status'),
    (Object.keys(STATE_LABEL) as CellState[]).map((s) => h('option', { value: s, selected: view.state === s }, STATE_LABEL[s])),
  );
  const areaSelect = h(
    'select',
    { id: 'filter-area', onchange: (e: Event) => ((view.area = (e.target as HTMLSelectElement).value), draw()) },
    h('option', { value: '' }, 'in any area'),
    AREA_ORDER.map((a) => h('option', { value: a, selected: view.area === a }, `in ${AREA_SHORT[a]}`)),
  );
  mount(
    root,
    h('h1', {}, 'Partners'),
    h(
      'form',
      { class: 'filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
      h('label', { for: 'search' }, 'Search'),
      search,
      h('label', { for: 'filter-state' }, 'Show partners'),
      stateSelect,
      h('label', { for: 'filter-area', class: 'visually-hidden' }, 'Area'),
      areaSelect,
    ),
    count,
    legend(),
    tableHolder,
  );
  draw();
}

function legend(): HTMLElement {
  return h('ul', { class: 'legend', 'aria-label': 'Cell colours' }, (Object.keys(STATE_LABEL) as CellState[]).map((s) => h('li', {}, h('span', { class: `swatch state-${s}`, 'aria-hidden': 'true' }), STATE_LABEL[s])));
}

function table(rows: Row[], redraw: () => void, go: (hash: string) => void): HTMLElement {
  const header = (key: SortKey, label: string) => {
    const active = view.sort === key;
    return h(
      'th',
      { scope: 'col', 'aria-sort': active ? (view.descending ? 'descending' : 'ascending') : 'none' },
      h(
        'button',
        {
          type: 'button',
          class: 'sort',
          'data-sort': key,
          onclick: () => {
            view.descending = active ? !view.descending : key !== 'partner';
            view.sort = key;
            redraw();
          },
        },
        label,
        h('span', { 'aria-hidden': 'true' }, active ? (view.descending ? ' ▼' : ' ▲') : ''),
      ),
    );
  };
  return h(
    'table',
    { class: 'portfolio', id: 'portfolio' },
    h('caption', { class: 'visually-hidden' }, 'Partners and their six solution areas; the column buttons sort'),
    h('thead', {}, h('tr', {}, header('partner', 'Partner'), AREA_ORDER.map((a) => header(a, AREA_SHORT[a]!)), header('risk', 'At risk'))),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          { 'data-partner': r.partnerId },
          h('th', { scope: 'row' }, h('a', { href: `#/partner/${encodeURIComponent(r.partnerId)}`, onclick: (e: Event) => (e.preventDefault(), go(`#/partner/${encodeURIComponent(r.partnerId)}`)) }, r.partnerId)),
          r.scores
            ? AREA_ORDER.map((a) => {
                const s = r.scores!.areas.find((x) => x.area === a);
                const state = cellState(r.scores!, a);
                return h('td', { class: `cell state-${state}`, 'data-area': a, 'data-total': s?.total ?? '', 'data-state': state }, h('span', { class: 'cell-total' }, s ? fmtPoints(s.total) : '–'), h('span', { class: 'cell-state' }, STATE_LABEL[state]));
              })
            : h('td', { colspan: AREA_ORDER.length, class: 'cell-error' }, r.error ?? ''),
          h('td', { class: 'risk-count' }, fmtInt(riskCount(r))),
        ),
      ),
    ),
  );
}
