import type { Cron } from 'croner';
import type { RegisteredFunction, RpcBinding, RpcTypedData } from './core-api';
import type { Logger } from './invoker';
import type { Invocations } from './invocations';
import { parseNcrontab, resolveSettingTokens } from './ncrontab';

export interface ScheduledTimer {
  fn: RegisteredFunction;
  cron: Cron;
  schedule: string;
}

/** The timer payload the Functions host passes (ScheduleStatus, IsPastDue). */
function timerInput(last: Date | null, next: Date | null, isPastDue: boolean): RpcTypedData {
  return {
    json: JSON.stringify({
      Schedule: { AdjustForDST: false },
      ScheduleStatus: { Last: (last ?? new Date(0)).toISOString(), Next: next?.toISOString() ?? null, LastUpdated: new Date().toISOString() },
      IsPastDue: isPastDue,
    }),
  };
}

/** Timer-triggered functions on their NCRONTAB schedules (UTC), or only on demand when timers are disabled. */
export class TimerTriggers {
  readonly timers: ScheduledTimer[] = [];

  constructor(
    private readonly invocations: Invocations,
    private readonly log: Logger,
    private readonly disabled: boolean,
  ) {}

  add(fn: RegisteredFunction, trigger: RpcBinding, env: Record<string, string | undefined>): void {
    const schedule = resolveSettingTokens(String(trigger.schedule), env);
    const cron = parseNcrontab(schedule);
    this.timers.push({ fn, cron, schedule });
    if (this.disabled) return;
    cron.schedule(() => {
      const scheduledAt = cron.currentRun() ?? new Date();
      return this.invocations.track(this.runTimer(fn, cron, scheduledAt));
    });
    cron.resume();
    if (trigger.runOnStartup === true) void this.invocations.track(this.runTimer(fn, cron, undefined));
  }

  find(fn: RegisteredFunction): ScheduledTimer | undefined {
    return this.timers.find((t) => t.fn === fn);
  }

  runNow(fn: RegisteredFunction): void {
    void this.invocations.track(this.runTimer(fn, this.find(fn)?.cron, undefined));
  }

  stop(): void {
    for (const t of this.timers) t.cron.stop();
  }

  private async runTimer(fn: RegisteredFunction, cron: Cron | undefined, scheduledAt: Date | undefined): Promise<void> {
    const isPastDue = scheduledAt !== undefined && Date.now() - scheduledAt.getTime() > 5_000;
    const started = Date.now();
    try {
      await this.invocations.run(fn, timerInput(cron?.previousRun() ?? null, cron?.nextRun() ?? null, isPastDue), {});
      this.log('info', `[${fn.metadata.name}] timer run succeeded (${Date.now() - started} ms)`);
    } catch (e) {
      this.log('error', `[${fn.metadata.name}] timer run failed: ${(e as Error).stack ?? e}`);
    }
  }
}
