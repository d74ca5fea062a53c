import { INLINE_MESSAGE_LIMIT, type DeliveriesMessage, type EventsMessage } from '../events/message';
import { QUEUES } from '../queues/names';
import { sendMessages } from '../queues/send';

/**
 * Group commit for the events queue: deliveries accepted while a send is in flight travel together in the
 * next message. Under load this turns many queue writes into few (a storage queue write costs about as much
 * as the whole rest of accepting a delivery) and lets the apply worker write each partner document once
 * for many deliveries; when idle, a delivery is sent at once, alone. Every caller still waits until its
 * own message is stored, so a 202 always means "queued".
 */

interface Pending {
  delivery: EventsMessage;
  size: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** One send at a time: everything accepted meanwhile rides in the next message, which is what makes batches form under load. */
const MAX_IN_FLIGHT = 1;
/** Deliveries per message, so one failing message (dead-lettered) holds a bounded amount of work. */
const MAX_DELIVERIES = 100;

let queue: Pending[] = [];
let inFlight = 0;

export type Sender = (queue: string, bodies: unknown[]) => Promise<void>;
let sender: Sender = (q, bodies) => sendMessages(q, bodies);

/** For tests: replace the queue writer. */
export function setSenderForTests(s: Sender | undefined): void {
  sender = s ?? ((q, bodies) => sendMessages(q, bodies));
}

function takeBatch(): Pending[] {
  const batch: Pending[] = [];
  let size = 200;
  while (queue.length && batch.length < MAX_DELIVERIES) {
    const next = queue[0]!;
    if (batch.length && size + next.size > INLINE_MESSAGE_LIMIT) break;
    batch.push(queue.shift()!);
    size += next.size;
  }
  // The estimate above leaves out the union of partner ids toMessage adds: measure the real message and give
  // deliveries back (in order) until it fits. A single delivery always goes (receive.ts keeps it within the limit).
  while (batch.length > 1 && Buffer.byteLength(JSON.stringify(toMessage(batch.map((p) => p.delivery)))) > INLINE_MESSAGE_LIMIT) {
    queue.unshift(batch.pop()!);
  }
  return batch;
}

export function toMessage(deliveries: EventsMessage[]): EventsMessage | DeliveriesMessage {
  if (deliveries.length === 1) return deliveries[0]!;
  return { kind: 'webhook-deliveries', v: 1, partnerIds: [...new Set(deliveries.flatMap((d) => d.partnerIds))].sort(), deliveries };
}

function pump(): void {
  while (inFlight < MAX_IN_FLIGHT && queue.length) {
    const batch = takeBatch();
    inFlight++;
    sender(QUEUES.events, [toMessage(batch.map((p) => p.delivery))])
      .then(
        () => batch.forEach((p) => p.resolve()),
        (e: unknown) => batch.forEach((p) => p.reject(e)),
      )
      .finally(() => {
        inFlight--;
        pump();
      });
  }
}

/** Resolves once the delivery is in a stored queue message; rejects if that message could not be written. */
export function enqueueDelivery(delivery: EventsMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    queue.push({ delivery, size: Buffer.byteLength(JSON.stringify(delivery)) + 1, resolve, reject });
    pump();
  });
}

export function resetEnqueueForTests(): void {
  queue = [];
  inFlight = 0;
}
