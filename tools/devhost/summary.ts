import type { Settings } from '../../shared/config/settings';
import type { RegisteredFunction } from './core-api';
import type { LocalHttpServer } from './http-server';
import { triggerOf } from './invoker';
import { resolveSettingTokens } from './ncrontab';
import type { ScheduledTimer } from './timers';
import { IN_MEMORY, type LocalData } from './start-up';
import { COSMOS_SAVE_INTERVAL_MS } from '../emulators/cosmos-persistence';
import type { Principal } from '../../shared/access/principal';
import type { LocalKeys } from './local-auth';

/** What `npm start` prints before "Ready": every function with its route, schedule or queue, and the stores in use. */
export function registrationSummary(h: {
  url: string;
  routePrefix: string;
  functions: RegisteredFunction[];
  routes: ReturnType<LocalHttpServer['routeTable']>;
  timers: ScheduledTimer[];
  timersDisabled: boolean;
  env: Record<string, string | undefined>;
  settings: Settings;
  embedded: { cosmos: boolean; azurite: boolean };
  localData: LocalData;
  /** What the start-up found of runs a kill interrupted. */
  runs?: string[];
  keys?: LocalKeys;
  localPrincipal?: Principal;
}): string {
  const { url, settings, embedded } = h;
  const cosmosFile = h.localData.cosmos?.file;
  const lines = [`Functions (${h.functions.length}):`];
  const routes = new Map(h.routes.map((r) => [r.name, r]));
  for (const fn of [...h.functions].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const [, t] = triggerOf(fn);
    let what: string;
    if (t.type === 'httpTrigger') {
      const r = routes.get(fn.metadata.name);
      what = `[${(r?.methods ?? ['ANY']).join(',')}] ${url}/${h.routePrefix ? `${h.routePrefix}/` : ''}${r?.template ?? fn.metadata.name}`;
    } else if (t.type === 'timerTrigger') {
      const timer = h.timers.find((x) => x.fn === fn)!;
      what = `timer "${timer.schedule}" (UTC), next ${h.timersDisabled ? 'disabled' : timer.cron.nextRun()?.toISOString()}; run now: POST ${url}/admin/functions/${fn.metadata.name}`;
    } else if (t.type === 'queueTrigger') {
      what = `queue "${resolveSettingTokens(String(t.queueName), h.env)}"`;
    } else what = t.type;
    lines.push(`  ${fn.metadata.name.padEnd(28)} ${what}`);
  }
  const cosmosKept = cosmosFile ? ` (embedded emulator, saved to ${cosmosFile})` : ' (embedded emulator, in memory)';
  lines.push('', `Cosmos DB: ${settings.COSMOS_ENDPOINT}${embedded.cosmos ? cosmosKept : ''}, database "${settings.COSMOS_DATABASE}"`);
  const queueUrl = settings.AzureWebJobsStorage ? /QueueEndpoint=([^;]+)/.exec(settings.AzureWebJobsStorage)?.[1] ?? 'from AzureWebJobsStorage' : settings.AzureWebJobsStorage__queueServiceUri;
  lines.push(`Storage queues: ${queueUrl}${embedded.azurite ? (h.localData.azuriteOnDisk ? ' (Azurite, on disk)' : ' (Azurite, in memory)') : ''}`);
  if (embedded.cosmos || embedded.azurite) lines.push(localDataLine(h.localData));
  lines.push(...(h.runs ?? []));
  if (h.keys) lines.push('', ...accessLines(h.keys, h.localPrincipal));
  const dashboard = routes.get('dashboard');
  if (dashboard) lines.push('', dashboardLine(`${url}/${h.routePrefix ? `${h.routePrefix}/` : ''}${dashboard.template}`, h.keys, h.localPrincipal));
  return lines.join('\n');
}

const count = (n: number) => n.toLocaleString('en-US');

/** What the embedded emulators kept and restored, and how much a kill can lose. */
export function localDataLine(data: LocalData): string {
  if (!data.dir) return `Local data: in memory (LOCAL_DATA_DIR=${IN_MEMORY}); everything is lost when the host stops`;
  const parts: string[] = [];
  if (data.cosmos) {
    const r = data.cosmos.restored;
    if (data.discarded) parts.push('fresh: saved data discarded');
    else if (!r) parts.push('fresh: nothing saved yet');
    else parts.push(`restored ${count(r.documents)} documents in ${count(r.containers)} containers, saved ${r.savedAt}`);
    parts.push(`Cosmos DB saved within ${COSMOS_SAVE_INTERVAL_MS / 1000} s of each change, so a kill loses at most the last 1 s of writes`);
  } else if (data.discarded) parts.push('fresh: saved data discarded');
  if (data.azuriteOnDisk) parts.push('Azurite queues and blobs kept on disk');
  return `Local data: ${data.dir} (${parts.join('; ')})`;
}

/**
 * The dashboard's link. Without LOCAL_PRINCIPAL the page needs the function key: the link carries it in the fragment,
 * which the browser never sends to the server; the page keeps it in the tab's sessionStorage and drops it from the
 * address bar. With LOCAL_PRINCIPAL the page is that caller, so the link carries no key (a key would make it the operator).
 */
export function dashboardLine(pageUrl: string, keys: LocalKeys | undefined, localPrincipal: Principal | undefined): string {
  if (localPrincipal || !keys) return `Dashboard: ${pageUrl}${localPrincipal ? `  (as ${localPrincipal.name}, LOCAL_PRINCIPAL)` : ''}`;
  return `Dashboard: ${pageUrl}#key=${keys.functionKey}  (the link signs the page in with the function key, as the operator)`;
}

/** How to call the API: the keys (as the Functions host has them) and who a request without a key is. */
export function accessLines(keys: LocalKeys, localPrincipal: Principal | undefined): string[] {
  const kept = keys.file ? `${keys.created ? 'generated, ' : ''}kept in ${keys.file}` : 'new each start (local data in memory)';
  return [
    `Function key: ${keys.functionKey}`,
    `Master key:   ${keys.masterKey}  (${kept}; /admin/* needs the master key)`,
    localPrincipal
      ? `Caller without a key: ${localPrincipal.name} (LOCAL_PRINCIPAL${localPrincipal.roles.length ? `, roles ${localPrincipal.roles.join(', ')}` : ', no roles'}); with a key: the operator "function key"`
      : 'Caller without a key: nobody (set LOCAL_PRINCIPAL to sign in as someone); send x-functions-key: <function key> to call the API as the operator',
  ];
}
