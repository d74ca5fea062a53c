/**
 * The azd postprovision hook (infra/hooks/postprovision.sh), run for real by bash with a stand-in `az` on PATH
 * that answers like the Azure CLI and records every call: there is no Azure here, and what matters is which
 * calls the hook makes (create only what is missing, never overwrite, refresh the references once).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const HOOK = path.join(ROOT, 'infra', 'hooks', 'postprovision.sh');

// Records its arguments one call per line; `secret list` prints EXISTING_SECRETS (or fails when LIST_FAILS=1);
// `secret set --file f` records the file's content, which the hook deletes right after.
const FAKE_AZ = `#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$AZ_LOG"
case "$1 $2 $3" in
  "keyvault secret list") [[ "\${LIST_FAILS:-}" == 1 ]] && { echo "Forbidden" >&2; exit 1; }; printf '%s\\n' \${EXISTING_SECRETS:-} ;;
  "keyvault secret set") while [[ $# -gt 0 ]]; do [[ "$1" == --file ]] && { cat "$2" >> "$AZ_VALUES"; echo >> "$AZ_VALUES"; }; shift; done ;;
  "functionapp show -"*|"functionapp show --resource-group") echo "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app" ;;
esac
`;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runHook(env: Record<string, string>) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'postprovision-'));
  writeFileSync(path.join(dir, 'az'), FAKE_AZ);
  chmodSync(path.join(dir, 'az'), 0o755);
  const log = path.join(dir, 'calls.log');
  const values = path.join(dir, 'values.txt');
  const r = spawnSync('bash', [HOOK], {
    encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH}`, AZ_LOG: log, AZ_VALUES: values, ...env },
  });
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
  return { code: r.status, out: r.stdout + r.stderr, calls: read(log), values: read(values) };
}

const AZD_ENV = { AZURE_KEY_VAULT_NAME: 'kv-abc', AZURE_RESOURCE_GROUP: 'rg-dev', AZURE_FUNCTION_APP_NAME: 'func-api-abc' };

describe('postprovision hook', () => {
  it('creates only the missing webhook secrets, each a fresh whsec_ secret of 32 bytes, then refreshes the references once', () => {
    const r = runHook({ ...AZD_ENV, WEBHOOK_SOURCES: 'crm,hr-system, partner-center', EXISTING_SECRETS: 'webhook-secret-crm notification-secret' });
    expect(r.code, r.out).toBe(0);
    const sets = r.calls.filter((c) => c.startsWith('keyvault secret set'));
    expect(sets.map((c) => /--name (\S+)/.exec(c)![1])).toEqual(['webhook-secret-hr-system', 'webhook-secret-partner-center']);
    for (const c of sets) expect(c).toContain('--vault-name kv-abc');
    // The value never appears on a command line; it is a valid, distinct secret.
    for (const c of r.calls) expect(c).not.toMatch(/whsec_/);
    expect(r.values).toHaveLength(2);
    for (const v of r.values) {
      expect(v).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(v.slice('whsec_'.length), 'base64')).toHaveLength(32);
    }
    expect(new Set(r.values).size).toBe(2);
    expect(r.calls.filter((c) => c.startsWith('rest --method post'))).toEqual([
      'rest --method post --url https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/config/configreferences/appsettings/refresh?api-version=2022-03-01 --output none',
    ]);
    expect(r.out).toContain('webhook-secret-crm exists; left as it is.');
    expect(r.out).not.toMatch(/whsec_/);
  });

  it('changes nothing when every secret exists', () => {
    const r = runHook({ ...AZD_ENV, WEBHOOK_SOURCES: 'crm', EXISTING_SECRETS: 'webhook-secret-crm' });
    expect(r.code, r.out).toBe(0);
    expect(r.calls).toEqual(["keyvault secret list --vault-name kv-abc --query [].name --output tsv"]);
    expect(r.out).toContain('0 secret(s) created.');
  });

  it('does nothing, not even call az, without webhook sources', () => {
    const r = runHook({ ...AZD_ENV, WEBHOOK_SOURCES: '' });
    expect(r.code, r.out).toBe(0);
    expect(r.calls).toEqual([]);
  });

  it('stops with what to do when the vault cannot be read or is not named', () => {
    const denied = runHook({ ...AZD_ENV, WEBHOOK_SOURCES: 'crm', LIST_FAILS: '1' });
    expect(denied.code).not.toBe(0);
    expect(denied.out).toMatch(/Key Vault Secrets Officer/);
    expect(denied.calls.some((c) => c.startsWith('keyvault secret set'))).toBe(false);
    const unnamed = runHook({ WEBHOOK_SOURCES: 'crm' });
    expect(unnamed.code).not.toBe(0);
    expect(unnamed.out).toMatch(/AZURE_KEY_VAULT_NAME is not set/);
  });

  it('is wired in azure.yaml for both shells, beside the staged package azd deploys', () => {
    const yaml = readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8');
    expect(yaml).toMatch(/^hooks:\n(?:\s+#.*\n)?\s+postprovision:\n\s+posix:\n\s+shell: sh\n\s+run: \.\/infra\/hooks\/postprovision\.sh\n\s+windows:\n\s+shell: pwsh\n\s+run: \.\/infra\/hooks\/postprovision\.ps1$/m);
    expect(existsSync(path.join(ROOT, 'infra', 'hooks', 'postprovision.ps1'))).toBe(true);
    expect(yaml).toMatch(/^\s+dist: \.package$/m);
    expect(yaml).toMatch(/prepackage:\n\s+posix:\n\s+shell: sh\n\s+run: npm run package\n/);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.package).toContain('tools/package/stage.js');
  });
});
