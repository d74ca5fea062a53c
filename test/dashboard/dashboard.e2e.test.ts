import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../shared/lib/dates';
import { recomputePartner } from '../../shared/recompute/partner';
import { DASHBOARD_CSP } from '../../shared/http/dashboard-assets';
import { generateSnapshot, LARGE_PARTNER } from '../../tools/fixtures/snapshot-generate';
import { importSnapshotAsState } from '../../tools/fixtures/snapshot-import';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { eventually, REPO_ROOT, startHostProcess, type HostProcess } from '../helpers/host-process';
import { newPartnerId } from '../helpers/ids';

/**
 * The dashboard in a real browser (issue 17): Debian's chromium driven by playwright-core against the local host with
 * the demo partners (SEED_DEMO) and a partner of 2,000 customers and 24 months of telemetry. What the page shows is
 * compared with what the API answers; any page error, console error or failed request fails the test.
 */

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(REPO_ROOT, 'test-results');
const DEMO = ['demo-contoso', 'demo-fabrikam', 'demo-northwind'];
/** The days the large partner is scored on, today last. */
const HISTORY_DAYS_BACK = [0];
const AREAS = ['data-ai', 'infrastructure', 'digital-app-innovation', 'business-applications', 'modern-work', 'security'];

interface AreaScore {
  area: string;
  total: number;
  status: string;
}
interface Scores {
  areas: AreaScore[];
  projectedLosses: { area: string }[];
}

/** The portfolio cell's state as the page derives it: at risk (forecast) wins, then the status. */
function expectedState(s: Scores, area: string): string {
  if (s.projectedLosses.some((l) => l.area === area)) return 'at-risk';
  const status = s.areas.find((a) => a.area === area)!.status;
  if (status === 'eligible-to-enroll') return 'eligible';
  if (['qualified', 'enrolled', 'enrolled-renewal-due'].includes(status)) return 'qualified';
  return 'in-progress';
}

describe('the dashboard in chromium', () => {
  let stores: IsolatedStores;
  let host: HostProcess;
  let browser: Browser;
  const large = newPartnerId('large');
  const today = todayUtc();
  const scores = new Map<string, Scores>();
  /** Problems the page reported during the current test; `allowed` lists what a test expects (a 404 it asks for). */
  let problems: string[] = [];
  let allowed: RegExp[] = [];

  const api = async <T>(p: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${host.url}/api/${p}`, init);
    expect(res.status, `${p}: ${res.status}`).toBeLessThan(300);
    return (await res.json()) as T;
  };

  async function open(width: number, hash = '#/'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'de-DE' });
    const page = await context.newPage();
    const origin = new URL(host.url).origin;
    const report = (what: string) => {
      if (!allowed.some((r) => r.test(what))) problems.push(what);
    };
    page.on('pageerror', (e) => report(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && report(`console error: ${m.text()} (${m.location().url})`));
    page.on('requestfailed', (r) => report(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('request', (r) => !r.url().startsWith(origin) && !r.url().startsWith('data:') && report(`external request: ${r.url()}`));
    page.on('response', (r) => r.status() >= 400 && report(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(`${host.url}/api/dashboard${hash}`);
    return page;
  }

  beforeAll(async () => {
    stores = await isolatedStores({ ownAzurite: true });
    const t0 = Date.now();
    const step = (what: string) => console.log(`dashboard test set-up: ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    host = await startHostProcess({ env: { ...stores.env, SEED_DEMO: 'true', SCORE_RECOMPUTE_SCHEDULE: '0 0 0 1 1 *', WEBHOOK_SOURCES: '', RECOMPUTE_COALESCE_SECONDS: '1', SEED_DEMO_HISTORY: 'false' } });
    await eventually(async () => (host.output().includes('[seed] demo partners loaded') || host.output().includes('[seed] failed') ? true : undefined), 240_000, 'the demo seed');
    expect(host.output()).not.toContain('[seed] failed');
    step('demo partners seeded');
    // The large partner, once the seed's run is over (it would be in the run otherwise): stored directly (the webhook
    // path would take minutes for 2,000 customers) and scored today (each day scored costs a minute or more here).
    await importSnapshotAsState(generateSnapshot({ ...LARGE_PARTNER, date: today, seed: 17, partnerId: large }));
    step('large partner stored');
    for (const date of HISTORY_DAYS_BACK.map((n) => addDays(today, -n))) await recomputePartner(large, { date, reason: 'manual' });
    step('large partner scored');
    for (const p of [...DEMO, large]) scores.set(p, await api<Scores>(`partners/${p}/scores`));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    mkdirSync(SHOTS, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    if (process.env.DEBUG_HOST) console.log(host?.output());
    await browser?.close();
    await host?.stop();
    await stores?.close();
  });

  afterEach(() => {
    const seen = problems;
    problems = [];
    allowed = [];
    expect(seen, 'page errors, console errors or failed requests').toEqual([]);
  });

  it('serves the page and its bundle from the app, with content types, cache headers and a strict CSP, under 300 KB gzipped', async () => {
    const page = await fetch(`${host.url}/api/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("default-src 'self'");
    const html = await page.text();
    const version = /app\.js\?v=([0-9a-f]+)/.exec(html)?.[1];
    expect(version).toBeTruthy();
    const js = await fetch(`${host.url}/api/dashboard/app.js?v=${version}`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await fetch(`${host.url}/api/dashboard/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('no-cache');
    for (const bad of ['nope.js', 'app.js.map', '..%2Fpackage.json', 'index.html%00']) expect((await fetch(`${host.url}/api/dashboard/${bad}`)).status, bad).toBe(404);
    // No URL to anywhere else in what the page loads.
    const bundle = (await js.text()) + (await css.text()) + html;
    expect(bundle).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\/[^\s"')]*\.(?:js|css|woff2?|ttf|png|svg)/i);
    const gzipped = ['index.html', 'app.js', 'app.css'].reduce((n, f) => n + gzipSync(readFileSync(path.join(REPO_ROOT, 'dist', 'dashboard', f))).length, 0);
    console.log(`dashboard bundle: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(300 * 1024);
  });

  it('shows every partner in the portfolio with each area total and state as the API has them, and sorts by a column', async () => {
    const page = await open(1280);
    await page.waitForSelector('#portfolio tbody tr');
    for (const p of [...DEMO, large]) {
      const s = scores.get(p)!;
      for (const area of AREAS) {
        const cell = page.locator(`tr[data-partner="${p}"] td[data-area="${area}"]`);
        const want = s.areas.find((a) => a.area === area)!;
        expect(Number(await cell.getAttribute('data-total')), `${p} ${area}`).toBe(want.total);
        expect(await cell.getAttribute('data-state'), `${p} ${area}`).toBe(expectedState(s, area));
      }
    }
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-portfolio-1280.png'), fullPage: true });

    const order = async () => page.locator('#portfolio tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-partner')));
    const byTotal = (area: string, dir: 1 | -1) =>
      [...scores.entries()].sort(([a, x], [b, y]) => (x.areas.find((z) => z.area === area)!.total - y.areas.find((z) => z.area === area)!.total) * dir || a.localeCompare(b)).map(([p]) => p);
    await page.click('button[data-sort="modern-work"]');
    expect(await order()).toEqual(byTotal('modern-work', -1));
    expect(await page.getAttribute('th:has(button[data-sort="modern-work"])', 'aria-sort')).toBe('descending');
    await page.click('button[data-sort="modern-work"]');
    expect(await order()).toEqual(byTotal('modern-work', 1));
    await page.click('button[data-sort="partner"]');
    expect(await order()).toEqual([...scores.keys()].sort());

    // Filter and search: the partners at risk somewhere, then one by name.
    await page.selectOption('#filter-state', 'at-risk');
    const atRisk = [...scores.entries()].filter(([, s]) => AREAS.some((a) => expectedState(s, a) === 'at-risk')).map(([p]) => p).sort();
    expect(await order()).toEqual(atRisk);
    await page.selectOption('#filter-state', '');
    await page.fill('#search', 'fabrik');
    expect(await order()).toEqual(['demo-fabrikam']);
    await page.close();
  });

  it('has no serious or critical accessibility violation, and keeps its layout at 390 px', async () => {
    const page = await open(390);
    await page.waitForSelector('#portfolio tbody tr');
    const portfolio = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-portfolio-390.png'), fullPage: true });
    await page.goto(`${host.url}/api/dashboard#/partner/demo-northwind`);
    await page.waitForSelector('.risks dl.freshness');
    await page.waitForSelector('.chart[data-forecast="true"] canvas');
    const partner = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-partner-390.png'), fullPage: true });
    const serious = [...portfolio.violations, ...partner.violations].filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(serious).toEqual([]);
    // Nothing wider than the screen but the scrolling table.
    const overflow = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    const wide = await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.table-scroll, .history')).map((e) => e.tagName + '.' + e.className).slice(0, 10)`);
    expect(overflow, JSON.stringify(wide)).toBeLessThanOrEqual(390);
    await page.close();
  });

  it("shows each partner's six areas with the API's totals and statuses, the history chart and the risks", async () => {
    for (const p of DEMO) {
      const page = await open(1280, `#/partner/${p}`);
      await page.waitForSelector('.risks dl.freshness');
      await page.waitForSelector('.area-detail .metrics');
      const s = scores.get(p)!;
      for (const a of s.areas) {
        const card = page.locator(`.area-card[data-area="${a.area}"]`);
        expect(Number(await card.locator('.total').getAttribute('data-total')), `${p} ${a.area}`).toBe(a.total);
        expect(await card.locator('.area-status').getAttribute('data-status'), `${p} ${a.area}`).toBe(a.status);
      }
      const warnings = await api<{ warnings: unknown[] }>(`partners/${p}/cert-warnings?days=90`);
      expect(await page.locator('.risks table.warnings tbody tr').count()).toBe(warnings.warnings.length);
      if (p === 'demo-northwind') {
        await page.waitForSelector('.chart[data-forecast="true"] canvas');
        const forecast = await api<{ losses: { area: string; lossDate: string }[] }>(`partners/${p}/forecast`);
        expect(forecast.losses.length).toBeGreaterThan(0);
        expect(await page.locator('.risks li.loss').count()).toBe(forecast.losses.length);
        await page.screenshot({ path: path.join(SHOTS, 'dashboard-partner-1280.png'), fullPage: true });
      }
      await page.close();
    }
  });

  it('runs a what-if through POST /simulate and shows its total', async () => {
    const p = 'demo-fabrikam';
    const s = scores.get(p)!;
    const area = [...s.areas].filter((a) => a.total < 70).sort((x, y) => y.total - x.total)[0]!.area;
    const { breakdown } = await api<{ breakdown: { gap?: { steps: { changes: unknown[] }[] } } }>(`partners/${p}/scores/${area}`);
    const steps = breakdown.gap?.steps ?? [];
    expect(steps.length).toBeGreaterThan(0);
    const page = await open(1280, `#/partner/${p}/${area}`);
    await page.waitForSelector('#whatif-form');
    for (let i = 0; i < steps.length; i++) await page.check(`#step-${i}`);
    await page.fill('#whatif-cert', 'AZ-104');
    await page.fill('#whatif-cert-count', '1');
    await page.click('#whatif-form button[type="submit"]');
    await page.waitForSelector('.whatif-total');
    const shown = Number(await page.getAttribute('.whatif-total', 'data-total'));
    const changes = [...steps.flatMap((x) => x.changes), { op: 'add-professional', professional: { id: 'expected-1', linked: true, linkedOn: today, certifications: [{ certificationId: 'azure-administrator-associate', earnedOn: today }] } }];
    const sim = await api<{ areas: { area: string; after: { total: number; status: string } }[] }>(`partners/${p}/simulate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ changes }) });
    const want = sim.areas.find((a) => a.area === area)!.after;
    expect(shown).toBe(want.total);
    expect(await page.getAttribute('.whatif-status', 'data-status')).toBe(want.status);
    // Nothing was stored.
    expect((await api<Scores>(`partners/${p}/scores`)).areas).toEqual(s.areas);
    await page.close();
  });

  it('takes the function key from the link npm start prints into the tab, out of the address bar, and sends it to the API', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const keyed: string[] = [];
    page.on('request', (r) => r.url().includes('/api/partners') && r.headers()['x-functions-key'] === host.keys.functionKey && keyed.push(r.url()));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${host.url}/api/dashboard#key=${host.keys.functionKey}`);
    await page.waitForSelector('#portfolio tbody tr');
    expect(await page.evaluate('location.hash')).toBe('#/');
    expect(await page.evaluate("sessionStorage.getItem('pcs.functionKey')")).toBe(host.keys.functionKey);
    expect(keyed.length).toBeGreaterThan(0);
    await context.close();
  });

  it('says what to do when a partner is not found', async () => {
    allowed = [/\/api\/partners\/no-such-partner\/scores/, /404/];
    const page = await open(1280, '#/partner/no-such-partner');
    const alert = page.locator('.error[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/no-such-partner/);
    expect(await alert.textContent()).toMatch(/Check the partner id/);
    await page.close();
  });
  it('renders a partner of 2,000 customers and 24 months of history in under 1.5 s', async () => {
    const page = await open(1280, `#/partner/${large}`);
    await page.waitForSelector('.area-card .total');
    const first = Number(await page.getAttribute('#app', 'data-first-render-ms'));
    // Then the chosen area's metrics and its history chart. The forecast and the certification warnings of a partner
    // this size take the API far longer (they score the partner again for each month end and each certification):
    // the page shows them when they come, and this test, the last, does not wait for them.
    await page.waitForSelector('.area-detail .metrics');
    await page.waitForSelector('.chart canvas');
    const detail = await page.evaluate('Math.round(performance.now())');
    console.log(`dashboard: partner of 2,000 customers, first meaningful render (six area cards) ${first} ms after navigation start; area breakdown and history chart ${detail} ms`);
    const s = scores.get(large)!;
    for (const a of s.areas) expect(Number(await page.locator(`.area-card[data-area="${a.area}"] .total`).getAttribute('data-total'))).toBe(a.total);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(1500);
    await page.close();
  });

});
