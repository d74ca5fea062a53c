import { describe, expect, it } from 'vitest';
import { dashboardLine } from '../../tools/devhost/summary';
import { parseLocalPrincipal } from '../../shared/access/principal';

const keys = { masterKey: 'm'.repeat(43), functionKey: 'f'.repeat(43), file: undefined, created: true };

describe("the start-up summary's dashboard link", () => {
  it('carries the function key in the fragment (never sent to the server) when no LOCAL_PRINCIPAL signs the page in', () => {
    expect(dashboardLine('http://localhost:7071/api/dashboard', keys, undefined)).toBe(`Dashboard: http://localhost:7071/api/dashboard#key=${keys.functionKey}  (the link signs the page in with the function key, as the operator)`);
  });

  it('carries no key when LOCAL_PRINCIPAL is the caller, so the page sees what that caller sees', () => {
    expect(dashboardLine('http://localhost:7071/api/dashboard', keys, parseLocalPrincipal('ada@example.com roles=partner.reader:demo-contoso'))).toBe('Dashboard: http://localhost:7071/api/dashboard  (as ada@example.com, LOCAL_PRINCIPAL)');
  });
});
