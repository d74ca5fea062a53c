import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverNotification, retryDelaySeconds, webhookIdOf } from '../../shared/alerts/deliver';
import { listAlerts, recordAlerts } from '../../shared/alerts/alert-store';
import { resetSettingsCache } from '../../shared/config/settings';
import { importSnapshotAsState } from '../../tools/fixtures/snapshot-import';
import { generateSecret, secretKey, verify } from '../../shared/lib/signing';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { newPartnerId } from '../helpers/ids';

const alert = { id: 'status:security:2026-11-25:in-progress', kind: 'status-changed' as const, area: 'security' as const, date: '2026-11-25', from: 'qualified' as const, to: 'in-progress' as const, total: 60, message: 'Security: qualified -> in-progress' };

describe('alert notifications', () => {
  let stores: IsolatedStores;
  beforeAll(async () => {
    stores = await isolatedStores();
    process.env.NOTIFICATION_SECRET = generateSecret();
    process.env.NOTIFICATION_MAX_ATTEMPTS = '3';
    resetSettingsCache();
  });
  afterAll(async () => {
    delete process.env.NOTIFICATION_SECRET;
    delete process.env.NOTIFICATION_MAX_ATTEMPTS;
    resetSettingsCache();
    await stores?.close();
  });

  it('records an alert once however often the same condition is seen', async () => {
    const p = newPartnerId();
    expect(await recordAlerts(p, [alert], { notificationUrl: 'https://example.com/h' })).toEqual([alert.id]);
    // Still pending: a rerun returns it again so a lost notification message is re-sent.
    expect(await recordAlerts(p, [alert], { notificationUrl: 'https://example.com/h' })).toEqual([alert.id]);
    expect(await listAlerts(p)).toHaveLength(1);
    expect(await recordAlerts(newPartnerId(), [alert])).toEqual([]);
  });

  it('backs off exponentially with jitter and honours Retry-After', () => {
    expect(retryDelaySeconds(1, 30, undefined, () => 0)).toBe(15);
    expect(retryDelaySeconds(3, 30, undefined, () => 1)).toBe(120);
    expect(retryDelaySeconds(1, 30, 600, () => 0)).toBe(600);
    expect(webhookIdOf('p', 'a')).toBe(webhookIdOf('p', 'a'));
  });

  it('gives up at once on 410 Gone, and after the last attempt otherwise, marking the alert failed', async () => {
    const p = newPartnerId();
    await importSnapshotAsState({ partnerId: p }, { notificationUrl: 'https://receiver.invalid/hook' });
    await recordAlerts(p, [alert], { notificationUrl: 'https://receiver.invalid/hook' });
    const gone = await deliverNotification({ partnerId: p, alertId: alert.id, attempt: 1 }, { fetchImpl: async () => new Response(null, { status: 410 }) });
    expect(gone.result).toBe('gave-up');
    expect((await listAlerts(p))[0]!.notification).toMatchObject({ state: 'failed', lastError: 'HTTP 410 from the notification URL' });

    const q = newPartnerId();
    await importSnapshotAsState({ partnerId: q }, { notificationUrl: 'https://receiver.invalid/hook' });
    await recordAlerts(q, [alert], { notificationUrl: 'https://receiver.invalid/hook' });
    const failing = async () => new Response(null, { status: 500 });
    expect((await deliverNotification({ partnerId: q, alertId: alert.id, attempt: 2 }, { fetchImpl: failing })).result).toBe('retry');
    expect((await listAlerts(q))[0]!.notification.state).toBe('pending');
    const last = await deliverNotification({ partnerId: q, alertId: alert.id, attempt: 3 }, { fetchImpl: failing });
    expect(last.result).toBe('gave-up');
    expect((await listAlerts(q))[0]!.notification).toMatchObject({ state: 'failed', attempts: 3 });
  });

  it('signs with every secret in NOTIFICATION_SECRET, so a rotation needs no downtime for receivers', async () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    process.env.NOTIFICATION_SECRET = `${oldSecret} ${newSecret}`;
    resetSettingsCache();
    try {
      const p = newPartnerId();
      await importSnapshotAsState({ partnerId: p }, { notificationUrl: 'https://receiver.invalid/hook' });
      await recordAlerts(p, [alert], { notificationUrl: 'https://receiver.invalid/hook' });
      let seen: Request | undefined;
      const res = await deliverNotification({ partnerId: p, alertId: alert.id, attempt: 1 }, { fetchImpl: async (input, init) => { seen = new Request(input, init); return new Response(null, { status: 200 }); } });
      expect(res.result).not.toBe('retry');
      const body = await seen!.text();
      expect(seen!.headers.get('webhook-signature')!.split(' ')).toHaveLength(2);
      for (const secret of [oldSecret, newSecret]) {
        const check = verify({ keys: [secretKey(secret)], id: seen!.headers.get('webhook-id'), timestamp: seen!.headers.get('webhook-timestamp'), signature: seen!.headers.get('webhook-signature'), body, toleranceSeconds: 300 });
        expect(check.ok).toBe(true);
      }
    } finally {
      process.env.NOTIFICATION_SECRET = generateSecret();
      resetSettingsCache();
    }
  });
});
