import { appendFileSync, cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BulkOperationType, CosmosClient, type Container } from '@azure/cosmos';
import { afterAll, describe, expect, it } from 'vitest';
import { startCosmosEmulator, type CosmosEmulator } from '../../tools/emulators';

/**
 * The embedded Cosmos emulator's saved data, through the real SDK over HTTP: what a kill leaves on disk (the files
 * copied right after a save, as a SIGKILL would leave them) restores every document exactly, etags included, and
 * the restored data behaves as before: optimistic concurrency, partition keys, unique keys, new resource ids.
 */
describe('Cosmos emulator data kept in a file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosmos-persist-'));
  const emulators: CosmosEmulator[] = [];
  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  // A long interval: the test saves with flush(), so what is on disk at each copy is known.
  const start = async (name: string) => {
    const e = await startCosmosEmulator(0, '127.0.0.1', { dataFile: path.join(dir, name, 'cosmos.json'), saveIntervalMs: 60_000 });
    emulators.push(e);
    const client = new CosmosClient({ endpoint: e.endpoint, key: 'k', connectionPolicy: { enableEndpointDiscovery: false } });
    return { e, container: client.database('db').container('items'), client };
  };
  /** The data folder as a SIGKILL right now would leave it. */
  const killCopy = (from: string, to: string) => cpSync(path.join(dir, from), path.join(dir, to), { recursive: true });
  let before: Awaited<ReturnType<typeof all>> = [];
  const all = async (c: Container) => (await c.items.readAll().fetchAll()).resources.sort((a, b) => String(a.id).localeCompare(String(b.id)));

  it('restores a snapshot plus its journal exactly, and the restored data keeps working', async () => {
    const a = await start('a');
    const { database } = await a.client.databases.createIfNotExists({ id: 'db' });
    await database.containers.createIfNotExists({ id: 'items', partitionKey: { paths: ['/partnerId'] }, uniqueKeyPolicy: { uniqueKeys: [{ paths: ['/externalRef'] }] } });
    for (let i = 0; i < 20; i++) await a.container.items.create({ id: `d${i}`, partnerId: `p${i % 3}`, externalRef: `r${i}`, n: i });
    expect((await a.e.persistence!.flush())?.kind).toBe('snapshot');

    // Every kind of write after the snapshot lands in the journal.
    const { resource: read } = await a.container.item('d1', 'p1').read();
    await a.container.item('d1', 'p1').replace({ ...read, n: 100 }, { accessCondition: { type: 'IfMatch', condition: read!._etag } });
    await a.container.item('d2', 'p2').patch([{ op: 'incr', path: '/n', value: 5 }]);
    await a.container.item('d3', 'p0').delete();
    await a.container.items.upsert({ id: 'd4', partnerId: 'p1', externalRef: 'r4-changed', n: 4 });
    await a.container.items.executeBulkOperations([{ operationType: BulkOperationType.Create, partitionKey: 'p0', resourceBody: { id: 'bulk1', partnerId: 'p0', externalRef: 'rb', n: 0 } }]);
    const journal = await a.e.persistence!.flush();
    expect(journal).toMatchObject({ kind: 'journal', documents: 5 });
    before = await all(a.container);
    const { resource: held } = await a.container.item('d5', 'p2').read();
    killCopy('a', 'b');

    const b = await start('b');
    expect(b.e.persistence!.restored).toMatchObject({ databases: 1, containers: 1, documents: 20 });
    expect(await all(b.container)).toEqual(before);
    // An etag read before the restart still matches after it; an older one does not.
    const replaced = await b.container.item('d5', 'p2').replace({ ...held, n: 55 }, { accessCondition: { type: 'IfMatch', condition: held!._etag } });
    expect(replaced.statusCode).toBe(200);
    await expect(b.container.item('d5', 'p2').replace({ ...held, n: 56 }, { accessCondition: { type: 'IfMatch', condition: held!._etag } })).rejects.toMatchObject({ code: 412 });
    // Unique keys and partitions as before; the changed key of d4 is free again, the new one taken.
    await expect(b.container.items.create({ id: 'x1', partnerId: 'p1', externalRef: 'r4-changed' })).rejects.toMatchObject({ code: 409 });
    expect((await b.container.items.create({ id: 'x2', partnerId: 'p1', externalRef: 'r4' })).statusCode).toBe(201);
    expect((await b.container.items.create({ id: 'x3', partnerId: 'p2', externalRef: 'r4-changed' })).statusCode).toBe(201);
    const inP1 = await b.container.items.query("SELECT VALUE c.id FROM c WHERE c.partnerId = 'p1'", { partitionKey: 'p1' }).fetchAll();
    expect(inP1.resources.sort()).toEqual(['d1', 'd10', 'd13', 'd16', 'd19', 'd4', 'd7', 'x2']);
    // New documents get resource ids of their own: nothing restored is overwritten.
    const rids = (await all(b.container)).map((d) => d._rid);
    expect(new Set(rids).size).toBe(rids.length);
    expect((await b.container.item('d3', 'p0').read()).statusCode).toBe(404);
  });

  it('ignores a journal line torn by a kill and cuts it off, so what is appended next is read back', async () => {
    killCopy('a', 'c');
    const journal = path.join(dir, 'c', 'cosmos.json.journal');
    const whole = statSync(journal).size;
    expect(whole).toBeGreaterThan(0);
    appendFileSync(journal, '{"generation":1,"at":"2026-12-02T00:00:00.000Z","docs":[["db","items","x"');
    const c = await start('c');
    expect(await all(c.container)).toEqual(before);
    expect(statSync(journal).size).toBe(whole);
    await c.container.items.create({ id: 'after', partnerId: 'p0', externalRef: 'after' });
    expect((await c.e.persistence!.flush())?.kind).toBe('journal');
    killCopy('c', 'd');

    const d = await start('d');
    expect(d.e.persistence!.restored).toMatchObject({ documents: before.length + 1 });
    expect((await d.container.item('after', 'p0').read()).statusCode).toBe(200);
  });

  it('folds the journal into the snapshot on a clean stop', async () => {
    const d = emulators.at(-1)!;
    const dir_d = path.dirname(d.persistence!.file);
    await d.close();
    emulators.pop();
    expect(statSync(path.join(dir_d, 'cosmos.json.journal')).size).toBe(0);
    const e = await start('d');
    expect(e.e.persistence!.restored).toMatchObject({ documents: before.length + 1 });
  });
});
