import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecret, secretKey, sign, signedHeaders, verify } from '../../shared/lib/signing';
import { resolveSource, SourceConfigError, mayWrite } from '../../shared/webhooks/sources';

describe('Standard Webhooks signatures', () => {
  const secret = generateSecret();
  const key = secretKey(secret);
  const now = 1_767_225_600;
  const body = '{"id":"e1","type":"pal.linked"}';
  const base = { keys: [key], id: 'msg_1', timestamp: String(now), body, toleranceSeconds: 300, nowSeconds: now };

  it('matches the specification: base64 HMAC-SHA256 of id.timestamp.body, prefixed v1,', () => {
    const expected = createHmac('sha256', key).update(`msg_1.${now}.${body}`).digest('base64');
    expect(sign(secret, 'msg_1', now, body)).toBe(`v1,${expected}`);
  });

  it('verifies against the specification example', () => {
    // From standard-webhooks/standard-webhooks spec: secret, id, timestamp, payload and the expected signature.
    const spec = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', ts: 1614265330, payload: '{"test": 2432232314}' };
    expect(sign(spec.secret, spec.id, spec.ts, spec.payload)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('accepts any of several signatures and any of several keys (rotation)', () => {
    const other = generateSecret();
    const sig = `v1,AAAA v1a,xyz ${sign(secret, 'msg_1', now, body)}`;
    expect(verify({ ...base, signature: sig })).toEqual({ ok: true });
    expect(verify({ ...base, keys: [secretKey(other), key], signature: sign(secret, 'msg_1', now, body) })).toEqual({ ok: true });
  });

  it('refuses a changed body, id or timestamp, and a wrong key', () => {
    const sig = sign(secret, 'msg_1', now, body);
    expect(verify({ ...base, body: `${body} `, signature: sig })).toMatchObject({ ok: false, reason: 'no-matching-signature' });
    expect(verify({ ...base, id: 'msg_2', signature: sig })).toMatchObject({ ok: false, reason: 'no-matching-signature' });
    expect(verify({ ...base, timestamp: String(now + 1), signature: sig })).toMatchObject({ ok: false, reason: 'no-matching-signature' });
    expect(verify({ ...base, keys: [secretKey(generateSecret())], signature: sig })).toMatchObject({ ok: false });
  });

  it('refuses timestamps outside the tolerance either way, and non-numeric ones', () => {
    const at = (ts: number) => verify({ ...base, timestamp: String(ts), signature: sign(secret, 'msg_1', ts, body) });
    expect(at(now - 300)).toEqual({ ok: true });
    expect(at(now + 300)).toEqual({ ok: true });
    expect(at(now - 301)).toMatchObject({ ok: false, reason: 'stale-timestamp' });
    expect(at(now + 301)).toMatchObject({ ok: false, reason: 'future-timestamp' });
    expect(verify({ ...base, timestamp: '1.5e9', signature: 'v1,x' })).toMatchObject({ ok: false, reason: 'bad-timestamp' });
    expect(verify({ ...base, signature: null })).toMatchObject({ ok: false, reason: 'missing-headers' });
  });

  it('signs with every secret given, for senders mid-rotation', () => {
    const h = signedHeaders([secret, generateSecret()], 'msg_9', body, now);
    expect(h['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verify({ ...base, id: 'msg_9', signature: h['webhook-signature'] })).toEqual({ ok: true });
  });

  it('rejects malformed or too short secrets', () => {
    expect(() => secretKey('whsec_abc')).toThrow(/24 to 64 bytes/);
    expect(() => secretKey('whsec_not base64!')).toThrow(/base64/);
  });
});

describe('webhook source settings', () => {
  const s1 = generateSecret();
  const s2 = generateSecret();
  const env = { WEBHOOK_SOURCES: 'crm, Partner-Center', WEBHOOK_SECRET_CRM: `${s1} ${s2}`, WEBHOOK_PARTNERS_CRM: 'p1, p2', WEBHOOK_SECRET_PARTNER_CENTER: s1, WEBHOOK_PARTNERS_PARTNER_CENTER: '*' };

  it('resolves a listed source case-insensitively with all its secrets and partners', () => {
    const crm = resolveSource('CRM', env)!;
    expect(crm.name).toBe('crm');
    expect(crm.keys).toHaveLength(2);
    expect(mayWrite(crm, 'p2')).toBe(true);
    expect(mayWrite(crm, 'p3')).toBe(false);
    expect(mayWrite(resolveSource('partner-center', env)!, 'anyone')).toBe(true);
  });

  it('returns undefined for unlisted sources and throws naming the setting for misconfigured ones', () => {
    expect(resolveSource('hr', env)).toBeUndefined();
    expect(resolveSource('../crm', env)).toBeUndefined();
    expect(() => resolveSource('crm', { ...env, WEBHOOK_SECRET_CRM: 'whsec_short' })).toThrow(SourceConfigError);
    expect(() => resolveSource('crm', { ...env, WEBHOOK_PARTNERS_CRM: '' })).toThrow(/WEBHOOK_PARTNERS_CRM/);
  });
});
