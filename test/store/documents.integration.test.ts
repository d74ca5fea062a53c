import { describe, expect, it } from 'vitest';
import { createOnce, deleteDocument, patchDocument, readDocument, replaceDocument, updateDocument, upsertDocument } from '../../shared/store/documents';
import { isPreconditionFailed } from '../../shared/store/errors';
import { ConcurrencyExhaustedError, optimisticUpdate } from '../../shared/store/optimistic-update';
import { RequestCharges } from '../../shared/store/request-charges';
import { useIsolatedStores } from '../helpers/emulators';
import { newPartnerId } from '../helpers/ids';

interface Counter {
  id: string;
  partnerId: string;
  n: number;
  _etag?: string;
}

const counter = (partnerId: string, n = 0): Counter => ({ id: 'counter', partnerId, n });

/** The document module against the real emulator: what it answers, and that concurrent writers lose nothing. */
describe('Cosmos documents', () => {
  useIsolatedStores();

  it('reads a missing document as undefined, and counts the read', async () => {
    const charges = new RequestCharges();
    expect(await readDocument<Counter>('partners', newPartnerId(), 'counter', charges)).toBeUndefined();
    expect(charges.reads).toBe(1);
  });

  it('creates once: a second create of the same id answers "exists" and keeps the first', async () => {
    const p = newPartnerId();
    expect(await createOnce('partners', counter(p, 1))).toMatchObject({ id: 'counter', n: 1 });
    expect(await createOnce('partners', counter(p, 2))).toBe('exists');
    expect((await readDocument<Counter>('partners', p, 'counter'))?.n).toBe(1);
  });

  it('loses no update: 20 concurrent increments of a document that does not exist yet give 20', async () => {
    const p = newPartnerId();
    const charges = new RequestCharges();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => updateDocument<Counter>('partners', p, 'counter', () => counter(p), (d) => (d.n++, true), { charges })),
    );
    expect(results.every((r) => r.changed)).toBe(true);
    expect((await readDocument<Counter>('partners', p, 'counter'))?.n).toBe(20);
    expect(charges.writes).toBe(20);
    expect(charges.reads).toBeGreaterThanOrEqual(20);
  });

  it('re-reads and re-applies when the document it was given is stale, and gives up when it may not', async () => {
    const p = newPartnerId();
    const stale = await upsertDocument('partners', counter(p, 1));
    await upsertDocument('partners', counter(p, 5));
    const err = await updateDocument<Counter>('partners', p, 'counter', () => counter(p), (d) => (d.n++, true), { current: stale, maxAttempts: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrencyExhaustedError);
    expect((await readDocument<Counter>('partners', p, 'counter'))?.n).toBe(5);
    const res = await updateDocument<Counter>('partners', p, 'counter', () => counter(p), (d) => (d.n++, true), { current: stale, maxAttempts: 2 });
    expect(res.doc.n).toBe(6);
  });

  it('gives up after N writes that each lost to another writer, leaving the winners\u2019 writes in place', async () => {
    const p = newPartnerId();
    await upsertDocument('partners', counter(p));
    let rivals = 0;
    const err = await optimisticUpdate<Counter>(
      {
        read: () => readDocument<Counter>('partners', p, 'counter'),
        // Another writer always gets in between this read and this write, so the etag never matches.
        write: async (doc, current) => {
          await upsertDocument('partners', { ...counter(p), n: current!.n + 100 });
          rivals++;
          return replaceDocument('partners', p, doc, { ifMatch: current!._etag! });
        },
      },
      () => counter(p),
      (d) => (d.n++, true),
      { what: `partners/${p}/counter`, maxAttempts: 3 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrencyExhaustedError);
    expect((err as Error).message).toBe(`Gave up on partners/${p}/counter after 3 conflicting writes.`);
    expect(rivals).toBe(3);
    expect((await readDocument<Counter>('partners', p, 'counter'))?.n).toBe(300);
  });

  it('answers a failed etag or patch condition with a 412, and a delete of nothing with false', async () => {
    const p = newPartnerId();
    const first = await upsertDocument('partners', counter(p));
    await upsertDocument('partners', counter(p, 1));
    expect(await replaceDocument('partners', p, counter(p, 2), { ifMatch: first._etag! }).catch(isPreconditionFailed)).toBe(true);
    const patched = await patchDocument<Counter>('partners', p, 'counter', [{ op: 'incr', path: '/n', value: 2 }]);
    expect(patched.n).toBe(3);
    expect(await patchDocument('partners', p, 'counter', { condition: 'FROM c WHERE c.n = 0', operations: [{ op: 'set', path: '/n', value: 0 }] }).catch(isPreconditionFailed)).toBe(true);
    expect(await deleteDocument('partners', p, 'counter')).toBe(true);
    expect(await deleteDocument('partners', p, 'counter')).toBe(false);
  });
});
