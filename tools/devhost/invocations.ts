import type { CoreApi, RegisteredFunction, RpcTypedData } from './core-api';
import { invoke, type InvocationResult, type Logger } from './invoker';
import { resolveSettingTokens } from './ncrontab';
import { outputToMessages, type QueueGateway } from './queues';

/**
 * Runs invocations and writes their queue outputs, as the Functions host does after a function returns; keeps
 * the background ones (timers, on-demand runs) so that shutdown can wait for them.
 */
export class Invocations {
  private readonly running = new Set<Promise<unknown>>();
  private active = 0;

  /** Invocations under way now, of any trigger. */
  get inFlight(): number {
    return this.active;
  }

  constructor(
    private readonly core: CoreApi,
    private readonly gateway: QueueGateway,
    private readonly opts: { log: Logger; timeoutMs: number; env: Record<string, string | undefined>; onQueued: (queueName: string) => void },
  ) {}

  async run(fn: RegisteredFunction, data: RpcTypedData, metadata: Record<string, RpcTypedData>): Promise<InvocationResult> {
    this.active++;
    try {
      const result = await invoke(this.core, fn, data, metadata, { log: this.opts.log, timeoutMs: this.opts.timeoutMs });
      await this.flushOutputs(result);
      return result;
    } finally {
      this.active--;
    }
  }

  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    p.finally(() => this.running.delete(p)).catch(() => undefined);
    return p;
  }

  /** Settles once every background invocation started so far has. */
  settled(): Promise<unknown> {
    return Promise.allSettled([...this.running]);
  }

  private async flushOutputs(result: InvocationResult): Promise<void> {
    for (const { binding, data } of result.outputs) {
      if (binding.type !== 'queue') {
        throw new Error(`The local host does not support "${binding.type}" output bindings; use the SDK from shared/ instead.`);
      }
      const queueName = resolveSettingTokens(String(binding.queueName), this.opts.env);
      await this.gateway.send(queueName, outputToMessages(data));
      this.opts.onQueued(queueName);
    }
  }
}
