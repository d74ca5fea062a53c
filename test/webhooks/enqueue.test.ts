import { afterEach, describe, expect, it } from 'vitest';
import type { EventsMessage } from '../../shared/events/message';
import { enqueueDelivery, resetEnqueueForTests, setSenderForTests } from '../../shared/webhooks/enqueue';
import { toReference } from '../../shared/webhooks/receive';

/** Bytes of the queue message as stored: base64 of the UTF-8 JSON. */
const stored = (m: unknown) => Buffer.from(JSON.stringify(m)).toString('base64').length;

const delivery = (n: number, events = 1): EventsMessage => ({
  kind: 'webhook-delivery',
  v: 1,
  source: 's',
  webhookId: `w${n}`,
  receiptId: `s:w${n}`,
  receivedAt: '2026-01-01T00:00:00Z',
  partnerIds: [`p${n % 3}`],
  events: Array.from({ length: events }, (_, i) => ({ id: `e${n}-${i}`, version: 1, type: 'pal.linked', partnerId: `p${n % 3}`, occurredAt: '2026-01-01T00:00:00Z', data: { tenantId: 'ü'.repeat(100), objectId: 'o' } })),
});

/**
 * A queue writer that records each message's UTF-8 size and holds the first send until `release()`,
 * so the deliveries enqueued meanwhile form batches.
 */
function recordSizesHoldingFirstSend(): { sizes: number[]; release: () => void } {
  const sizes: number[] = [];
  let released: () => void = () => undefined;
  const held = new Promise<void>((r) => (released = r));
  let calls = 0;
  setSenderForTests(async (_q, bodies) => {
    sizes.push(Buffer.byteLength(JSON.stringify(bodies[0])));
    if (calls++ === 0) await held;
  });
  return { sizes, release: () => released() };
}

describe('group commit of accepted deliveries', () => {
  afterEach(() => {
    setSenderForTests(undefined);
    resetEnqueueForTests();
  });

  it('sends a lone delivery at once, and batches those accepted while a send is in flight', async () => {
    const sent: unknown[] = [];
    let release!: () => void;
    setSenderForTests(async (_q, bodies) => {
      sent.push(...bodies);
      if (sent.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = enqueueDelivery(delivery(0));
    const rest = Array.from({ length: 10 }, (_, i) => enqueueDelivery(delivery(i + 1)));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'webhook-delivery', webhookId: 'w0' });
    release();
    await Promise.all([first, ...rest]);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ kind: 'webhook-deliveries', partnerIds: ['p0', 'p1', 'p2'] });
    expect((sent[1] as { deliveries: unknown[] }).deliveries).toHaveLength(10);
  });

  it('keeps every message under the queue size budget, counting UTF-8 bytes', async () => {
    const { sizes, release } = recordSizesHoldingFirstSend();
    const all = [enqueueDelivery(delivery(0)), ...Array.from({ length: 40 }, (_, i) => enqueueDelivery(delivery(i + 1, 20)))];
    release();
    await Promise.all(all);
    expect(sizes.length).toBeGreaterThan(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(45_000);
  });

  it('fails every delivery of a message that could not be written, so each caller can answer 503', async () => {
    let release!: () => void;
    let calls = 0;
    setSenderForTests(async () => {
      if (calls++ === 0) return new Promise<void>((r) => (release = r));
      throw new Error('queue unavailable');
    });
    const first = enqueueDelivery(delivery(0));
    const batch = [enqueueDelivery(delivery(1)), enqueueDelivery(delivery(2))];
    release();
    await first;
    for (const p of batch) await expect(p).rejects.toThrow('queue unavailable');
  });

  it('counts the union of partner ids a batched message adds, so the message stays under the budget', async () => {
    const { sizes, release } = recordSizesHoldingFirstSend();
    // Reference-only deliveries: small events-wise but each listing many partners, which the batch repeats once more.
    const many = (n: number): EventsMessage => ({ ...delivery(n), events: undefined, partnerIds: Array.from({ length: 60 }, (_, i) => `partner-${n}-${i}-${'x'.repeat(100)}`) });
    const all = [enqueueDelivery(delivery(0)), ...Array.from({ length: 10 }, (_, i) => enqueueDelivery(many(i + 1)))];
    release();
    await Promise.all(all);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(45_000);
  });

  it('keeps the reference message of a 500-partner delivery within a queue message', () => {
    const partnerIds = Array.from({ length: 500 }, (_, i) => `${i}-${'ü'.repeat(120)}`);
    const ref = toReference({ ...delivery(1), partnerIds });
    expect(ref.events).toBeUndefined();
    expect(Buffer.byteLength(JSON.stringify(ref))).toBeLessThanOrEqual(45_000);
    expect(stored(ref)).toBeLessThan(64 * 1024);
    expect(ref.partnerIds.length).toBeGreaterThan(0);
  });
});
