import type { Cron } from 'croner';
import path from 'node:path';
import { BINDING_SETTING_DEFAULTS, parseSettings, type Settings } from '../../shared/config/settings';
import { createDatabaseAndContainers } from '../../shared/store/cosmos';
import { getQueueService } from '../../shared/queues/client';
import { startAzurite, startCosmosEmulator, type RunningEmulator } from '../emulators';
import { CoreApi, installCoreApi, type RegisteredFunction, type RpcTypedData } from './core-api';
import { loadHostConfig, loadLocalSettings, type HostConfig } from './host-config';
import { LocalHttpServer, DEFAULT_MAX_BODY_BYTES } from './http-server';
import { invoke, triggerOf, type InvocationResult } from './invoker';
import { resolveEntryFiles } from './load-functions';
import { parseNcrontab, resolveSettingTokens } from './ncrontab';
import { outputToMessages, QueueGateway, QueueListener } from './queues';

export interface HostOptions {
  appDir: string;
  /** HTTP port; 0 picks a free one. Default: LOCAL_HTTP_PORT, local.settings.json Host.LocalHttpPort, then 7071. */
  port?: number;
  host?: string;
  /** Ports of the embedded emulators when the host starts them; 0 = any free port. */
  cosmosPort?: number;
  azuritePorts?: { blob?: number; queue?: number; table?: number };
  /** Settings on top of process.env and local.settings.json. */
  env?: Record<string, string>;
  /** Disable timer schedules (functions still run on demand). */
  disableTimers?: boolean;
  log?: (level: string, message: string) => void;
}

export interface RunningHost {
  url: string;
  port: number;
  settings: Settings;
  functions: RegisteredFunction[];
  cosmosEndpoint: string;
  storageConnection: string | undefined;
  embedded: { cosmos: boolean; azurite: boolean };
  summary(): string;
  stop(): Promise<void>;
}

const LEVELS: Record<string, number> = { trace: 0, debug: 1, information: 2, info: 2, warning: 3, warn: 3, error: 4, critical: 5 };

function defaultLogger(minLevel: string): (level: string, message: string) => void {
  const min = LEVELS[minLevel.toLowerCase()] ?? 2;
  return (level, message) => {
    if ((LEVELS[level.toLowerCase()] ?? 2) < min) return;
    const line = `[${new Date().toISOString()}] ${level.toUpperCase().padEnd(7)} ${message}`;
    (LEVELS[level.toLowerCase()]! >= 3 ? process.stderr : process.stdout).write(`${line}\n`);
  };
}

/**
 * Starts the whole app on this machine: embedded emulators unless real services are configured,
 * the app's function registrations through a local @azure/functions-core, HTTP, timers and queues.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const appDir = path.resolve(options.appDir);
  const local = loadLocalSettings(appDir);
  const merged: Record<string, string | undefined> = { ...local.values, ...process.env, ...(options.env ?? {}) };
  const log = options.log ?? defaultLogger(merged.LOCAL_HOST_LOG_LEVEL ?? 'information');
  const config: HostConfig = loadHostConfig(appDir);
  const emulators: RunningEmulator[] = [];
  const embedded = { cosmos: false, azurite: false };
  const stopEmulators = () => Promise.allSettled(emulators.map((e) => e.close()));

  try {
    if (!merged.COSMOS_ENDPOINT) {
      const cosmos = await startCosmosEmulator(options.cosmosPort ?? Number(merged.LOCAL_COSMOS_PORT ?? 8081));
      emulators.push(cosmos);
      embedded.cosmos = true;
      merged.COSMOS_ENDPOINT = cosmos.endpoint;
      merged.COSMOS_KEY = 'local-emulator';
      merged.COSMOS_CREATE_CONTAINERS = 'true';
    }
    if (!merged.AzureWebJobsStorage && !merged.AzureWebJobsStorage__queueServiceUri) {
      const base = Number(merged.LOCAL_AZURITE_PORT ?? 10000);
      // 0 means "any free port" for each service.
      const ports = base === 0 ? { blob: 0, queue: 0, table: 0 } : { blob: base, queue: base + 1, table: base + 2 };
      const azurite = await startAzurite(options.azuritePorts ?? ports);
      emulators.push(azurite);
      embedded.azurite = true;
      merged.AzureWebJobsStorage = azurite.connectionString;
    }
  } catch (e) {
    await stopEmulators();
    throw new Error(`Could not start the embedded emulators: ${(e as Error).message}. Is another copy of the app running? Set LOCAL_COSMOS_PORT / LOCAL_AZURITE_PORT to use other ports.`);
  }

  // In Azure, infra/ sets every %SETTING% a binding names; locally the documented defaults stand in.
  for (const [k, v] of Object.entries(BINDING_SETTING_DEFAULTS)) merged[k] ??= v;
  // The app reads its settings from process.env, as it does under the Functions host.
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) process.env[k] = v;
  let settings: Settings;
  try {
    settings = parseSettings(process.env);
  } catch (e) {
    await stopEmulators();
    throw e;
  }

  try {
    if (settings.COSMOS_CREATE_CONTAINERS) await createDatabaseAndContainers(settings);
  } catch (e) {
    await stopEmulators();
    throw new Error(`Could not create the Cosmos database and containers at ${settings.COSMOS_ENDPOINT}: ${(e as Error).message}`);
  }

  const core = new CoreApi((level, category, message) => log(level, category === 'system' ? `[worker] ${message}` : message));
  installCoreApi(core);
  for (const file of resolveEntryFiles(appDir)) {
    try {
      require(file);
    } catch (e) {
      await stopEmulators();
      // Same as FUNCTIONS_NODE_BLOCK_ON_ENTRY_POINT_ERROR=true in Azure: a broken entry point stops the app.
      throw new Error(`Loading ${path.relative(appDir, file)} failed: ${(e as Error).stack ?? e}`);
    }
  }
  // AzureWebJobs.<name>.Disabled=true turns a function off, as in Azure and Core Tools: never triggered, HTTP 404.
  const isDisabled = (name: string) => /^(true|1)$/i.test(process.env[`AzureWebJobs.${name}.Disabled`] ?? merged[`AzureWebJobs.${name}.Disabled`] ?? '');
  const disabled = [...core.functions.values()].filter((f) => isDisabled(f.metadata.name)).map((f) => f.metadata.name);
  const functions = [...core.functions.values()].filter((f) => !disabled.includes(f.metadata.name));
  if (disabled.length) log('warning', `Disabled by AzureWebJobs.<name>.Disabled: ${disabled.join(', ')}`);
  if (functions.length === 0) {
    await stopEmulators();
    throw new Error('No functions were registered. Check package.json "main" and that the function files call app.*.');
  }
  await core.runHooks('appStart', { hookData: {}, functionAppDirectory: appDir });

  const gateway = new QueueGateway(getQueueService(settings), config.queues.messageEncoding);
  const listeners = new Map<string, QueueListener>();
  const env = process.env as Record<string, string | undefined>;

  async function flushOutputs(result: InvocationResult): Promise<void> {
    for (const { binding, data } of result.outputs) {
      if (binding.type !== 'queue') {
        throw new Error(`The local host does not support "${binding.type}" output bindings; use the SDK from shared/ instead.`);
      }
      const queueName = resolveSettingTokens(String(binding.queueName), env);
      await gateway.send(queueName, outputToMessages(data));
      listeners.get(queueName)?.notify();
    }
  }

  async function run(fn: RegisteredFunction, data: RpcTypedData, metadata: Record<string, RpcTypedData>): Promise<InvocationResult> {
    const result = await invoke(core, fn, data, metadata, { log, timeoutMs: config.functionTimeoutMs });
    await flushOutputs(result);
    return result;
  }

  const timers: { fn: RegisteredFunction; cron: Cron; schedule: string }[] = [];
  const running = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    p.finally(() => running.delete(p)).catch(() => undefined);
    return p;
  };

  function timerInput(last: Date | null, next: Date | null, isPastDue: boolean): RpcTypedData {
    return {
      json: JSON.stringify({
        Schedule: { AdjustForDST: false },
        ScheduleStatus: { Last: (last ?? new Date(0)).toISOString(), Next: next?.toISOString() ?? null, LastUpdated: new Date().toISOString() },
        IsPastDue: isPastDue,
      }),
    };
  }

  async function runTimer(fn: RegisteredFunction, cron: Cron | undefined, scheduledAt: Date | undefined): Promise<void> {
    const isPastDue = scheduledAt !== undefined && Date.now() - scheduledAt.getTime() > 5_000;
    const started = Date.now();
    try {
      await run(fn, timerInput(cron?.previousRun() ?? null, cron?.nextRun() ?? null, isPastDue), {});
      log('info', `[${fn.metadata.name}] timer run succeeded (${Date.now() - started} ms)`);
    } catch (e) {
      log('error', `[${fn.metadata.name}] timer run failed: ${(e as Error).stack ?? e}`);
    }
  }

  for (const fn of functions) {
    const [, trigger] = triggerOf(fn);
    if (trigger.type === 'timerTrigger') {
      const schedule = resolveSettingTokens(String(trigger.schedule), env);
      const cron = parseNcrontab(schedule);
      timers.push({ fn, cron, schedule });
      if (!options.disableTimers) {
        cron.schedule(() => {
          const scheduledAt = cron.currentRun() ?? new Date();
          return track(runTimer(fn, cron, scheduledAt));
        });
        cron.resume();
        if (trigger.runOnStartup === true) void track(runTimer(fn, cron, undefined));
      }
    } else if (trigger.type === 'queueTrigger') {
      const queueName = resolveSettingTokens(String(trigger.queueName), env);
      if (listeners.has(queueName)) throw new Error(`Two functions listen on queue "${queueName}"; the local host supports one per queue.`);
      const listener = new QueueListener(queueName, gateway, config, async (text, item) => {
        try {
          await run(fn, { string: text }, {
            DequeueCount: { int: item.dequeueCount },
            Id: { string: item.messageId },
            PopReceipt: { string: item.popReceipt },
            InsertionTime: { string: item.insertedOn.toISOString() },
            ExpirationTime: { string: item.expiresOn.toISOString() },
            NextVisibleTime: { string: item.nextVisibleOn.toISOString() },
          });
          return { ok: true };
        } catch (error) {
          log('error', `[${fn.metadata.name}] failed on message ${item.messageId} (attempt ${item.dequeueCount}): ${(error as Error).stack ?? error}`);
          return { ok: false, error };
        }
      }, log);
      listeners.set(queueName, listener);
    } else if (trigger.type !== 'httpTrigger') {
      log('warning', `[${fn.metadata.name}] trigger type "${trigger.type}" is not supported by the local host; the function is loaded but never triggered.`);
    }
    for (const b of Object.values(fn.metadata.bindings)) {
      if (b.type === 'queue' && b.direction === 'out') await gateway.ensure(resolveSettingTokens(String(b.queueName), env));
    }
  }
  for (const l of listeners.values()) l.start();

  const maxBody = Number(merged.LOCAL_HOST_MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES);
  const httpServer = new LocalHttpServer(config.routePrefix, functions, {
    log,
    invokeHttp: async (fn, request) => (await run(fn, request, {})).returnValue,
    runOnDemand: (name, input) => {
      const fn = functions.find((f) => f.metadata.name.toLowerCase() === name.toLowerCase());
      if (!fn) return { accepted: false, status: 404, reason: `No function named "${name}". Functions: ${functions.map((f) => f.metadata.name).join(', ')}.` };
      const [, trigger] = triggerOf(fn);
      if (trigger.type === 'httpTrigger') return { accepted: false, status: 400, reason: `"${name}" is HTTP-triggered; call its route instead.` };
      log('info', `[${fn.metadata.name}] run on demand`);
      if (trigger.type === 'timerTrigger') {
        const cron = timers.find((t) => t.fn === fn)?.cron;
        void track(runTimer(fn, cron, undefined));
      } else {
        void track(
          run(fn, { string: input }, { DequeueCount: { int: 1 } }).catch((e) => log('error', `[${fn.metadata.name}] on-demand run failed: ${(e as Error).stack ?? e}`)),
        );
      }
      return { accepted: true };
    },
  }, maxBody);
  const requestedPort = options.port ?? (merged.LOCAL_HTTP_PORT ? Number(merged.LOCAL_HTTP_PORT) : local.port ?? 7071);
  const hostName = options.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await httpServer.listen(requestedPort, hostName);
  } catch (e) {
    for (const t of timers) t.cron.stop();
    await Promise.allSettled([...listeners.values()].map((l) => l.stop()));
    await stopEmulators();
    throw new Error(`Could not listen on ${hostName}:${requestedPort}: ${(e as Error).message}. Set LOCAL_HTTP_PORT to use another port.`);
  }
  const url = `http://${hostName === '0.0.0.0' ? 'localhost' : hostName}:${port}`;

  let stopping: Promise<void> | undefined;
  const host: RunningHost = {
    url,
    port,
    settings,
    functions,
    cosmosEndpoint: settings.COSMOS_ENDPOINT,
    storageConnection: settings.AzureWebJobsStorage,
    embedded,
    summary() {
      const lines = [`Functions (${functions.length}):`];
      const routes = new Map(httpServer.routeTable().map((r) => [r.name, r]));
      for (const fn of [...functions].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
        const [, t] = triggerOf(fn);
        let what: string;
        if (t.type === 'httpTrigger') {
          const r = routes.get(fn.metadata.name);
          what = `[${(r?.methods ?? ['ANY']).join(',')}] ${url}/${config.routePrefix ? `${config.routePrefix}/` : ''}${r?.template ?? fn.metadata.name}`;
        } else if (t.type === 'timerTrigger') {
          const timer = timers.find((x) => x.fn === fn)!;
          what = `timer "${timer.schedule}" (UTC), next ${options.disableTimers ? 'disabled' : timer.cron.nextRun()?.toISOString()}; run now: POST ${url}/admin/functions/${fn.metadata.name}`;
        } else if (t.type === 'queueTrigger') {
          what = `queue "${resolveSettingTokens(String(t.queueName), env)}"`;
        } else what = t.type;
        lines.push(`  ${fn.metadata.name.padEnd(28)} ${what}`);
      }
      lines.push('', `Cosmos DB: ${settings.COSMOS_ENDPOINT}${embedded.cosmos ? ' (embedded emulator, in memory)' : ''}, database "${settings.COSMOS_DATABASE}"`);
      const queueUrl = settings.AzureWebJobsStorage ? /QueueEndpoint=([^;]+)/.exec(settings.AzureWebJobsStorage)?.[1] ?? 'from AzureWebJobsStorage' : settings.AzureWebJobsStorage__queueServiceUri;
      lines.push(`Storage queues: ${queueUrl}${embedded.azurite ? ' (Azurite, in memory)' : ''}`);
      return lines.join('\n');
    },
    stop() {
      stopping ??= (async () => {
        for (const t of timers) t.cron.stop();
        await httpServer.close();
        await Promise.allSettled([...listeners.values()].map((l) => l.stop()));
        await Promise.allSettled([...running]);
        await core.runHooks('appTerminate', { hookData: {} }).catch((e) => log('error', `appTerminate hook failed: ${e}`));
        await stopEmulators();
      })();
      return stopping;
    },
  };
  return host;
}
