import { describe, expect, it } from 'vitest';
import { LocalPrincipalError, parseLocalPrincipal, platformAuthenticationOn, principalFromEasyAuth } from '../../shared/access/principal';

const header = (claims: { typ: string; val: string }[], extra: Record<string, string> = {}) => Buffer.from(JSON.stringify({ auth_typ: 'aad', name_typ: 'name', role_typ: 'roles', ...extra, claims })).toString('base64');
const OID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

describe('the caller behind Easy Auth', () => {
  it('is believed only when the platform says authentication is on', () => {
    expect(platformAuthenticationOn({ WEBSITE_AUTH_ENABLED: 'True' })).toBe(true);
    expect(platformAuthenticationOn({ WEBSITE_AUTH_ENABLED: 'False' })).toBe(false);
    expect(platformAuthenticationOn({})).toBe(false);
  });

  it('reads a signed-in user: object id, name, app roles and groups', () => {
    const p = principalFromEasyAuth(header([
      { typ: OID, val: 'a1b2' },
      { typ: 'name', val: 'Ada Lovelace' },
      { typ: 'scp', val: 'user_impersonation' },
      { typ: 'roles', val: 'partner.reader:demo-contoso' },
      { typ: 'roles', val: 'partner.reader:demo-contoso' },
      { typ: 'groups', val: 'g-1' },
    ]));
    expect(p).toEqual({ kind: 'user', id: 'a1b2', name: 'Ada Lovelace', roles: ['partner.reader:demo-contoso'], groups: ['g-1'], via: 'easy-auth' });
  });

  it('reads a machine caller with an app-only token', () => {
    const p = principalFromEasyAuth(header([{ typ: 'oid', val: 'sp-9' }, { typ: 'idtyp', val: 'app' }, { typ: 'azp', val: 'client-9' }, { typ: 'roles', val: 'operator' }]));
    expect(p).toMatchObject({ kind: 'app', id: 'sp-9', name: 'client-9', roles: ['operator'] });
  });

  it('ignores a malformed header or one without an object id', () => {
    for (const bad of [undefined, '', 'not base64 json', Buffer.from('{"claims":"x"}').toString('base64'), header([{ typ: 'name', val: 'no oid' }])]) expect(principalFromEasyAuth(bad)).toBeUndefined();
  });
});

describe('LOCAL_PRINCIPAL', () => {
  it('parses a name with roles and groups, and nothing when unset', () => {
    expect(parseLocalPrincipal('user@example.com roles=partner.reader:demo-contoso,partner.editor:demo-fabrikam groups=g1')).toEqual({
      kind: 'user', id: 'local:user@example.com', name: 'user@example.com', roles: ['partner.reader:demo-contoso', 'partner.editor:demo-fabrikam'], groups: ['g1'], via: 'local-principal',
    });
    expect(parseLocalPrincipal('crm kind=app id=sp-1 roles=operator')).toMatchObject({ kind: 'app', id: 'sp-1', roles: ['operator'] });
    expect(parseLocalPrincipal(undefined)).toBeUndefined();
    expect(parseLocalPrincipal('  ')).toBeUndefined();
  });

  it('refuses what it does not understand, naming it', () => {
    expect(() => parseLocalPrincipal('ada role=operator')).toThrow(LocalPrincipalError);
    expect(() => parseLocalPrincipal('ada role=operator')).toThrow(/"role=operator" is not one of/);
    expect(() => parseLocalPrincipal('ada kind=robot')).toThrow(/kind must be user or app/);
  });
});
