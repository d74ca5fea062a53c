/**
 * docs/security.md's route-by-route table says who may call each HTTP function: it must say what
 * shared/access/route-access.ts enforces, for every function and method, on the route the function registers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeAccessRows, type RouteAccess } from '../../shared/access/route-access';
import { registeredHttpRoutes, routePrefix } from '../helpers/http-routes';

const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'security.md'), 'utf8');

interface Row {
  method: string;
  path: string;
  fn: string;
  who: string;
  azure: string;
}

/** The table between the route-access markers; throws on a row it cannot read. */
function tableRows(): Row[] {
  const m = /<!-- route-access:begin -->\n([\s\S]*?)<!-- route-access:end -->/.exec(doc);
  if (!m) throw new Error('docs/security.md: no <!-- route-access:begin --> ... <!-- route-access:end --> table');
  return m[1]!
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      const route = /^`([A-Z]+) (\S+)`$/.exec(cells[0] ?? '');
      const fn = /^`([^`]+)`$/.exec(cells[1] ?? '');
      const who = /^`([^`]+)`$/.exec(cells[2] ?? '');
      if (cells.length !== 5 || !route || !fn || !who) throw new Error(`docs/security.md: unreadable route row: ${line}`);
      return { method: route[1]!, path: route[2]!, fn: fn[1]!, who: who[1]!, azure: cells[3]! };
    });
}

const WHO: Record<string, RouteAccess> = {
  public: { kind: 'public' },
  signed: { kind: 'signed' },
  'signed-in': { kind: 'caller' },
  'partner.reader': { kind: 'partner', need: 'read' },
  'partner.editor': { kind: 'partner', need: 'edit' },
  operator: { kind: 'operator' },
};
const whoOf = (rule: RouteAccess): string => Object.entries(WHO).find(([, r]) => r.kind === rule.kind && (r.kind !== 'partner' || (rule.kind === 'partner' && r.need === rule.need)))![0];

describe('docs/security.md route table', () => {
  it('lists every function and method of the route access table, with the rule it enforces', () => {
    const rows = tableRows();
    const routes = new Map(registeredHttpRoutes().map((r) => [r.name, r.route]));
    const expected = routeAccessRows().map(({ functionName: fn, method, rule }) => `| \`${method} /${routePrefix()}/${routes.get(fn) ?? '?'}\` | \`${fn}\` | \`${whoOf(rule)}\` |`);
    const listed = rows.map((r) => `| \`${r.method} ${r.path}\` | \`${r.fn}\` | \`${r.who}\` |`);
    // Both directions, printed as the rows to add or fix.
    expect(expected.filter((e) => !listed.includes(e)), 'rows missing or different in docs/security.md').toEqual([]);
    expect(listed.filter((l) => !expected.includes(l)), 'rows in docs/security.md that the route access table does not have').toEqual([]);
    expect(new Set(listed).size, 'no row twice').toBe(listed.length);
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it('says the caller needs no token only where Easy Auth excludes the route', () => {
    const open = tableRows().filter((r) => /excluded from sign-in/.test(r.azure));
    expect(open.map((r) => r.fn).sort()).toEqual(['health', 'partnerCenterEvents', 'webhooksReceive']);
    for (const r of tableRows()) if (WHO[r.who]!.kind === 'partner' || r.who === 'operator' || r.who === 'signed-in') expect(r.azure, r.fn).toMatch(/Entra token/);
  });
});
