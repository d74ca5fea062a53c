import { describe, expect, it } from 'vitest';
import { compileRoute, matchRoute, sortRoutes } from '../../tools/devhost/routes';
import { timeSpanToMs } from '../../tools/devhost/host-config';

const seg = (p: string) => p.split('/').filter(Boolean);

describe('route templates', () => {
  it('matches parameters, optional parameters and catch-alls', () => {
    expect(matchRoute(compileRoute('partners/{partnerId}/scores/{area?}', 1), seg('partners/p1/scores'))).toEqual({ partnerId: 'p1' });
    expect(matchRoute(compileRoute('partners/{partnerId}/scores/{area?}', 1), seg('partners/p1/scores/security'))).toEqual({ partnerId: 'p1', area: 'security' });
    expect(matchRoute(compileRoute('files/{*path}', 1), seg('files/a/b/c'))).toEqual({ path: 'a/b/c' });
    expect(matchRoute(compileRoute('partners/{partnerId}', 1), seg('partners/p1/extra'))).toBeUndefined();
  });

  it('matches literals case-insensitively and honours constraints', () => {
    expect(matchRoute(compileRoute('Runs/{id:int}', 1), seg('runs/12'))).toEqual({ id: '12' });
    expect(matchRoute(compileRoute('runs/{id:int}', 1), seg('runs/x'))).toBeUndefined();
  });

  it('orders the most specific route first whatever the registration order', () => {
    const routes = sortRoutes([compileRoute('runs/{id}', 'param'), compileRoute('{*all}', 'catch'), compileRoute('runs/latest', 'literal')]);
    expect(routes.map((r) => r.target)).toEqual(['literal', 'param', 'catch']);
  });

  it('rejects a malformed template', () => {
    expect(() => compileRoute('a/{b', 1)).toThrow(/Unsupported route segment/);
  });
});

describe('TimeSpan settings of host.json', () => {
  it('parses hh:mm:ss and d.hh:mm:ss', () => {
    expect(timeSpanToMs('00:00:05')).toBe(5000);
    expect(timeSpanToMs('01:00:00')).toBe(3_600_000);
    expect(timeSpanToMs('1.00:00:00')).toBe(86_400_000);
    expect(() => timeSpanToMs('5s')).toThrow(/not a TimeSpan/);
  });
});
