import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAlerts } from '../../shared/alerts/alert-store';
import { deliverNotification } from '../../shared/alerts/deliver';
import { resetSettingsCache } from '../../shared/config/settings';
import { EVENT_EXAMPLES } from '../../shared/events/examples';
import { generateSecret } from '../../shared/lib/signing';
import { importSnapshotAsState } from '../../tools/fixtures/snapshot-import';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { newPartnerId, uid } from '../helpers/ids';

/**
 * Interoperability with the Standard Webhooks reference library (npm `standardwebhooks`): deliveries it signs are
 * accepted by the local host, and the alert notifications we sign (shared/lib/signing.ts) pass its verify().
 * Compatibility with other implementations is checked here, not assumed from reading the specification.
 */
describe('Standard Webhooks interop with the standardwebhooks package', () => {
  let stores: IsolatedStores;
  let host: HostProcess;
  const [secret, nextSecret] = [generateSecret(), generateSecret()];
  const partner = newPartnerId('swh');

  beforeAll(async () => {
    stores = await isolatedStores();
    host = await startHostProcess({ env: { ...stores.env, WEBHOOK_SOURCES: 'crm', WEBHOOK_SECRET_CRM: `${secret} ${nextSecret}`, WEBHOOK_PARTNERS_CRM: '*' } });
  });
  afterAll(async () => {
    await host?.stop();
    await stores?.close();
  });

  /** Posts `raw` with the headers the reference library produces for it, signed with each of `secrets`. */
  async function postSignedByLibrary(raw: string, secrets: string[], id = uid('msg')): Promise<{ status: number; json: Record<string, unknown> }> {
    const at = new Date();
    const signature = secrets.map((s) => new Webhook(s).sign(id, at, raw)).join(' ');
    const res = await fetch(`${host.url}/api/webhooks/crm`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature },
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('accepts deliveries the reference library signed (one event, a batch, two signatures during a rotation) with 202, and refuses a changed body', async () => {
    const event = (n: number) => ({ ...EVENT_EXAMPLES['cpor.claim.submitted'], id: uid(`evt${n}`), partnerId: partner });
    const one = await postSignedByLibrary(JSON.stringify(event(1)), [secret]);
    expect(one).toMatchObject({ status: 202, json: { status: 'accepted', events: 1 } });
    const batch = await postSignedByLibrary(JSON.stringify({ events: [event(2), event(3)] }), [nextSecret]);
    expect(batch).toMatchObject({ status: 202, json: { status: 'accepted', events: 2 } });
    const rotating = await postSignedByLibrary(JSON.stringify(event(4)), [generateSecret(), secret]);
    expect(rotating.status).toBe(202);

    // The signature covers the exact bytes: the same headers over another body are refused.
    const id = uid('msg');
    const at = new Date();
    const signed = JSON.stringify(event(5));
    const res = await fetch(`${host.url}/api/webhooks/crm`, {
      method: 'POST',
      body: signed.replace('"version":1', '"version": 1'),
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, signed) },
    });
    expect(res.status).toBe(401);
    await res.body?.cancel();

    // Accepted means applied later, as for any sender.
    const receipt = await eventually(async () => {
      const r = await fetch(`${host.url}/api/webhooks/crm/deliveries/${String(one.json.webhookId)}`);
      const body = (await r.json()) as { status?: string };
      return body.status === 'applied' ? body : undefined;
    }, 30_000, 'the delivery applied');
    expect(receipt.status).toBe('applied');
  });

  describe('our alert notifications', () => {
    let receiver: Server;
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    let url: string;

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c: string) => (body += c));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pcs-alerts`;
    });
    afterAll(async () => {
      delete process.env.NOTIFICATION_SECRET;
      resetSettingsCache();
      await new Promise((r) => receiver.close(r));
    });

    it('pass the reference library verify() with each secret of a rotation, and fail it with another secret', async () => {
      process.env.NOTIFICATION_SECRET = `${secret} ${nextSecret}`;
      resetSettingsCache();
      const p = newPartnerId('swh-out');
      const alert = { id: `status:security:2026-11-25:in-progress`, kind: 'status-changed' as const, area: 'security' as const, date: '2026-11-25', from: 'qualified' as const, to: 'in-progress' as const, total: 60, message: 'Security: qualified -> in-progress' };
      await importSnapshotAsState({ partnerId: p }, { notificationUrl: url });
      await recordAlerts(p, [alert], { notificationUrl: url });

      const outcome = await deliverNotification({ partnerId: p, alertId: alert.id, attempt: 1 });
      expect(outcome).toMatchObject({ result: 'delivered', status: 204 });
      expect(received).toHaveLength(1);
      const { headers, body } = received[0]!;
      const wire = { 'webhook-id': String(headers['webhook-id']), 'webhook-timestamp': String(headers['webhook-timestamp']), 'webhook-signature': String(headers['webhook-signature']) };
      for (const s of [secret, nextSecret]) {
        const payload = new Webhook(s).verify(body, wire) as { type: string; data: { partnerId: string; alert: { id: string } } };
        expect(payload).toMatchObject({ type: 'pcs.alert.status-changed', data: { partnerId: p, alert: { id: alert.id } } });
      }
      expect(() => new Webhook(generateSecret()).verify(body, wire)).toThrow(WebhookVerificationError);
      expect(() => new Webhook(secret).verify(`${body} `, wire)).toThrow(WebhookVerificationError);
    });
  });
});
