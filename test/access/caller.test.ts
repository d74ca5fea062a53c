import { describe, expect, it } from 'vitest';
import { auditQuerySchema } from '../../shared/access/audit';
import { callerOf } from '../../shared/access/caller';
import { decide } from '../../shared/access/decision';
import { accessOf, NO_ACCESS } from '../../shared/access/grants';
import type { Principal } from '../../shared/access/principal';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });
const easyAuth = (claims: { typ: string; val: string }[]) => Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64');
const operatorHeader = { 'x-ms-client-principal': easyAuth([{ typ: 'oid', val: 'mallory' }, { typ: 'roles', val: 'operator' }]) };

describe('who the caller is', () => {
  it('believes x-ms-client-principal only when the platform says authentication is on', () => {
    expect(callerOf(headers(operatorHeader), {})).toBeUndefined();
    expect(callerOf(headers(operatorHeader), { WEBSITE_AUTH_ENABLED: 'false' })).toBeUndefined();
    expect(callerOf(headers(operatorHeader), { WEBSITE_AUTH_ENABLED: 'True' })).toMatchObject({ id: 'mallory', roles: ['operator'], via: 'easy-auth' });
  });

  it('uses LOCAL_PRINCIPAL outside Azure only, and never over the platform header', () => {
    expect(callerOf(headers(operatorHeader), { LOCAL_PRINCIPAL: 'ada roles=partner.reader:p1' })).toMatchObject({ name: 'ada', roles: ['partner.reader:p1'], via: 'local-principal' });
    expect(callerOf(headers({}), { LOCAL_PRINCIPAL: 'ada', WEBSITE_SITE_NAME: 'pcs-prod' })).toBeUndefined();
    expect(callerOf(headers({}), { LOCAL_PRINCIPAL: 'ada', WEBSITE_AUTH_ENABLED: 'true' })).toBeUndefined();
  });
});

describe('the access decision', () => {
  const ada: Principal = { kind: 'user', id: 'ada-oid', name: 'ada', roles: [], groups: ['staff'], via: 'easy-auth' };
  const access = accessOf(ada, [{ subject: { kind: 'group', id: 'staff' }, role: 'partner.reader', partners: ['p1'] }], []);

  it('asks an unknown caller to sign in, and lets public and signed routes through without one', () => {
    expect(decide({ kind: 'partner', need: 'read' }, undefined, NO_ACCESS, 'p1')).toMatchObject({ allow: false, status: 401 });
    expect(decide({ kind: 'public' }, undefined, NO_ACCESS, undefined)).toEqual({ allow: true });
    expect(decide({ kind: 'signed' }, undefined, NO_ACCESS, undefined)).toEqual({ allow: true });
  });

  it('allows what the grants reach and names what is missing otherwise', () => {
    expect(decide({ kind: 'partner', need: 'read' }, ada, access, 'p1')).toEqual({ allow: true });
    expect(decide({ kind: 'partner', need: 'edit' }, ada, access, 'p1')).toMatchObject({ status: 403, message: 'ada has no partner.editor grant for partner p1 (it may only read it).' });
    expect(decide({ kind: 'partner', need: 'read' }, ada, access, 'p2')).toMatchObject({ status: 403, message: 'ada has no partner.reader grant for partner p2.' });
    expect(decide({ kind: 'operator' }, ada, access, undefined)).toMatchObject({ status: 403, message: expect.stringMatching(/not an operator/) });
    expect(decide({ kind: 'caller' }, ada, access, undefined)).toEqual({ allow: true });
    expect(decide(undefined, ada, access, undefined)).toMatchObject({ allow: false, status: 403 });
  });
});

describe('the audit routes\' query', () => {
  it('refuses a continuation token Cosmos DB could not carry in its header (the fuzzer found a 500)', () => {
    expect(auditQuerySchema.safeParse({ continuationToken: '\u61d1\uc333' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ continuationToken: 'cp_wvys\u00ff' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ continuationToken: '{"token":"+RID:~abc","range":{}}', limit: '20' }).success).toBe(true);
  });
});
