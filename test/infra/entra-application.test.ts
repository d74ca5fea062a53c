/**
 * infra/entra/application.json, the app registration's manifest that docs/security.md applies with Microsoft
 * Graph: its app roles mean what the app reads from a token's roles, and its tokens are the kind Easy Auth in
 * infra/ is configured to validate.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { grantsOfRoleValue } from '../../shared/access/grants';
import { infraDir } from './bicep';

/* eslint-disable @typescript-eslint/no-explicit-any */
const manifest = JSON.parse(readFileSync(path.join(infraDir, 'entra', 'application.json'), 'utf8')) as any;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the app registration manifest', () => {
  it('defines operator, which grants every partner, and access, which grants nothing by itself', () => {
    const roles = manifest.appRoles as { id: string; value: string; allowedMemberTypes: string[]; isEnabled: boolean }[];
    expect(roles.map((r) => r.value).sort()).toEqual(['access', 'operator']);
    expect(grantsOfRoleValue('operator')).toEqual([expect.objectContaining({ role: 'operator' })]);
    expect(grantsOfRoleValue('access')).toEqual([]);
    for (const r of roles) {
      expect(r.id).toMatch(GUID);
      expect(r.isEnabled).toBe(true);
      // People and groups sign in with them, machine callers get them as application permissions.
      expect([...r.allowedMemberTypes].sort()).toEqual(['Application', 'User']);
      // Entra's limits on a role value.
      expect(r.value.length).toBeLessThanOrEqual(120);
      expect(r.value).toMatch(/^[^.\s][^\s]*$/);
    }
  });

  it('has unique ids across roles and scopes, and a delegated scope for signed-in users', () => {
    const scopes = manifest.api.oauth2PermissionScopes as { id: string; value: string; type: string }[];
    expect(scopes.map((s) => s.value)).toEqual(['user_impersonation']);
    const ids = [...manifest.appRoles.map((r: any) => r.id), ...scopes.map((s) => s.id)];
    for (const id of ids) expect(id).toMatch(GUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('asks for v2 access tokens, whose issuer is the one Easy Auth validates, and only assigned groups in them', () => {
    expect(manifest.api.requestedAccessTokenVersion).toBe(2);
    const bicep = readFileSync(path.join(infraDir, 'modules', 'function-app.bicep'), 'utf8');
    expect(bicep).toMatch(/openIdIssuer: '\$\{environment\(\)\.authentication\.loginEndpoint\}\$\{authentication\.tenantId\}\/v2\.0'/);
    expect(manifest.groupMembershipClaims).toBe('ApplicationGroup');
  });

  it('role values with a partner or partner group carry the grant the app reads from them', () => {
    // The per-partner roles docs/security.md tells operators to add.
    expect(grantsOfRoleValue('partner.reader:contoso')).toEqual([expect.objectContaining({ role: 'partner.reader', partners: ['contoso'] })]);
    expect(grantsOfRoleValue('partner.editor:group:fabrikam-distribution')).toEqual([
      expect.objectContaining({ role: 'partner.editor', partnerGroups: ['fabrikam-distribution'] }),
    ]);
  });
});
