import type { QueueClient } from '@azure/storage-queue';
import { getSettings } from '../config/settings';
import { encodeQueueMessage, getQueueService } from './client';
import { withTrace } from './trace';

const ready = new Map<string, Promise<QueueClient>>();

/** Told of every message this process sent: the queue and when the message becomes visible (ms from now). */
export type SentObserver = (queueName: string, visibleInMs: number) => void;
const observers = new Set<SentObserver>();

/**
 * Observes this process's sends; returns the function that stops observing. The local host uses it to start a
 * queue function as soon as a message the app sent becomes visible, as the Functions host's queue watcher does for
 * the messages its own output bindings write, instead of waiting for its next poll.
 */
export function onMessagesSent(observer: SentObserver): () => void {
  observers.add(observer);
  return () => void observers.delete(observer);
}

async function queue(name: string): Promise<QueueClient> {
  let p = ready.get(name);
  if (!p) {
    p = (async () => {
      const client = getQueueService(getSettings()).getQueueClient(name);
      await client.createIfNotExists();
      return client;
    })();
    p.catch(() => ready.delete(name));
    ready.set(name, p);
  }
  return p;
}

/**
 * Sends messages in the host's encoding (base64 JSON). For the cases an output binding cannot express:
 * a delivery delay (coalescing, backoff) or sending from code that is not a function invocation.
 */
export async function sendMessages(queueName: string, bodies: unknown[], opts: { delaySeconds?: number } = {}): Promise<void> {
  const client = await queue(queueName);
  const visibilityTimeout = opts.delaySeconds && opts.delaySeconds > 0 ? Math.min(Math.ceil(opts.delaySeconds), 7 * 24 * 3600 - 1) : undefined;
  const pending: Promise<unknown>[] = [];
  // Each message carries the sender's trace on (shared/queues/trace.ts).
  for (const body of withTrace(bodies)) {
    pending.push(client.sendMessage(encodeQueueMessage(body), visibilityTimeout ? { visibilityTimeout } : {}));
    // Bounded parallelism keeps a large fan-out from opening hundreds of sockets at once.
    if (pending.length >= 16) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  for (const o of observers) o(queueName, (visibilityTimeout ?? 0) * 1000);
}
