import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resetSettingsCache } from '../../shared/config/settings';
import { claimRecompute, markStateChanged, releaseRecompute } from '../../shared/recompute/request';
import type { ProfileDoc } from '../../shared/state/documents';
import { resetCosmosClientForTests } from '../../shared/store/cosmos';
import { createOnce, deleteDocument, patchDocument, queryPage, readDocument, updateDocument, upsertDocument } from '../../shared/store/documents';
import { startFaultProxy, type FaultProxy } from '../../tools/faults/proxy';
import { useIsolatedStores } from '../helpers/emulators';
import { newPartnerId } from '../helpers/ids';

interface Doc {
  id: string;
  partnerId: string;
  n: number;
  _etag?: string;
}

/**
 * The store through a fault proxy in front of the real emulator, with the app's own client settings: 503, 408 and
 * reset connections are retried (the SDK retries none of them with endpoint discovery off, and never a write), and a
 * write whose answer was lost is recognised as done (issue 12, fault suite defects 1 to 3).
 */
describe('Cosmos documents through transient faults', () => {
  useIsolatedStores();
  let proxy: FaultProxy;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: inject('cosmosEndpoint') });
    process.env.COSMOS_ENDPOINT = `${proxy.url}/`;
    resetSettingsCache();
    resetCosmosClientForTests();
  });
  afterAll(async () => {
    process.env.COSMOS_ENDPOINT = inject('cosmosEndpoint');
    resetSettingsCache();
    resetCosmosClientForTests();
    await proxy.close();
  });

  it('retries reads, queries, upserts and repeatable patches that met a 503, a 408 or a reset', async () => {
    const p = newPartnerId();
    proxy.failNext('unavailable', 'reset', 'timeout');
    await upsertDocument('partners', { id: 'd', partnerId: p, n: 1 });
    proxy.failNext('unavailable', 'timeout');
    expect(await readDocument<Doc>('partners', p, 'd')).toMatchObject({ n: 1 });
    proxy.failNext('reset', 'unavailable');
    expect((await queryPage<Doc>('partners', { query: 'SELECT * FROM c WHERE c.partnerId = @p', parameters: [{ name: '@p', value: p }] })).items).toHaveLength(1);
    proxy.failNext('timeout', 'reset');
    expect(await patchDocument<Doc>('partners', p, 'd', [{ op: 'set', path: '/n', value: 5 }])).toMatchObject({ n: 5 });
  });

  it('does not repeat an increment whose answer was lost: the patch fails rather than counting twice', async () => {
    const p = newPartnerId();
    await upsertDocument('partners', { id: 'd', partnerId: p, n: 0 });
    proxy.failNext('timeout');
    await expect(patchDocument<Doc>('partners', p, 'd', [{ op: 'incr', path: '/n', value: 1 }])).rejects.toMatchObject({ code: 408 });
    expect((await readDocument<Doc>('partners', p, 'd'))?.n).toBe(1);
  });

  it('takes a create whose answer was lost for its own, not for a duplicate; another writer\'s document stays "exists"', async () => {
    const p = newPartnerId();
    proxy.failNext('timeout');
    expect(await createOnce('partners', { id: 'r', partnerId: p, n: 1 })).toMatchObject({ id: 'r', n: 1 });
    proxy.failNext('reset');
    // A reset is struck before or after the emulator acts; either way the create is done once, and is ours.
    expect(await createOnce('partners', { id: 'r2', partnerId: p, n: 1 })).toMatchObject({ id: 'r2', n: 1 });
    proxy.failNext('timeout');
    expect(await createOnce('partners', { id: 'r', partnerId: p, n: 2 })).toBe('exists');
  });

  it('reports a change when the etag-guarded write went through but its answer was lost', async () => {
    const p = newPartnerId();
    await upsertDocument('partners', { id: 'd', partnerId: p, n: 0 });
    proxy.failNext('pass');
    // The read passes, the replace is done and answered 408; the retry then fails on its own new etag.
    proxy.failNext('timeout');
    const res = await updateDocument<Doc>('partners', p, 'd', () => ({ id: 'd', partnerId: p, n: 0 }), (d) => (d.n === 0 ? ((d.n = 1), true) : false));
    expect(res.changed).toBe(true);
    expect((await readDocument<Doc>('partners', p, 'd'))?.n).toBe(1);
  });

  it('a delete whose answer was lost still says it deleted', async () => {
    const p = newPartnerId();
    await upsertDocument('partners', { id: 'd', partnerId: p, n: 0 });
    proxy.failNext('timeout');
    expect(await deleteDocument('partners', p, 'd')).toBe(true);
  });

  it('asks for the recompute when the profile write that set the pending flag lost its answer', async () => {
    const p = newPartnerId();
    const sent: unknown[] = [];
    await markStateChanged(p, { send: async (_q, m) => void sent.push(...m) });
    expect(sent).toHaveLength(1);
    await patchDocument('partners', p, 'profile', [{ op: 'remove', path: '/recomputePendingSince' }]);
    proxy.failNext('pass', 'timeout');
    await markStateChanged(p, { send: async (_q, m) => void sent.push(...m) });
    expect(sent).toHaveLength(2);
    expect((await readDocument<ProfileDoc>('partners', p, 'profile'))?.recomputePendingSince).toBeDefined();
  });

  it('sends the follow-up when the release that set its pending flag lost its answer (the fault suite\'s unscored partners)', async () => {
    const p = newPartnerId();
    const sent: unknown[] = [];
    const send = async (_q: string, m: unknown[]) => void sent.push(...m);
    await markStateChanged(p, { send });
    const { claim } = await claimRecompute(p);
    await markStateChanged(p, { send });
    expect(sent).toHaveLength(1);
    // The release's read passes, its replace is done and answered 408: the retry meets its own etag and re-reads a
    // profile with no running marker and a pending flag, its own, whose message must still go.
    proxy.failNext('pass', 'timeout');
    expect(await releaseRecompute(claim!, { send })).toEqual({ followUp: true });
    expect(sent).toHaveLength(2);
    const after = await readDocument<ProfileDoc>('partners', p, 'profile');
    expect(after?.recomputeRunning ?? after?.recomputeFollowUp).toBeUndefined();
    expect(after?.recomputePendingSince).toBeDefined();
  });
});
