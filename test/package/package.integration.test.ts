/**
 * The deployment package `npm run package` stages (tools/package/stage.ts) and azure.yaml deploys: only what runs,
 * production dependencies only, and every function file loads from it. Slow (an `npm ci` of the production
 * dependencies), so it stages once, outside the repository: inside it Node would find the repository's own
 * node_modules by walking up, and a missing production dependency would go unnoticed.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const LOADER = path.join(__dirname, 'load-functions.js');

/** Bytes of every file under `dir`, symbolic links not followed. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(p) : lstatSync(p).size;
  }
  return total;
}
const mb = (bytes: number) => Math.round(bytes / 1e6);

function loadFunctions(cwd: string, env: Record<string, string> = {}): { names: string[]; hooks: string[]; devDependencyFound: string[] } {
  // A bare environment: no NODE_PATH, nothing of this test process's settings.
  const out = execFileSync(process.execPath, [LOADER, ...Object.keys(pkg.devDependencies)], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  const result = out.split('\n').find((line) => line.startsWith('RESULT '));
  if (!result) throw new Error(`the loader printed no result:\n${out}`);
  return JSON.parse(result.slice('RESULT '.length)) as { names: string[]; hooks: string[]; devDependencyFound: string[] };
}

describe('the deployment package', () => {
  let staged: string;
  beforeAll(() => {
    staged = path.join(mkdtempSync(path.join(os.tmpdir(), 'pcs-package-')), 'package');
    execFileSync(process.execPath, [path.join(ROOT, 'dist', 'tools', 'package', 'stage.js'), '--out', staged], { stdio: 'ignore' });
  }, 300_000);
  afterAll(() => {
    if (staged) rmSync(path.dirname(staged), { recursive: true, force: true });
  });

  it('holds only the compiled app, host.json, package.json, the lockfile and node_modules', () => {
    expect(readdirSync(staged).sort()).toEqual(['dist', 'host.json', 'node_modules', 'package-lock.json', 'package.json']);
    expect(readdirSync(path.join(staged, 'dist')).sort()).toEqual(['functions', 'shared']);
    const maps = execFileSync('find', [path.join(staged, 'dist'), '-name', '*.map'], { encoding: 'utf8' }).trim();
    expect(maps).toBe('');
  });

  it('installs the production dependencies and none of the dev dependencies', () => {
    const installed = (name: string) => { try { return lstatSync(path.join(staged, 'node_modules', name, 'package.json')).isFile(); } catch { return false; } };
    for (const dep of Object.keys(pkg.dependencies)) expect(installed(dep), dep).toBe(true);
    for (const dev of Object.keys(pkg.devDependencies)) expect(installed(dev), dev).toBe(false);
  });

  it('is a fraction of the development node_modules it used to ship', () => {
    const stagedBytes = sizeOf(staged);
    const devBytes = sizeOf(path.join(ROOT, 'node_modules'));
    console.log(`deployment package: ${mb(stagedBytes)} MB staged vs ${mb(devBytes)} MB of node_modules with dev dependencies (ratio ${(stagedBytes / devBytes).toFixed(2)})`);
    expect(stagedBytes).toBeLessThan(200e6);
    expect(stagedBytes / devBytes).toBeLessThan(0.5);
  });

  it('loads every function file with only its production dependencies, registering what the repository build registers', () => {
    const fromPackage = loadFunctions(staged);
    const fromRepository = loadFunctions(ROOT);
    expect(fromPackage.names.length).toBeGreaterThan(40);
    expect(fromPackage.names.sort()).toEqual(fromRepository.names.sort());
    // The check has teeth: from the repository, dev dependencies resolve; from the package, none does.
    expect(fromRepository.devDependencyFound.length).toBeGreaterThan(0);
    expect(fromPackage.devDependencyFound).toEqual([]);
  });

  it('starts OpenTelemetry from the package when Application Insights is configured, and not otherwise', () => {
    // Nothing listens there: exporting fails quietly, loading must not.
    const appInsights = { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/' };
    const on = loadFunctions(staged, { ...appInsights, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD' });
    const off = loadFunctions(staged);
    // The Azure Functions instrumentation sends the worker's logs itself (a log hook) and binds each invocation's
    // trace context (a pre-invocation hook, beside the access check's own).
    expect(on.hooks.filter((h) => h === 'log')).toHaveLength(1);
    expect(on.hooks.filter((h) => h === 'preInvocation').length).toBe(off.hooks.filter((h) => h === 'preInvocation').length + 1);
    expect(off.hooks).not.toContain('log');
    expect(on.names.sort()).toEqual(off.names.sort());
  });
});
