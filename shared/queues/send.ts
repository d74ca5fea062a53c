import type { QueueClient } from '@azure/storage-queue';
import { getSettings } from '../config/settings';
import { encodeQueueMessage, getQueueService } from './client';

const ready = new Map<string, Promise<QueueClient>>();

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
  for (const body of bodies) {
    pending.push(client.sendMessage(encodeQueueMessage(body), visibilityTimeout ? { visibilityTimeout } : {}));
    // Bounded parallelism keeps a large fan-out from opening hundreds of sockets at once.
    if (pending.length >= 16) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}
