import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

export interface HttpRoute {
  /** Function name, the key of ROUTE_ACCESS. */
  name: string;
  /** Route template without the prefix, e.g. `partners/{partnerId}/scores`. */
  route: string;
  methods: string[];
}

/**
 * Every app.http registration in functions/*.ts, read from the source so that no host has to run. Throws when a
 * call is not in the form it can read (name first, literal route and methods on the same line), so that a route
 * cannot be skipped unnoticed.
 */
export function registeredHttpRoutes(): HttpRoute[] {
  const dir = path.join(repoRoot, 'functions');
  const out: HttpRoute[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(path.join(dir, file), 'utf8');
    const calls = src.match(/app\.http\(/g)?.length ?? 0;
    const found = [...src.matchAll(/app\.http\(\s*'([^']+)',\s*\{([^\n]*)/g)].flatMap((m) => {
      const route = /route:\s*'([^']+)'/.exec(m[2]!)?.[1];
      const methods = /methods:\s*\[([^\]]+)\]/.exec(m[2]!)?.[1]?.match(/[A-Z]+/g);
      return route && methods ? [{ name: m[1]!, route, methods }] : [];
    });
    if (found.length !== calls) throw new Error(`${file}: read ${found.length} of ${calls} app.http calls (name, literal route and methods on one line)`);
    out.push(...found);
  }
  return out;
}

/** host.json's routePrefix, without slashes ('api'). */
export function routePrefix(): string {
  const host = JSON.parse(readFileSync(path.join(repoRoot, 'host.json'), 'utf8')) as { extensions?: { http?: { routePrefix?: string } } };
  return host.extensions?.http?.routePrefix ?? 'api';
}
