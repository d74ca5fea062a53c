import type { QueueClient, QueueServiceClient, DequeuedMessageItem } from '@azure/storage-queue';
import type { RpcTypedData } from './core-api';
import type { HostConfig } from './host-config';

/** How long a received message stays invisible before its lease is renewed again (see QueueListener.renewLease). */
export const LEASE_SECONDS = 20;

/** Turns an output binding's value into queue messages; an array writes one message per element, as in Azure. */
export function outputToMessages(data: RpcTypedData): string[] {
  if (typeof data.string === 'string') return [data.string];
  if (typeof data.json === 'string') {
    const value: unknown = JSON.parse(data.json);
    const items = Array.isArray(value) ? value : [value];
    return items.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  }
  if (data.bytes) return [Buffer.from(data.bytes as Uint8Array).toString('utf8')];
  if (typeof data.int === 'number' || typeof data.double === 'number') return [String(data.int ?? data.double)];
  throw new Error(`Unsupported queue output value: ${JSON.stringify(Object.keys(data))}`);
}

export class QueueGateway {
  private readonly clients = new Map<string, QueueClient>();
  private readonly created = new Set<string>();

  constructor(
    private readonly service: QueueServiceClient,
    private readonly encoding: 'base64' | 'none',
  ) {}

  client(name: string): QueueClient {
    let c = this.clients.get(name);
    if (!c) {
      c = this.service.getQueueClient(name);
      this.clients.set(name, c);
    }
    return c;
  }

  async ensure(name: string): Promise<QueueClient> {
    const c = this.client(name);
    if (!this.created.has(name)) {
      await c.createIfNotExists();
      this.created.add(name);
    }
    return c;
  }

  encode(text: string): string {
    return this.encoding === 'base64' ? Buffer.from(text, 'utf8').toString('base64') : text;
  }

  decode(text: string): string {
    if (this.encoding === 'none') return text;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
      throw new Error('The message is not valid base64, but host.json says messageEncoding is base64.');
    }
    return Buffer.from(text, 'base64').toString('utf8');
  }

  async send(queue: string, texts: string[]): Promise<void> {
    const c = await this.ensure(queue);
    // Sequential keeps per-queue order, which callers of one output binding expect.
    for (const t of texts) await c.sendMessage(this.encode(t));
  }
}

export interface QueueHandlerOutcome {
  ok: boolean;
  error?: unknown;
}

export type QueueMessageHandler = (text: string, message: DequeuedMessageItem) => Promise<QueueHandlerOutcome>;

/**
 * Polls one queue like the Functions host's queue listener: batches of `batchSize`, a new batch when
 * in-flight work drops to `newBatchThreshold`, back-off up to `maxPollingInterval` when idle, and after
 * `maxDequeueCount` failed attempts the message moves to `<queue>-poison`.
 */
export class QueueListener {
  private inflight = 0;
  private stopped = false;
  private idleDelayMs = 50;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(
    readonly queueName: string,
    private readonly gateway: QueueGateway,
    private readonly config: HostConfig,
    private readonly handler: QueueMessageHandler,
    private readonly log: (level: string, message: string) => void,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Called when this host itself wrote to the queue, so the message is picked up without waiting for a poll. */
  notify(): void {
    this.idleDelayMs = 50;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.running]);
  }

  private async run(): Promise<void> {
    const queue = await this.gateway.ensure(this.queueName);
    await this.gateway.ensure(`${this.queueName}-poison`);
    const q = this.config.queues;
    // A short lease, renewed while the function runs (process()): a host killed mid-message gives it back within
    // LEASE_SECONDS, instead of after functionTimeout (10 minutes), as the Functions host's renewed leases do.
    const visibilitySeconds = Math.min(LEASE_SECONDS, Math.ceil(this.config.functionTimeoutMs / 1000) + 30);
    while (!this.stopped) {
      if (this.inflight > q.newBatchThreshold) {
        await this.sleep(20);
        continue;
      }
      let items: DequeuedMessageItem[] = [];
      try {
        const res = await queue.receiveMessages({ numberOfMessages: Math.min(32, q.batchSize), visibilityTimeout: visibilitySeconds });
        items = res.receivedMessageItems;
      } catch (e) {
        if (this.stopped) break;
        this.log('error', `[queue ${this.queueName}] receive failed: ${(e as Error).message}`);
      }
      if (items.length === 0) {
        await this.sleep(this.idleDelayMs);
        this.idleDelayMs = Math.min(this.idleDelayMs * 2, q.maxPollingIntervalMs);
        continue;
      }
      this.idleDelayMs = 50;
      for (const item of items) {
        this.inflight++;
        const p = this.process(queue, item).finally(() => {
          this.inflight--;
          this.running.delete(p);
          this.wakeUp?.();
        });
        this.running.add(p);
      }
    }
  }

  private async process(queue: QueueClient, leased: DequeuedMessageItem): Promise<void> {
    let item = leased;
    if (item.dequeueCount > this.config.queues.maxDequeueCount) {
      // As the Functions host does: a message already past its attempts (its move to the poison queue was
      // interrupted) goes there without running the function again.
      await this.moveToPoison(queue, item, `dequeue count ${item.dequeueCount} is past maxDequeueCount`).catch((e) =>
        this.log('error', `[queue ${this.queueName}] could not move message ${item.messageId} to poison: ${(e as Error).message}`),
      );
      return;
    }
    let text: string;
    let outcome: QueueHandlerOutcome;
    const lease = this.renewLease(queue, item);
    try {
      text = this.gateway.decode(item.messageText);
      outcome = await this.handler(text, item);
    } catch (error) {
      text = item.messageText;
      outcome = { ok: false, error };
    } finally {
      await lease.stop();
    }
    item = { ...item, popReceipt: lease.popReceipt() };
    try {
      if (outcome.ok) {
        await queue.deleteMessage(item.messageId, item.popReceipt);
        return;
      }
      const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      if (item.dequeueCount >= this.config.queues.maxDequeueCount) {
        await this.moveToPoison(queue, item, `failed ${item.dequeueCount} times. Last error: ${reason}`);
      } else {
        await queue.updateMessage(item.messageId, item.popReceipt, undefined, Math.round(this.config.queues.visibilityTimeoutMs / 1000));
        this.log('warning', `[queue ${this.queueName}] message ${item.messageId} failed (attempt ${item.dequeueCount} of ${this.config.queues.maxDequeueCount}), will retry: ${reason}`);
      }
    } catch (e) {
      // The message becomes visible again when its lease expires; nothing is lost.
      this.log('error', `[queue ${this.queueName}] could not settle message ${item.messageId}: ${(e as Error).message}`);
    }
  }

  /** Extends the message's lease every half LEASE_SECONDS until stopped; each renewal gives a new pop receipt. */
  private renewLease(queue: QueueClient, item: DequeuedMessageItem): { stop(): Promise<void>; popReceipt(): string } {
    let receipt = item.popReceipt;
    let pending: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      pending = pending.then(async () => {
        try {
          const r = await queue.updateMessage(item.messageId, receipt, undefined, LEASE_SECONDS);
          if (r.popReceipt) receipt = r.popReceipt;
        } catch (e) {
          this.log('warning', `[queue ${this.queueName}] could not renew the lease of message ${item.messageId}: ${(e as Error).message}`);
        }
      });
    }, (LEASE_SECONDS * 1000) / 2);
    return {
      stop: async () => {
        clearInterval(timer);
        await pending;
      },
      popReceipt: () => receipt,
    };
  }

  private async moveToPoison(queue: QueueClient, item: DequeuedMessageItem, why: string): Promise<void> {
    await this.gateway.client(`${this.queueName}-poison`).sendMessage(item.messageText);
    await queue.deleteMessage(item.messageId, item.popReceipt);
    this.log('error', `[queue ${this.queueName}] message ${item.messageId} moved to ${this.queueName}-poison: ${why}`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }
}
