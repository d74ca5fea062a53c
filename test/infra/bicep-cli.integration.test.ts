/**
 * The Bicep check itself: the pinned official CLI compiles and lints infra/ with no warning, the
 * check fails on a real error and on a mere warning, and the CLI can be restored from NuGet into an
 * empty folder (what a clean CI machine does).
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BICEP_TIMEOUT_MS, bicep, infraDir, pinnedVersion, repoRoot, script } from './bicep';

const checkScript = path.join(repoRoot, 'tools', 'bicep', 'check.sh');
const scratch: string[] = [];

/** A throwaway infra folder under the git-ignored .bicep/, with the project's lint configuration. */
function infraWith(files: Record<string, string>): string {
  mkdirSync(path.join(repoRoot, '.bicep'), { recursive: true });
  const dir = mkdtempSync(path.join(repoRoot, '.bicep', 'scratch-'));
  scratch.push(dir);
  cpSync(path.join(infraDir, 'bicepconfig.json'), path.join(dir, 'bicepconfig.json'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

beforeAll(async () => {
  // Restores the CLI on a clean machine; later calls find it in place.
  const r = await bicep(['--version']);
  expect(r.code, r.stderr).toBe(0);
}, BICEP_TIMEOUT_MS);

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('tools/bicep/bicep.sh', () => {
  it('runs the official Bicep CLI at the version pinned in BicepCli.csproj', async () => {
    const r = await bicep(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Bicep CLI version ${pinnedVersion().replace(/\./g, '\\.')} \\(`));
    expect(r.stderr, 'a restored CLI is reused, not restored again').not.toContain('restoring');
  });

  it('prefers a bicep already on PATH', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'fake-bicep-'));
    scratch.push(bin);
    writeFileSync(path.join(bin, 'bicep'), '#!/bin/sh\necho "fake bicep $*"\n');
    chmodSync(path.join(bin, 'bicep'), 0o755);
    const r = await bicep(['--version'], { BICEP_SOURCE: 'auto', PATH: `${bin}:${process.env.PATH ?? ''}` });
    expect(r.stdout.trim()).toBe('fake bicep --version');
  });

  it(
    'restores the CLI from NuGet into an empty folder',
    async () => {
      const store = mkdtempSync(path.join(os.tmpdir(), 'bicep-store-'));
      scratch.push(store);
      const started = Date.now();
      const r = await bicep(['--version'], { BICEP_STORE: store });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`restoring Azure.Bicep.CommandLine.linux-x64 ${pinnedVersion()}`);
      expect(r.stdout).toContain(`Bicep CLI version ${pinnedVersion()}`);
      console.log(`cold restore of Bicep ${pinnedVersion()}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
    BICEP_TIMEOUT_MS,
  );
});

describe('tools/bicep/check.sh', () => {
  it(
    'compiles and lints infra/ and every environment parameter file with no error and no warning',
    async () => {
      const r = await script(checkScript, []);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain(`Bicep CLI version ${pinnedVersion()}`);
      expect(r.stdout).toMatch(/ok {3}build main\.bicep/);
      expect(r.stdout).toMatch(/ok {3}lint main\.bicep and every module/);
      expect(r.stdout).toMatch(/ok {3}build-params env\/dev\.bicepparam env\/prod\.bicepparam env\/test\.bicepparam/);
      expect(r.stdout).toMatch(/ok {3}lint env\/dev\.bicepparam env\/prod\.bicepparam env\/test\.bicepparam/);
      expect(r.stdout).toContain('no errors, no warnings');
    },
    BICEP_TIMEOUT_MS,
  );

  it(
    'passes a clean template (so the failures below come from what they plant)',
    async () => {
      const dir = infraWith({
        'main.bicep': "param location string\n\nresource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {\n  name: 'id-scratch'\n  location: location\n}\n\noutput id string = id.id\n",
      });
      const r = await script(checkScript, [dir]);
      expect(r.code, r.stdout).toBe(0);
    },
    BICEP_TIMEOUT_MS,
  );

  it(
    'fails on a compile error and prints it',
    async () => {
      const dir = infraWith({
        'main.bicep': "param location string\n\nresource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {\n  name: 'id-scratch'\n  location: location\n  properties: { notAProperty: 42 }\n}\n\noutput count int = 'not a number'\n",
      });
      const r = await script(checkScript, [dir]);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toContain('FAIL build main.bicep');
      expect(r.stdout).toMatch(/main\.bicep\(\d+,\d+\) : Error BCP\d+/);
    },
    BICEP_TIMEOUT_MS,
  );

  it(
    'fails on a lint warning alone',
    async () => {
      const dir = infraWith({
        'main.bicep': "param location string\nparam unused string = 'x'\n\nresource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {\n  name: 'id-scratch'\n  location: location\n}\n",
      });
      const r = await script(checkScript, [dir]);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toMatch(/no-unused-params/);
    },
    BICEP_TIMEOUT_MS,
  );

  it(
    'fails on a parameter file that does not match main.bicep',
    async () => {
      const dir = infraWith({
        'main.bicep': "@allowed(['a', 'b'])\nparam mode string\n\noutput mode string = mode\n",
        'env/bad.bicepparam': "using '../main.bicep'\n\nparam mode = 'c'\n",
      });
      const r = await script(checkScript, [dir]);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toContain('FAIL build-params env/bad.bicepparam');
      expect(r.stdout).toMatch(/bad\.bicepparam\(\d+,\d+\) : Error BCP\d+/);
    },
    BICEP_TIMEOUT_MS,
  );
});
