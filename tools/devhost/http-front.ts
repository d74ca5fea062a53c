import type { RegisteredFunction } from './core-api';
import type { HostConfig } from './host-config';
import { LocalHttpServer, type LocalSignIn } from './http-server';
import { triggerOf, type Logger } from './invoker';
import type { Invocations } from './invocations';
import type { TimerTriggers } from './timers';

/**
 * The HTTP front end over the loaded functions: routes to HTTP triggers, and the Core Tools admin endpoint that runs
 * a timer or queue function now (`POST /admin/functions/<name>`).
 */
export function createHttpFront(
  config: HostConfig,
  functions: RegisteredFunction[],
  deps: { invocations: Invocations; timers: TimerTriggers; log: Logger; maxBodyBytes: number; bodyLimits?: Record<string, number>; signIn: LocalSignIn },
): LocalHttpServer {
  const { invocations, timers, log } = deps;
  return new LocalHttpServer(config.routePrefix, functions, {
    log,
    invokeHttp: async (fn, request) => (await invocations.run(fn, request, {})).returnValue,
    runOnDemand: (name, input) => {
      const fn = functions.find((f) => f.metadata.name.toLowerCase() === name.toLowerCase());
      if (!fn) return { accepted: false, status: 404, reason: `No function named "${name}". Functions: ${functions.map((f) => f.metadata.name).join(', ')}.` };
      const [, trigger] = triggerOf(fn);
      if (trigger.type === 'httpTrigger') return { accepted: false, status: 400, reason: `"${name}" is HTTP-triggered; call its route instead.` };
      log('info', `[${fn.metadata.name}] run on demand`);
      if (trigger.type === 'timerTrigger') {
        timers.runNow(fn);
      } else {
        void invocations.track(
          invocations.run(fn, { string: input }, { DequeueCount: { int: 1 } }).catch((e) => log('error', `[${fn.metadata.name}] on-demand run failed: ${(e as Error).stack ?? e}`)),
        );
      }
      return { accepted: true };
    },
  }, deps.maxBodyBytes, deps.signIn, deps.bodyLimits);
}
