/**
 * Route templates as the Functions host (ASP.NET routing) reads them: `{name}`, `{name?}`,
 * `{name:constraint}` and `{*catchAll}`; literal segments match case-insensitively, and a more
 * specific route wins over a more general one whatever the registration order.
 */
type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string; optional: boolean; constraint?: string; catchAll: boolean };

export interface CompiledRoute<T> {
  template: string;
  segments: Segment[];
  target: T;
}

export function compileRoute<T>(template: string, target: T): CompiledRoute<T> {
  const parts = template.replace(/^\/+|\/+$/g, '').split('/').filter((p) => p.length > 0);
  const segments: Segment[] = parts.map((part) => {
    const m = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+(?:\([^)]*\))?))?(\?)?\}$/.exec(part);
    if (!m) {
      if (/[{}]/.test(part)) throw new Error(`Unsupported route segment "${part}" in "${template}".`);
      return { kind: 'literal', value: part.toLowerCase() };
    }
    return { kind: 'param', catchAll: !!m[1], name: m[2]!, constraint: m[3], optional: !!m[4] || !!m[1] };
  });
  return { template, segments, target };
}

function rank(s: Segment): number {
  if (s.kind === 'literal') return 0;
  if (s.catchAll) return 4;
  if (s.optional) return 3;
  return s.constraint ? 1 : 2;
}

/** Orders routes most specific first. */
export function sortRoutes<T>(routes: CompiledRoute<T>[]): CompiledRoute<T>[] {
  return [...routes].sort((a, b) => {
    const n = Math.max(a.segments.length, b.segments.length);
    for (let i = 0; i < n; i++) {
      const ra = a.segments[i] ? rank(a.segments[i]!) : -1;
      const rb = b.segments[i] ? rank(b.segments[i]!) : -1;
      if (ra !== rb) return ra - rb;
    }
    return b.segments.length - a.segments.length;
  });
}

function satisfies(constraint: string | undefined, value: string): boolean {
  if (!constraint) return true;
  if (constraint === 'int') return /^-?\d+$/.test(value);
  if (constraint === 'guid') return /^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$/i.test(value);
  if (constraint === 'alpha') return /^[a-z]+$/i.test(value);
  return true;
}

/** Matches a decoded path (without the route prefix) against a route; returns its parameters or undefined. */
export function matchRoute<T>(route: CompiledRoute<T>, pathSegments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let i = 0;
  for (const seg of route.segments) {
    if (seg.kind === 'literal') {
      if (pathSegments[i]?.toLowerCase() !== seg.value) return undefined;
      i++;
      continue;
    }
    if (seg.catchAll) {
      const rest = pathSegments.slice(i).join('/');
      if (rest) params[seg.name] = rest;
      i = pathSegments.length;
      continue;
    }
    const value = pathSegments[i];
    if (value === undefined) {
      if (seg.optional) continue;
      return undefined;
    }
    if (!satisfies(seg.constraint, value)) return undefined;
    params[seg.name] = value;
    i++;
  }
  return i === pathSegments.length ? params : undefined;
}
