import { describe, expect, it } from 'vitest';
import { accessOf, allows, grantInputSchema, grantsOfRoleValue, readablePartners, type Grant, type PartnerGroup } from '../../shared/access/grants';
import type { Principal } from '../../shared/access/principal';

const user = (over: Partial<Principal> = {}): Principal => ({ kind: 'user', id: 'u1', name: 'Ada', roles: [], groups: [], via: 'easy-auth', ...over });
const groups: PartnerGroup[] = [{ id: 'distributor-north', partnerIds: ['p-1', 'p-2'] }];

describe('access from grants', () => {
  it('gives nothing without a grant', () => {
    const a = accessOf(user(), [], groups);
    expect(allows(a, 'read', 'p-1')).toBe(false);
    expect(allows(a, 'operate')).toBe(false);
  });

  it('resolves grants to a user, an Entra group and an app role, over partners and partner groups', () => {
    const grants: Grant[] = [
      { id: 'g1', subject: { kind: 'user', id: 'u1' }, role: 'partner.reader', partners: ['p-9'] },
      { id: 'g2', subject: { kind: 'group', id: 'entra-staff' }, role: 'partner.editor', partnerGroups: ['distributor-north'] },
      { id: 'g3', subject: { kind: 'app-role', id: 'Consultant' }, role: 'partner.reader', partners: ['p-7'] },
      { id: 'g4', subject: { kind: 'user', id: 'someone-else' }, role: 'operator' },
    ];
    const a = accessOf(user({ groups: ['entra-staff'], roles: ['Consultant'] }), grants, groups);
    expect([...a.read].sort()).toEqual(['p-1', 'p-2', 'p-7', 'p-9']);
    expect([...a.edit].sort()).toEqual(['p-1', 'p-2']);
    expect(allows(a, 'edit', 'p-9')).toBe(false);
    expect(allows(a, 'operate')).toBe(false);
    expect(readablePartners(a, ['p-1', 'p-3', 'p-9'])).toEqual(['p-1', 'p-9']);
  });

  it('a user grant never applies to an app with the same object id, nor the other way round', () => {
    const grants: Grant[] = [{ id: 'g1', subject: { kind: 'user', id: 'x' }, role: 'operator' }];
    expect(accessOf(user({ kind: 'app', id: 'x' }), grants, groups).operator).toBe(false);
    expect(accessOf(user({ id: 'x' }), grants, groups).operator).toBe(true);
  });

  it('reads grants carried by app role values themselves', () => {
    expect(grantsOfRoleValue('operator')).toMatchObject([{ role: 'operator' }]);
    expect(grantsOfRoleValue('partner.reader:demo-contoso')).toMatchObject([{ role: 'partner.reader', partners: ['demo-contoso'] }]);
    expect(grantsOfRoleValue('partner.editor:group:distributor-north')).toMatchObject([{ role: 'partner.editor', partnerGroups: ['distributor-north'] }]);
    for (const v of ['Consultant', 'partner.owner:p-1', 'partner.reader:', 'partner.reader:a/b', 'partner.editor:group:Bad Id']) expect(grantsOfRoleValue(v)).toEqual([]);
    const a = accessOf(user({ roles: ['partner.editor:group:distributor-north', 'operator'] }), [], groups);
    expect(a.operator).toBe(true);
  });

  it('validates grants as the API takes them', () => {
    expect(grantInputSchema.safeParse({ subject: { kind: 'group', id: 'g' }, role: 'partner.reader' }).error?.issues[0]).toMatchObject({ path: ['partners'], message: expect.stringMatching(/at least one partner/) });
    expect(grantInputSchema.safeParse({ subject: { kind: 'user', id: 'u' }, role: 'operator', partners: ['p-1'] }).error?.issues[0]).toMatchObject({ path: ['role'] });
    expect(grantInputSchema.safeParse({ subject: { kind: 'user', id: 'u' }, role: 'partner.reader', partners: ['a?b'] }).success).toBe(false);
    expect(grantInputSchema.safeParse({ subject: { kind: 'user', id: 'u' }, role: 'partner.reader', partners: ['p-1'], extra: 1 }).success).toBe(false);
    expect(grantInputSchema.safeParse({ subject: { kind: 'user', id: 'u' }, role: 'partner.editor', partnerGroups: ['distributor-north'] }).success).toBe(true);
  });
});
