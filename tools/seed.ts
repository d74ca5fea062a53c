import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type CliIo, consoleIo, parseCli, runAsCommand } from './cli-args';
import { generateSnapshot } from './fixtures/snapshot-generate';
import { forecastScores } from '../shared/forecast/forecast';
import { MAX_EVENTS_PER_DELIVERY } from '../shared/events/schemas';
import { AREAS, parseSnapshot, scorePartner, type PartnerSnapshot, type PartnerSnapshotInput } from '../shared/scoring';
import { addDays, todayUtc } from '../shared/lib/dates';
import { signedHeaders } from '../shared/lib/signing';
import { sourceSettingSuffix } from '../shared/webhooks/sources';
import { loadLocalSettings } from './devhost/host-config';
import { savedFunctionKey } from './devhost/local-auth';
import { isPlaceholder, localDataDir } from './devhost/start-up';

/**
 * `npm run seed [-- --url http://localhost:7071 --source NAME]`: loads three demo partners into a running app
 * through its public, signed webhook path, runs the nightly recompute and prints every partner's area totals.
 * `SEED_DEMO=true npm start` does the same right after the local host starts (tools/devhost/main.ts).
 *
 * The partners are realistic (customers that come and go, associations of every type, certified people,
 * 24 months of telemetry) and chosen by scoring candidates with the engine: one qualified in several areas,
 * one close to 70 in an area, one whose designation the forecast shows lost within 60 days.
 */

export const DEMO_SOURCE = 'demo';

export interface DemoPartner {
  partnerId: string;
  name: string;
  profile: string;
  events: Record<string, unknown>[];
}

type Log = (line: string) => void;

const PROJECT_DIR = path.join(__dirname, '..', '..');
const DEMO_SECRET_FILE = 'demo-source.json';


/** The demo source's secret that `SEED_DEMO=true npm start` kept in its data folder, for `npm run seed` against that app. */
export function savedDemoSecret(dataDirSetting: string | undefined, projectDir = PROJECT_DIR): string | undefined {
  const dir = localDataDir(dataDirSetting, projectDir);
  if (!dir) return undefined;
  try {
    return (JSON.parse(readFileSync(path.join(dir, DEMO_SECRET_FILE), 'utf8')) as { secret?: string }).secret;
  } catch {
    return undefined;
  }
}

/**
 * Adds a `demo` webhook source (any partner) to the settings: for SEED_DEMO=true npm start. Its secret is the one
 * kept in the data folder from an earlier start, else a new random one, kept there (unless LOCAL_DATA_DIR=none) so
 * that `npm run seed` can sign deliveries to this app too.
 */
export function prepareDemoSource(env: Record<string, string | undefined> = process.env, appDir?: string): void {
  // Sources configured in local.settings.json stay: process.env wins over it in the local host.
  const local = appDir ? loadLocalSettings(appDir).values : {};
  const listed = (env.WEBHOOK_SOURCES ?? local.WEBHOOK_SOURCES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (listed.some((s) => s.toLowerCase() === DEMO_SOURCE)) return;
  const secretSetting = `WEBHOOK_SECRET_${sourceSettingSuffix(DEMO_SOURCE)}`;
  const dataDir = localDataDir(env.LOCAL_DATA_DIR ?? local.LOCAL_DATA_DIR, appDir ?? PROJECT_DIR);
  env.WEBHOOK_SOURCES = [...listed, DEMO_SOURCE].join(',');
  env[secretSetting] ??= savedDemoSecret(env.LOCAL_DATA_DIR ?? local.LOCAL_DATA_DIR, appDir ?? PROJECT_DIR) ?? `whsec_${randomBytes(32).toString('base64')}`;
  env[`WEBHOOK_PARTNERS_${sourceSettingSuffix(DEMO_SOURCE)}`] ??= '*';
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, DEMO_SECRET_FILE), JSON.stringify({ source: DEMO_SOURCE, secret: env[secretSetting] }), { mode: 0o600 });
  }
}

const at = (date: string) => `${date}T09:00:00Z`;

/** The webhook events that rebuild a snapshot's associations, professionals and telemetry. */
export function snapshotToEvents(s: PartnerSnapshot): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  let n = 0;
  const push = (type: string, occurredAt: string, data: Record<string, unknown>) => events.push({ id: `${s.partnerId}-${++n}`, type, partnerId: s.partnerId, occurredAt, data });
  for (const a of s.associations) {
    if (a.status !== 'active' && a.status !== 'ended') continue;
    const end = a.endDate ?? (a.status === 'ended' ? a.startDate : undefined);
    if (a.type === 'CPOR') {
      const data = {
        claimId: a.id,
        tenantId: a.tenantId,
        solutionArea: a.solutionArea ?? 'modern-work',
        role: a.role ?? 'use-or-consume',
        ...(a.workloads ? { workloads: a.workloads } : {}),
        // Business Applications claims are per subscription.
        ...(a.subscriptionId || a.solutionArea === 'business-applications' ? { subscriptionId: a.subscriptionId ?? `sub-${a.tenantId}` } : {}),
      };
      push('cpor.claim.submitted', at(addDays(a.startDate, -3)), data);
      push('cpor.claim.approved', at(a.startDate), data);
      if (end) push('cpor.claim.disassociated', at(end), data);
    } else if (a.type === 'PAL') {
      const data = { tenantId: a.tenantId, objectId: `sp-${a.id}`, role: 'Contributor' };
      push('pal.linked', at(a.startDate), data);
      if (end) push('pal.unlinked', at(end), data);
    } else if (a.type === 'DPOR') {
      const data = { tenantId: a.tenantId, subscriptionId: a.subscriptionId ?? `sub-${a.id}` };
      push('dpor.attached', at(a.startDate), data);
      if (end) push('dpor.detached', at(end), data);
    } else {
      const data = { tenantId: a.tenantId, tier: a.cspTier ?? 1 };
      push('csp.relationship.started', at(a.startDate), data);
      if (end) push('csp.relationship.ended', at(end), data);
    }
  }
  for (const p of s.professionals) {
    if (!p.linked || !p.linkedOn) continue;
    const learnProfileId = p.learnProfileId ?? p.id;
    push('professional.linked', at(p.linkedOn), { learnProfileId, ...(p.name ? { name: p.name } : {}) });
    for (const c of p.certifications) {
      push('certification.earned', at(c.earnedOn), { learnProfileId, certificationId: c.certificationId, earnedOn: c.earnedOn, ...(c.expiresOn ? { expiresOn: c.expiresOn } : {}) });
    }
  }
  for (const t of s.telemetry) {
    const { tenantId, month, platform, workload, associationType, subscriptionId, offer, acrUsd, revenueUsd, paidSeats, activeUsers, mcvUnits, protectedUsers } = t;
    const figures = Object.fromEntries(Object.entries({ acrUsd, revenueUsd, paidSeats, activeUsers, mcvUnits, protectedUsers }).filter(([, v]) => v !== undefined));
    if (Object.keys(figures).length === 0) continue;
    push('telemetry.monthly', `${month}-28T12:00:00Z`, { month, tenantId, platform, workload, associationType, ...(subscriptionId ? { subscriptionId } : {}), ...(offer ? { offer } : {}), ...figures });
  }
  return events;
}

/** What the state will hold after the events: no customer list or enrollments (the seed sends no customer.updated or designation.* events). */
function asStored(input: PartnerSnapshotInput): PartnerSnapshot {
  const s = parseSnapshot(input);
  return parseSnapshot({ ...s, customers: [], enrollments: [], professionals: s.professionals.filter((p) => p.linked && p.linkedOn) });
}

/** Three demo partners picked by the engine from deterministic candidates for today's date. */
export function demoPartners(date = todayUtc()): DemoPartner[] {
  const wanted = [
    { partnerId: 'demo-contoso', name: 'Contoso Cloud Services', profile: 'qualified in several areas', fits: (s: PartnerSnapshot) => scorePartner(s, { date, includeGap: false }).areas.filter((a) => a.qualifiesToday).length >= 2 },
    {
      partnerId: 'demo-fabrikam',
      name: 'Fabrikam Consulting',
      profile: 'close to 70 in an area',
      fits: (s: PartnerSnapshot) => {
        const areas = scorePartner(s, { date, includeGap: false }).areas;
        return !areas.some((a) => a.qualifiesToday) && areas.some((a) => a.total >= 60 && a.total < 70);
      },
    },
    {
      partnerId: 'demo-northwind',
      name: 'Northwind Solutions',
      profile: 'about to lose a designation',
      fits: (s: PartnerSnapshot) => forecastScores(s, { date, months: 3, lossesOnly: true, lossHorizon: addDays(date, 60) }).losses.length > 0,
    },
  ];
  const sizes = [
    { tenants: 30, associations: 60, professionals: 20 },
    { tenants: 12, associations: 24, professionals: 8 },
  ];
  const used = new Set<string>();
  const out: DemoPartner[] = [];
  for (const w of wanted) {
    let chosen: PartnerSnapshot | undefined;
    let fallback: PartnerSnapshot | undefined;
    for (let seed = 1; seed <= 40 && !chosen; seed++) {
      for (const size of sizes) {
        const key = `${seed}/${size.tenants}`;
        if (used.has(key)) continue;
        const s = asStored(generateSnapshot({ ...size, months: 24, date, seed, partnerId: w.partnerId }));
        fallback ??= s;
        if (w.fits(s)) {
          chosen = s;
          used.add(key);
          break;
        }
      }
    }
    const s = chosen ?? fallback!;
    out.push({ partnerId: w.partnerId, name: w.name, profile: chosen ? w.profile : `${w.profile} (no candidate fitted today; a typical partner instead)`, events: snapshotToEvents(s) });
  }
  return out;
}

export interface SeedOptions {
  url: string;
  source?: string;
  secret?: string;
  date?: string;
  log?: Log;
  timeoutMs?: number;
  /** The demo source's secret an app started with SEED_DEMO=true kept (savedDemoSecret). */
  demoSecret?: string;
  /** A host key, for the routes behind access control (runs, scores). */
  key?: string;
}

export interface SeedResult {
  runId?: string;
  partners: { partnerId: string; name: string; profile: string; areas: { area: string; total: number; status: string }[] }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text };
  }
}

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(300);
  }
}

/** Posts the demo partners through the webhook endpoint, runs the recompute and returns each partner's totals. */
export async function seedDemo(opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const base = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const keyed: Record<string, string> = opts.key ? { 'x-functions-key': opts.key } : {};
  const listed = (process.env.WEBHOOK_SOURCES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const demoSecret = opts.demoSecret;
  // An app started with SEED_DEMO=true has a `demo` source whose secret it kept in its data folder: prefer it.
  const source = opts.source ?? listed.find((s) => s.toLowerCase() === DEMO_SOURCE) ?? (demoSecret ? DEMO_SOURCE : listed[0]);
  if (!source)
    throw new Error(
      'No webhook source to sign the deliveries with. Either configure one (WEBHOOK_SOURCES, WEBHOOK_SECRET_<NAME>, WEBHOOK_PARTNERS_<NAME> in local.settings.json) and restart the app, or pass --source NAME --secret whsec_... of a source the app has. ' +
        'An app started with SEED_DEMO=true seeds itself and keeps its demo secret in its data folder (LOCAL_DATA_DIR, default .local-data) for this command; with LOCAL_DATA_DIR=none it keeps none.',
    );
  const configured = process.env[`WEBHOOK_SECRET_${sourceSettingSuffix(source)}`];
  const secret = opts.secret ?? (source.toLowerCase() === DEMO_SOURCE && demoSecret ? demoSecret : !configured || isPlaceholder(configured) ? undefined : configured);
  if (!secret) throw new Error(`No secret for source "${source}": set WEBHOOK_SECRET_${sourceSettingSuffix(source)} (local.settings.json holds ${configured === undefined ? 'none' : 'the example\'s placeholder'}) or pass --secret whsec_....`);
  const secrets = secret.trim().split(/\s+/);

  const partners = demoPartners(opts.date);
  const deliveries: string[] = [];
  for (const p of partners) {
    for (let i = 0; i < p.events.length; i += MAX_EVENTS_PER_DELIVERY) {
      const body = JSON.stringify({ events: p.events.slice(i, i + MAX_EVENTS_PER_DELIVERY) });
      const id = `seed_${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
      const res = await fetch(`${base}/api/webhooks/${encodeURIComponent(source)}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signedHeaders(secrets, id, body) } });
      if (res.status === 401 || res.status === 404)
        throw new Error(`The app refused the deliveries of source "${source}" (${res.status}: ${JSON.stringify(await json(res))}): it must list the source in WEBHOOK_SOURCES with the same secret as this command (--source, --secret, or the app's local.settings.json).`);
      if (res.status !== 202 && res.status !== 200) throw new Error(`The webhook endpoint answered ${res.status} for ${p.partnerId}: ${JSON.stringify(await json(res))}`);
      deliveries.push(id);
    }
    log(`  ${p.partnerId} (${p.name}, ${p.profile}): ${p.events.length} events sent`);
  }
  await until('the deliveries to be applied', timeoutMs, async () => {
    for (const id of deliveries) {
      const r = await json(await fetch(`${base}/api/webhooks/${encodeURIComponent(source)}/deliveries/${id}`, { headers: keyed }));
      if (r.status !== 'applied') return undefined;
    }
    return true;
  });
  log(`  all ${deliveries.length} deliveries applied`);

  // A partner joins the nightly run's directory with its first recompute, which its first state change asks for
  // a few seconds later; starting the run before that would leave the partner out of it.
  const scoresOf = async (partnerId: string) => {
    const res = await fetch(`${base}/api/partners/${partnerId}/scores`, { headers: keyed });
    return res.status === 200 ? ((await res.json()) as { areas: { area: string; total: number; status: string }[] }) : undefined;
  };
  for (const p of partners) await until(`the first score of ${p.partnerId}`, timeoutMs, () => scoresOf(p.partnerId));
  log('  every partner has a first score; starting the nightly recompute');

  const start = await fetch(`${base}/api/runs/recompute`, { method: 'POST', headers: keyed });
  const started = (await json(start)) as { run?: { id: string }; created?: boolean };
  const runId = started.run?.id;
  if (runId && started.created) {
    // The run reads each partner's state after every delivery was applied, so once it has finished every stored
    // score is the score of the whole seeded state (a partner it found unchanged already had that score).
    const run = await until(`run ${runId} to finish`, timeoutMs, async () => {
      const r = (await json(await fetch(`${base}/api/runs/${runId}`, { headers: keyed }))) as { status?: string; done?: number; total?: number };
      return r.status === 'finished' ? r : undefined;
    });
    log(`  run ${runId} finished: ${run.done} of ${run.total} partners`);
  } else if (runId) {
    log(`  today's run ${runId} had already run; the seeded partners are recomputed by their state changes`);
  }

  const result: SeedResult = { ...(runId ? { runId } : {}), partners: [] };
  for (const p of partners) {
    const scores = await until(`the scores of ${p.partnerId}`, timeoutMs, () => scoresOf(p.partnerId));
    result.partners.push({ partnerId: p.partnerId, name: p.name, profile: p.profile, areas: scores.areas.map((a) => ({ area: a.area, total: a.total, status: a.status })) });
  }
  return result;
}

/** The past days `seedHistory` scores: about every two weeks over the qualification window (six months). */
export const DEMO_HISTORY_DAYS_BACK = [168, 154, 140, 126, 112, 98, 84, 70, 56, 42, 28, 14, 7, 1];

/**
 * Scores the stored partners on past days (one nightly run per day, oldest first), so their history charts have a
 * line to show: each day's score is today's state as it stood on that day (associations not yet started, usage
 * not yet reported, certifications not yet earned do not count). A past run never moves a partner's latest score.
 */
export async function seedHistory(opts: Pick<SeedOptions, 'url' | 'key' | 'log' | 'timeoutMs'> & { date?: string; daysBack?: readonly number[] }): Promise<number> {
  const base = opts.url.replace(/\/+$/, '');
  const keyed: Record<string, string> = { 'content-type': 'application/json', ...(opts.key ? { 'x-functions-key': opts.key } : {}) };
  const today = opts.date ?? todayUtc();
  let done = 0;
  for (const back of opts.daysBack ?? DEMO_HISTORY_DAYS_BACK) {
    const date = addDays(today, -back);
    const started = (await json(await fetch(`${base}/api/runs/recompute`, { method: 'POST', headers: keyed, body: JSON.stringify({ date }) }))) as { run?: { id: string } };
    const runId = started.run?.id;
    if (!runId) throw new Error(`The recompute of ${date} did not start: ${JSON.stringify(started)}`);
    await until(`run ${runId} to finish`, opts.timeoutMs ?? 120_000, async () => {
      const r = (await json(await fetch(`${base}/api/runs/${runId}`, { headers: keyed }))) as { status?: string };
      return r.status === 'finished' ? true : undefined;
    });
    done++;
  }
  opts.log?.(`  ${done} past days scored, ${addDays(today, -Math.max(...(opts.daysBack ?? DEMO_HISTORY_DAYS_BACK)))} to ${addDays(today, -1)}`);
  return done;
}

export function formatSeedResult(r: SeedResult, url: string): string {
  const lines = ['', `${'partner'.padEnd(16)} ${AREAS.map((a) => a.padEnd(24)).join('')}`];
  for (const p of r.partners) {
    const cells = AREAS.map((a) => {
      const x = p.areas.find((y) => y.area === a);
      return (x ? `${Math.round(x.total * 10) / 10} ${x.status}` : '-').padEnd(24);
    });
    lines.push(`${p.partnerId.padEnd(16)} ${cells.join('')}`);
  }
  lines.push('', ...r.partners.map((p) => `  ${p.partnerId}: ${p.profile}. Try ${url}/api/partners/${p.partnerId}/scores, .../forecast, .../alerts`));
  return lines.join('\n');
}


const USAGE = `usage: npm run seed [-- --url http://localhost:7071] [--source NAME --secret whsec_...] [--key KEY]
Loads three demo partners into a running app through its signed webhook path, runs the nightly recompute and prints
their area totals.
  --url      the app (default http://localhost:<LocalHttpPort of local.settings.json, 7071>)
  --source   the webhook source to post as (default: the demo source of an app started with SEED_DEMO=true, else the
             first of WEBHOOK_SOURCES in local.settings.json)
  --secret   its secret (default: the saved demo secret, or WEBHOOK_SECRET_<SOURCE>)
  --key      a function key for the routes behind access control (default: FUNCTIONS_KEY, or the key the local host saved)
  -h, --help print this text`;

const OPTIONS = { url: { type: 'string' }, source: { type: 'string' }, secret: { type: 'string' }, key: { type: 'string' } } as const;

export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const parsed = parseCli(argv, { usage: USAGE, options: OPTIONS }, io);
  if (typeof parsed === 'number') return parsed;
  const args = parsed.values;
  // The same settings the local host reads, so a source configured in local.settings.json just works.
  const local = loadLocalSettings(PROJECT_DIR);
  for (const [k, v] of Object.entries(local.values)) process.env[k] ??= v;
  const url = args.url ?? `http://localhost:${local.port ?? 7071}`;
  io.out(`Seeding demo partners into ${url} ...`);
  try {
    const result = await seedDemo({
      url,
      source: args.source,
      secret: args.secret,
      demoSecret: savedDemoSecret(process.env.LOCAL_DATA_DIR),
      key: args.key ?? process.env.FUNCTIONS_KEY ?? savedFunctionKey(process.env.LOCAL_DATA_DIR),
      log: io.out,
    });
    io.out(formatSeedResult(result, url));
    return 0;
  } catch (e) {
    io.err(`Seeding failed: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) runAsCommand(main);
