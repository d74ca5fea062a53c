import { describe, expect, it } from 'vitest';
import { cosmosStatus, isConflict, isNotFound, isPreconditionFailed, isThrottled, retryAfterMs } from '../../shared/store/errors';
import { ConcurrencyExhaustedError, optimisticUpdate, type VersionedAccess } from '../../shared/store/optimistic-update';

/** Errors shaped as @azure/cosmos throws them (ErrorResponse: the HTTP status in `code`). */
const cosmosError = (code: number, extra: Record<string, unknown> = {}) => Object.assign(new Error(`status ${code}`), { code, ...extra });

interface Counter {
  id: string;
  n: number;
  _etag?: string;
}

/** An in-memory document with etags, and a hook to fail chosen reads or writes the way Cosmos DB does. */
function memoryAccess(start?: Counter, fail: { read?: (call: number) => unknown; write?: (call: number) => unknown } = {}) {
  let stored = start;
  let version = 0;
  const calls = { read: 0, write: 0 };
  const access: VersionedAccess<Counter> = {
    async read() {
      calls.read++;
      const err = fail.read?.(calls.read);
      if (err) throw err;
      return stored && structuredClone(stored);
    },
    async write(doc, current) {
      calls.write++;
      const err = fail.write?.(calls.write);
      if (err) throw err;
      if (current ? current._etag !== stored?._etag : stored) throw cosmosError(current ? 412 : 409);
      stored = { ...doc, _etag: `e${++version}` };
      return structuredClone(stored);
    },
  };
  return { access, calls, stored: () => stored };
}

const init = (): Counter => ({ id: 'c', n: 0 });
const increment = (d: Counter) => (d.n++, true);

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('Cosmos status helpers', () => {
  it('read the status from code or statusCode, and nothing from other values', () => {
    expect(cosmosStatus(cosmosError(404))).toBe(404);
    expect(cosmosStatus({ statusCode: 412 })).toBe(412);
    expect(cosmosStatus({ code: 'Conflict' })).toBeUndefined();
    expect(cosmosStatus(null)).toBeUndefined();
    expect(cosmosStatus('429')).toBeUndefined();
    expect([isNotFound(cosmosError(404)), isConflict(cosmosError(409)), isPreconditionFailed(cosmosError(412)), isThrottled(cosmosError(429))]).toEqual([true, true, true, true]);
    expect(isThrottled(cosmosError(503))).toBe(false);
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('optimisticUpdate decisions', () => {
  it('retries a write that met a 503 honouring its retry-after, without re-reading or spending an attempt', async () => {
    const mem = memoryAccess(undefined, { write: (call) => (call <= 2 ? cosmosError(503, { retryAfterInMs: 250 }) : undefined) });
    const { waits, sleep } = recordingSleep();
    const res = await optimisticUpdate(mem.access, init, increment, { what: 'c', maxAttempts: 1, retry: { sleep, random: () => 0 } });
    expect(res).toMatchObject({ changed: true, doc: { n: 1 } });
    expect(mem.calls).toEqual({ read: 1, write: 3 });
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(250);
  });

  it('retries an unavailable read the same way', async () => {
    const mem = memoryAccess({ id: 'c', n: 4, _etag: 'e0' }, { read: (call) => (call === 1 ? cosmosError(503, { retryAfterInMs: 40 }) : undefined) });
    const { waits, sleep } = recordingSleep();
    const res = await optimisticUpdate(mem.access, init, increment, { what: 'c', retry: { sleep } });
    expect(res.doc.n).toBe(5);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(40);
  });

  it('rethrows a 429 at once: the SDK has already retried it as long as its retryOptions allow (cosmos.ts), and callers can tell throttling from contention', async () => {
    const mem = memoryAccess(undefined, { write: () => cosmosError(429, { retryAfterInMs: 1 }) });
    const { waits, sleep } = recordingSleep();
    await expect(optimisticUpdate(mem.access, init, increment, { what: 'c', retry: { sleep, maxAttempts: 3 } })).rejects.toMatchObject({ code: 429 });
    expect(mem.calls.write).toBe(1);
    expect(waits).toEqual([]);
  });

  it('re-reads and re-applies after a 412, on a fresh copy each time', async () => {
    const mem = memoryAccess({ id: 'c', n: 10, _etag: 'e0' }, { write: (call) => (call === 1 ? cosmosError(412) : undefined) });
    const { waits, sleep } = recordingSleep();
    const seen: number[] = [];
    const res = await optimisticUpdate(mem.access, init, (d) => (seen.push(d.n), d.n++, true), { what: 'c', retry: { sleep } });
    expect(seen).toEqual([10, 10]);
    expect(res.doc.n).toBe(11);
    expect(mem.calls).toEqual({ read: 2, write: 2 });
    expect(waits).toHaveLength(1);
  });

  it('after a 409 (another writer created the document first) re-reads and replaces it', async () => {
    const mem = memoryAccess(undefined, { write: (call) => (call === 1 ? cosmosError(409) : undefined) });
    const { sleep } = recordingSleep();
    const res = await optimisticUpdate(mem.access, init, increment, { what: 'c', retry: { sleep } });
    expect(res).toMatchObject({ changed: true, doc: { n: 1 } });
    expect(mem.calls.write).toBe(2);
  });

  it('gives up after maxAttempts conflicting writes with a ConcurrencyExhaustedError naming the document', async () => {
    const mem = memoryAccess({ id: 'c', n: 0, _etag: 'e0' }, { write: () => cosmosError(412) });
    const { waits, sleep } = recordingSleep();
    const err = await optimisticUpdate(mem.access, init, increment, { what: 'partners/p-1/c', maxAttempts: 4, retry: { sleep } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrencyExhaustedError);
    expect((err as Error).message).toBe('Gave up on partners/p-1/c after 4 conflicting writes.');
    expect(mem.calls).toEqual({ read: 4, write: 4 });
    expect(waits).toHaveLength(3);
  });

  it('spreads conflicting writers with a jittered wait that grows and stays bounded', async () => {
    const mem = memoryAccess({ id: 'c', n: 0, _etag: 'e0' }, { write: () => cosmosError(412) });
    const low = recordingSleep();
    const high = recordingSleep();
    await optimisticUpdate(mem.access, init, increment, { what: 'c', maxAttempts: 12, retry: { sleep: low.sleep, random: () => 0 } }).catch(() => undefined);
    await optimisticUpdate(mem.access, init, increment, { what: 'c', maxAttempts: 12, retry: { sleep: high.sleep, random: () => 1 } }).catch(() => undefined);
    expect(low.waits[1]!).toBeGreaterThan(low.waits[0]!);
    expect(high.waits.every((w, i) => w > low.waits[i]! || w === 200)).toBe(true);
    expect(Math.max(...high.waits)).toBeLessThanOrEqual(200);
  });

  it('rethrows any other error at once, and writes nothing when mutate says nothing changed', async () => {
    const failing = memoryAccess(undefined, { write: () => cosmosError(500) });
    await expect(optimisticUpdate(failing.access, init, increment, { what: 'c' })).rejects.toMatchObject({ code: 500 });
    expect(failing.calls.write).toBe(1);

    const unchanged = memoryAccess({ id: 'c', n: 3, _etag: 'e0' });
    const res = await optimisticUpdate(unchanged.access, init, () => false, { what: 'c' });
    expect(res).toEqual({ doc: { id: 'c', n: 3, _etag: 'e0' }, changed: false });
    expect(unchanged.calls.write).toBe(0);
  });

  it('uses the document the caller already read instead of a first read', async () => {
    const mem = memoryAccess({ id: 'c', n: 7, _etag: 'e0' });
    const res = await optimisticUpdate(mem.access, init, increment, { what: 'c', current: { id: 'c', n: 7, _etag: 'e0' } });
    expect(res.doc.n).toBe(8);
    expect(mem.calls.read).toBe(0);
  });
});
