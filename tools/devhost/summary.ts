import type { Settings } from '../../shared/config/settings';
import type { RegisteredFunction } from './core-api';
import type { LocalHttpServer } from './http-server';
import { triggerOf } from './invoker';
import { resolveSettingTokens } from './ncrontab';
import type { ScheduledTimer } from './timers';

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
}): string {
  const { url, settings, embedded } = h;
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
  lines.push('', `Cosmos DB: ${settings.COSMOS_ENDPOINT}${embedded.cosmos ? ' (embedded emulator, in memory)' : ''}, database "${settings.COSMOS_DATABASE}"`);
  const queueUrl = settings.AzureWebJobsStorage ? /QueueEndpoint=([^;]+)/.exec(settings.AzureWebJobsStorage)?.[1] ?? 'from AzureWebJobsStorage' : settings.AzureWebJobsStorage__queueServiceUri;
  lines.push(`Storage queues: ${queueUrl}${embedded.azurite ? ' (Azurite, in memory)' : ''}`);
  return lines.join('\n');
}
