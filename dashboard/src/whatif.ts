import { ApiError, get, partnerPath, post } from './api';
import { h, mount } from './dom';
import { fmtPoints } from './format';
import { statusLabel } from './status';
import type { Breakdown, Scores, Simulation } from './types';

/**
 * What-if: changes sent to POST /simulate, which scores the stored state with them and stores nothing. The changes
 * are the plan's own steps (already in the simulate format), certified people by exam code or certification name
 * (resolved with the catalogue), and customers copied from one of the partner's own customers of the area (its
 * association and its last twelve months of usage), so the page carries no scoring rule of its own.
 */

interface Catalog {
  certifications: { id: string; name: string; aliases: { names: string[]; exams: string[] } }[];
}

let catalog: Promise<Catalog | undefined> | undefined;
const loadCatalog = () => (catalog ??= get<Catalog>('catalog/certifications').catch(() => undefined));

/** A catalogue entry by id, exam code (AZ-104) or name, case and spacing aside. */
export function resolveCertification(c: Catalog, text: string): { id: string; name: string } | undefined {
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!key) return undefined;
  return c.certifications.find((x) => x.id === key || x.name.toLowerCase() === key || x.aliases.exams.some((e) => e.toLowerCase() === key) || x.aliases.names.some((n) => n.toLowerCase() === key));
}

const today = () => new Date().toISOString().slice(0, 10);
let sequence = 0;

async function customerCopies(partnerId: string, area: string, count: number): Promise<unknown[]> {
  type Assoc = { tenantId: string; type: string; [k: string]: unknown };
  const byArea = await get<{ items: Assoc[] }>(partnerPath(partnerId, `/associations?status=active&solutionArea=${area}&limit=1`));
  const model = byArea.items[0] ?? (await get<{ items: Assoc[] }>(partnerPath(partnerId, '/associations?status=active&limit=1'))).items[0];
  if (!model) throw new Error('The partner has no active customer association to copy.');
  const usage = await get<{ items: { month: string; [k: string]: unknown }[] }>(partnerPath(partnerId, `/telemetry?tenantId=${encodeURIComponent(model.tenantId)}&limit=500`));
  const months = [...new Set(usage.items.map((r) => r.month))].sort().slice(-12);
  const rows = usage.items.filter((r) => months.includes(r.month));
  const changes: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const tenantId = `whatif-customer-${Date.now().toString(36)}-${++sequence}`;
    const { id: _id, updatedAt: _u, lastEventId: _l, lifecycle: _c, history: _h, details: _d, earlierPeriods: _e, endDate: _end, ...association } = model;
    changes.push({ op: 'add-customer', customer: { tenantId, name: `What-if customer ${i + 1}` } });
    changes.push({ op: 'add-association', association: { ...association, id: `${tenantId}-association`, tenantId, status: 'active', ...(association.subscriptionId ? { subscriptionId: `${tenantId}-subscription` } : {}) } });
    if (rows.length)
      changes.push({
        op: 'add-telemetry',
        rows: rows.map(({ updatedAt: _a, lastEventId: _b, ...r }) => ({ ...r, tenantId, ...(r.subscriptionId ? { subscriptionId: `${tenantId}-subscription` } : {}) })),
      });
  }
  return changes;
}

export function whatIfPanel(scores: Scores, b: Breakdown): HTMLElement {
  const partnerId = scores.partnerId;
  const steps = b.gap && !b.gap.qualifies ? b.gap.steps : [];
  const result = h('div', { class: 'whatif-result', role: 'status', 'aria-live': 'polite' });
  const stepBoxes = steps.map((s, i) => h('input', { type: 'checkbox', id: `step-${i}`, 'data-step': i }));
  const certText = h('input', { type: 'text', id: 'whatif-cert', list: 'whatif-certs', placeholder: 'AZ-104 or Azure Administrator Associate', autocomplete: 'off' });
  const certCount = h('input', { type: 'number', id: 'whatif-cert-count', min: 0, max: 50, value: 0, inputmode: 'numeric' });
  const customerCount = h('input', { type: 'number', id: 'whatif-customers', min: 0, max: 50, value: 0, inputmode: 'numeric' });
  const datalist = h('datalist', { id: 'whatif-certs' });
  void loadCatalog().then((c) => c && mount(datalist, c.certifications.flatMap((x) => [h('option', { value: x.name }), ...x.aliases.exams.map((e) => h('option', { value: e }, x.name))])));

  const run = async (e: Event) => {
    e.preventDefault();
    const changes: unknown[] = [];
    stepBoxes.forEach((box, i) => box.checked && changes.push(...steps[i]!.changes));
    mount(result, h('p', { class: 'loading' }, 'Simulating…'));
    try {
      const people = Number(certCount.value) || 0;
      if (people > 0) {
        const c = await loadCatalog();
        const cert = c && resolveCertification(c, certText.value);
        if (!cert) {
          mount(result, h('p', { class: 'error', role: 'alert' }, `"${certText.value}" is not a certification this app knows: type an exam code (AZ-104) or a certification's name from the list.`));
          certText.focus();
          return;
        }
        for (let i = 0; i < people; i++) changes.push({ op: 'add-professional', professional: { id: `whatif-person-${Date.now().toString(36)}-${++sequence}`, name: `What-if person ${i + 1}`, linked: true, linkedOn: today(), certifications: [{ certificationId: cert.id, earnedOn: today() }] } });
      }
      const customers = Number(customerCount.value) || 0;
      if (customers > 0) changes.push(...(await customerCopies(partnerId, b.area, customers)));
      if (changes.length === 0) {
        mount(result, h('p', {}, 'Choose a plan step or add people or customers first.'));
        return;
      }
      const sim = await post<Simulation>(partnerPath(partnerId, '/simulate'), { changes });
      const mine = sim.areas.find((a) => a.area === b.area);
      mount(
        result,
        mine ? h('p', { class: 'whatif-headline' }, `${mine.name}: `, h('strong', { class: 'whatif-total', 'data-total': mine.after.total }, fmtPoints(mine.after.total)), ` points (${mine.delta >= 0 ? '+' : ''}${fmtPoints(mine.delta)}), `, h('span', { class: 'whatif-status', 'data-status': mine.after.status }, statusLabel(mine.after.status))) : null,
        h(
          'div',
          { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'What-if totals' },
          h(
          'table',
          { class: 'whatif-table' },
          h('caption', {}, `${sim.changes} changes simulated; nothing was stored`),
          h('thead', {}, h('tr', {}, ['Area', 'Now', 'With the changes', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, sim.areas.map((a) => h('tr', { 'data-area': a.area }, h('th', { scope: 'row' }, a.name), h('td', {}, fmtPoints(a.before.total)), h('td', { 'data-total': a.after.total }, fmtPoints(a.after.total)), h('td', {}, statusLabel(a.after.status))))),
          ),
        ),
      );
    } catch (err) {
      const msg = err instanceof ApiError && err.status === 403 ? 'A simulation needs the partner.editor role on this partner; ask an operator for it.' : (err as Error).message;
      mount(result, h('p', { class: 'error', role: 'alert' }, `The simulation failed: ${msg}`));
    }
  };

  return h(
    'section',
    { class: 'whatif', 'aria-labelledby': 'whatif-title' },
    h('h3', { id: 'whatif-title' }, 'What if'),
    h(
      'form',
      { id: 'whatif-form', onsubmit: run },
      steps.length
        ? h('fieldset', {}, h('legend', {}, "The plan's steps"), steps.map((s, i) => h('div', { class: 'check' }, stepBoxes[i]!, h('label', { for: `step-${i}` }, `Add ${s.add} ${s.what}`))))
        : null,
      h('fieldset', {}, h('legend', {}, 'Certified people'), h('label', { for: 'whatif-cert' }, 'Certification (exam code or name)'), certText, datalist, h('label', { for: 'whatif-cert-count' }, 'How many people'), certCount),
      h('fieldset', {}, h('legend', {}, 'Customers'), h('label', { for: 'whatif-customers' }, 'New customers like an existing one (its association and last 12 months of usage)'), customerCount),
      h('button', { type: 'submit' }, 'Simulate'),
      h('p', { class: 'hint' }, 'Nothing is stored: POST /simulate scores the stored state with these changes.'),
    ),
    result,
  );
}
