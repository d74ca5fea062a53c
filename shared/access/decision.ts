import { allows, type Access } from './grants';
import type { Principal } from './principal';
import type { RouteAccess } from './route-access';

/** What the access check says about one request before the route reads anything. */
export type Decision = { allow: true } | { allow: false; status: 401 | 403; error: 'Unauthorized' | 'Forbidden'; message: string };

const SIGN_IN =
  'This route needs a signed-in caller: in Azure, an Entra ID token for the app registration (App Service Authentication); locally, ' +
  'the local function key (x-functions-key, printed at start-up) or LOCAL_PRINCIPAL.';

/**
 * Decides a request from the route's rule, the caller and what its grants give. A partner route names the partner
 * in its path; the refusal is the same whether or not that partner exists, so it tells nothing about other partners.
 */
export function decide(rule: RouteAccess | undefined, caller: Principal | undefined, access: Access, partnerId: string | undefined): Decision {
  if (!rule) return { allow: false, status: 403, error: 'Forbidden', message: 'This route has no access rule, so nobody may call it.' };
  if (rule.kind === 'public' || rule.kind === 'signed') return { allow: true };
  if (!caller) return { allow: false, status: 401, error: 'Unauthorized', message: SIGN_IN };
  if (rule.kind === 'caller') return { allow: true };
  if (rule.kind === 'operator') {
    return allows(access, 'operate')
      ? { allow: true }
      : { allow: false, status: 403, error: 'Forbidden', message: `${caller.name} is not an operator: this route needs the operator role (an app role assignment or an operator grant).` };
  }
  const role = rule.need === 'read' ? 'partner.reader' : 'partner.editor';
  if (partnerId !== undefined && allows(access, rule.need, partnerId)) return { allow: true };
  return {
    allow: false,
    status: 403,
    error: 'Forbidden',
    message: `${caller.name} has no ${role} grant for partner ${partnerId ?? '(none named)'}${rule.need === 'edit' && partnerId !== undefined && access.read.has(partnerId) ? ' (it may only read it)' : ''}.`,
  };
}
