import path from 'node:path';
import type { Settings } from '../../shared/config/settings';
import { getQueueService } from '../../shared/queues/client';
import { onMessagesSent } from '../../shared/queues/send';
import type { RegisteredFunction } from './core-api';
import { loadHostConfig, loadLocalSettings, type HostConfig } from './host-config';
import { createHttpFront } from './http-front';
import { DEFAULT_MAX_BODY_BYTES } from './http-server';
import { Invocations } from './invocations';
import { triggerOf, type Logger } from './invoker';
import { loadFunctions } from './load-functions';
import { defaultLogger } from './logger';
import { resolveSettingTokens } from './ncrontab';
import { QueueTriggers } from './queue-triggers';
import { QueueGateway } from './queues';
import { checkInterruptedRuns, watchStalledRuns } from './interrupted-runs';
import { applySettings, dropPlaceholderSettings, localDataDir, startMissingEmulators, type LocalData } from './start-up';
import { loadOrCreateKeys, type LocalKeys } from './local-auth';
import { LocalPrincipalError, parseLocalPrincipal } from '../../shared/access/principal';
import { SettingsError } from '../../shared/config/settings';
import { registrationSummary } from './summary';
import { TimerTriggers } from './timers';

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
  /** Start the embedded emulators empty, discarding what they saved in the local data folder (`--fresh`). */
  fresh?: boolean;
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
  localData: LocalData;
  keys: LocalKeys;
  summary(): string;
  stop(): Promise<void>;
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

  let localPrincipal;
  try {
    localPrincipal = parseLocalPrincipal(merged.LOCAL_PRINCIPAL);
  } catch (e) {
    if (e instanceof LocalPrincipalError) throw new SettingsError([e.message]);
    throw e;
  }
  const keys = loadOrCreateKeys(localDataDir(merged.LOCAL_DATA_DIR, appDir));
  // The host stands in for App Service Authentication: it sets x-ms-client-principal itself (local-auth.ts).
  merged.WEBSITE_AUTH_ENABLED = 'true';
  await dropPlaceholderSettings(merged, local.values, log);
  const emulators = await startMissingEmulators(merged, options, { appDir, fresh: options.fresh, log });
  let settings: Settings;
  let loaded: ReturnType<typeof loadFunctions>;
  try {
    settings = await applySettings(merged);
    loaded = loadFunctions(appDir, log, merged);
  } catch (e) {
    await emulators.stop();
    throw e;
  }
  const { core, functions } = loaded;
  await core.runHooks('appStart', { hookData: {}, functionAppDirectory: appDir });

  const env = process.env as Record<string, string | undefined>;
  const gateway = new QueueGateway(getQueueService(settings), config.queues.messageEncoding);
  const invocations = new Invocations(core, gateway, { log, timeoutMs: config.functionTimeoutMs, env, onQueued: (q) => queues.notify(q) });
  const timers = new TimerTriggers(invocations, log, options.disableTimers === true);
  const queues = new QueueTriggers(gateway, config, invocations, log);
  await registerTriggers(functions, { timers, queues, gateway, env, log });
  // Only over the host's own saved data: shared or external stores may hold runs another process is driving.
  const interrupted = emulators.localData.dir && emulators.embedded.cosmos && emulators.embedded.azurite ? await checkInterruptedRuns(getQueueService(settings)).catch((e: unknown) => [`Runs: could not check for interrupted runs: ${(e as Error).message}`]) : [];
  for (const line of interrupted) log('warning', line);
  queues.start();
  // Messages the app sends itself (recompute requests, follow-ups, fan-outs) start their function once visible.
  const stopSentWatch = onMessagesSent((queue, visibleInMs) => queues.notifyWhenVisible(queue, visibleInMs));
  const stopWatch = watchStalledRuns(getQueueService(settings), { intervalMs: Number(merged.LOCAL_RUN_WATCH_SECONDS ?? 15) * 1000, busy: () => invocations.inFlight > 0, log });

  const maxBodyBytes = Number(merged.LOCAL_HOST_MAX_BODY_BYTES ?? DEFAULT_MAX_BODY_BYTES);
  // The import route takes files up to IMPORT_MAX_BYTES (Azure's own request limit on Flex Consumption is 210 MB);
  // the slack lets the function answer a file just over it with its own 413 naming the setting.
  const bodyLimits = { importsPost: settings.IMPORT_MAX_BYTES + 1024 * 1024 };
  const httpServer = createHttpFront(config, functions, { invocations, timers, log, maxBodyBytes, bodyLimits, signIn: { keys, localPrincipal } });
  const requestedPort = options.port ?? (merged.LOCAL_HTTP_PORT ? Number(merged.LOCAL_HTTP_PORT) : local.port ?? 7071);
  const hostName = options.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await httpServer.listen(requestedPort, hostName);
  } catch (e) {
    timers.stop();
    await queues.stop();
    await emulators.stop();
    throw new Error(`Could not listen on ${hostName}:${requestedPort}: ${(e as Error).message}. Set LOCAL_HTTP_PORT to use another port.`);
  }
  const url = `http://${hostName === '0.0.0.0' ? 'localhost' : hostName}:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    settings,
    functions,
    cosmosEndpoint: settings.COSMOS_ENDPOINT,
    storageConnection: settings.AzureWebJobsStorage,
    embedded: emulators.embedded,
    localData: emulators.localData,
    keys,
    summary: () =>
      registrationSummary({
        url,
        routePrefix: config.routePrefix,
        functions,
        routes: httpServer.routeTable(),
        timers: timers.timers,
        timersDisabled: options.disableTimers === true,
        env,
        settings,
        embedded: emulators.embedded,
        localData: emulators.localData,
        runs: interrupted,
        keys,
        localPrincipal,
      }),
    stop() {
      // In-flight work finishes before the app's appTerminate hooks run and the emulators it writes to go away.
      stopping ??= (async () => {
        timers.stop();
        stopWatch();
        stopSentWatch();
        await httpServer.close();
        await queues.stop();
        await invocations.settled();
        await core.runHooks('appTerminate', { hookData: {} }).catch((e) => log('error', `appTerminate hook failed: ${e}`));
        await emulators.stop();
      })();
      return stopping;
    },
  };
}

/** Hands each function to its trigger, and creates the queues its output bindings write to. */
async function registerTriggers(
  functions: RegisteredFunction[],
  h: { timers: TimerTriggers; queues: QueueTriggers; gateway: QueueGateway; env: Record<string, string | undefined>; log: Logger },
): Promise<void> {
  for (const fn of functions) {
    const [, trigger] = triggerOf(fn);
    if (trigger.type === 'timerTrigger') h.timers.add(fn, trigger, h.env);
    else if (trigger.type === 'queueTrigger') h.queues.add(fn, trigger, h.env);
    else if (trigger.type !== 'httpTrigger') {
      h.log('warning', `[${fn.metadata.name}] trigger type "${trigger.type}" is not supported by the local host; the function is loaded but never triggered.`);
    }
    for (const b of Object.values(fn.metadata.bindings)) {
      if (b.type === 'queue' && b.direction === 'out') await h.gateway.ensure(resolveSettingTokens(String(b.queueName), h.env));
    }
  }
}
