import type { RegisteredFunction, RpcBinding } from './core-api';
import type { HostConfig } from './host-config';
import type { Logger } from './invoker';
import type { Invocations } from './invocations';
import { resolveSettingTokens } from './ncrontab';
import { QueueListener, type QueueGateway } from './queues';

/** Queue-triggered functions: one listener per queue, passing the trigger metadata the Functions host passes. */
export class QueueTriggers {
  private readonly listeners = new Map<string, QueueListener>();
  private readonly wakeUps = new Set<NodeJS.Timeout>();

  constructor(
    private readonly gateway: QueueGateway,
    private readonly config: HostConfig,
    private readonly invocations: Invocations,
    private readonly log: Logger,
  ) {}

  add(fn: RegisteredFunction, trigger: RpcBinding, env: Record<string, string | undefined>): void {
    const queueName = resolveSettingTokens(String(trigger.queueName), env);
    if (this.listeners.has(queueName)) throw new Error(`Two functions listen on queue "${queueName}"; the local host supports one per queue.`);
    const listener = new QueueListener(queueName, this.gateway, this.config, async (text, item) => {
      try {
        await this.invocations.run(fn, { string: text }, {
          DequeueCount: { int: item.dequeueCount },
          Id: { string: item.messageId },
          PopReceipt: { string: item.popReceipt },
          InsertionTime: { string: item.insertedOn.toISOString() },
          ExpirationTime: { string: item.expiresOn.toISOString() },
          NextVisibleTime: { string: item.nextVisibleOn.toISOString() },
        });
        return { ok: true };
      } catch (error) {
        this.log('error', `[${fn.metadata.name}] failed on message ${item.messageId} (attempt ${item.dequeueCount}): ${(error as Error).stack ?? error}`);
        return { ok: false, error };
      }
    }, this.log);
    this.listeners.set(queueName, listener);
  }

  start(): void {
    for (const l of this.listeners.values()) l.start();
  }

  /** This host wrote to `queueName`: its listener picks the message up without waiting for a poll. */
  notify(queueName: string): void {
    this.listeners.get(queueName)?.notify();
  }

  /** The app sent a message to `queueName` from this process, visible in `visibleInMs`: wake the listener then. */
  notifyWhenVisible(queueName: string, visibleInMs: number): void {
    if (!this.listeners.has(queueName)) return;
    if (visibleInMs <= 0) return this.notify(queueName);
    const timer = setTimeout(() => {
      this.wakeUps.delete(timer);
      this.notify(queueName);
    }, visibleInMs);
    timer.unref();
    this.wakeUps.add(timer);
  }

  stop(): Promise<unknown> {
    for (const t of this.wakeUps) clearTimeout(t);
    this.wakeUps.clear();
    return Promise.allSettled([...this.listeners.values()].map((l) => l.stop()));
  }
}
