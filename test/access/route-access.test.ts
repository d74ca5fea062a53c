import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTE_ACCESS, routeAccess } from '../../shared/access/route-access';

/** Every HTTP function and method the app registers, read from functions/*.ts. */
function registeredRoutes(): { name: string; method: string }[] {
  const dir = path.join(__dirname, '..', '..', 'functions');
  const out: { name: string; method: string }[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const src = fs.readFileSync(path.join(dir, file), 'utf8');
    const calls = src.match(/app\.http\(/g)?.length ?? 0;
    const found = [...src.matchAll(/app\.http\('([^']+)',\s*\{[^\n]*?methods:\s*\[([^\]]+)\]/g)];
    expect(found.length, `${file}: every app.http call is read (name first, methods as a literal list)`).toBe(calls);
    for (const m of found) for (const method of m[2]!.match(/'([A-Z]+)'/g)!) out.push({ name: m[1]!, method: method.replace(/'/g, '') });
  }
  return out;
}

describe('the route access table', () => {
  it('has a rule for every HTTP function and method the app registers, and none for routes that do not exist', () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(29);
    expect(routes.filter((r) => !routeAccess(r.name, r.method)).map((r) => `${r.method} ${r.name}`)).toEqual([]);
    const registered = new Set(routes.map((r) => `${r.method} ${r.name}`));
    const stale = Object.entries(ROUTE_ACCESS).flatMap(([name, methods]) => Object.keys(methods).map((m) => `${m} ${name}`)).filter((k) => !registered.has(k));
    expect(stale).toEqual([]);
  });

  it('leaves only health, the API description and the signed webhook endpoint open', () => {
    const open = Object.entries(ROUTE_ACCESS).filter(([, methods]) => Object.values(methods).some((r) => r.kind === 'public' || r.kind === 'signed')).map(([n]) => n);
    expect(open.sort()).toEqual(['health', 'openapi', 'webhooks-receive']);
  });
});
