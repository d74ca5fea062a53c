import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../shared/queues/names';
import { markStateChanged } from '../../shared/recompute/request';
import { DOC_IDS, type ProfileDoc } from '../../shared/state/documents';
import { readStateDoc } from '../../shared/state/state-store';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { newPartnerId } from '../helpers/ids';

describe('recompute requests', () => {
  let stores: IsolatedStores;
  beforeAll(async () => {
    stores = await isolatedStores({ ownAzurite: true });
  });
  afterAll(async () => {
    await stores?.close();
  });

  it('coalesces: the first change enqueues, the next ones only bump the state version', async () => {
    const p = newPartnerId();
    expect(await markStateChanged(p)).toMatchObject({ enqueued: true });
    expect(await markStateChanged(p)).toMatchObject({ enqueued: false });
    const profile = await readStateDoc<ProfileDoc>(p, DOC_IDS.profile);
    expect(profile?.stateVersion).toBe(2);
    expect(profile?.recomputePendingSince).toBeDefined();
    const q = QueueServiceClient.fromConnectionString(stores.env.AzureWebJobsStorage!).getQueueClient(QUEUES.recompute);
    const peeked = await q.peekMessages({ numberOfMessages: 32 });
    const mine = peeked.peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as { partnerId: string }).filter((m) => m.partnerId === p);
    expect(mine).toHaveLength(1);
  });

  it('takes its pending flag back when the message cannot be sent, so the retry asks again', async () => {
    const p = newPartnerId();
    const failing = async () => {
      throw new Error('queue unavailable');
    };
    await expect(markStateChanged(p, { send: failing })).rejects.toThrow('queue unavailable');
    expect((await readStateDoc<ProfileDoc>(p, DOC_IDS.profile))?.recomputePendingSince).toBeUndefined();
    expect(await markStateChanged(p)).toMatchObject({ enqueued: true });
  });
});
