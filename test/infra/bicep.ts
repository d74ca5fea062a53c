/**
 * Runs the official Bicep CLI through tools/bicep/bicep.sh (PATH, az, or the NuGet package restored
 * into .bicep/ on first use), the same way `npm run bicep` and the check script do.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = path.resolve(__dirname, '..', '..');
export const infraDir = path.join(repoRoot, 'infra');

/** A cold restore downloads ~50 MB from NuGet; give the first call room. */
export const BICEP_TIMEOUT_MS = 240_000;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function bicep(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return script(path.join(repoRoot, 'tools', 'bicep', 'bicep.sh'), args, env);
}

export async function script(file: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run('bash', [file, ...args], {
      cwd: repoRoot,
      // The pinned CLI from NuGet, whatever else the machine has: lint results differ between versions.
      env: { ...process.env, BICEP_SOURCE: 'nuget', ...env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: BICEP_TIMEOUT_MS,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** Diagnostics Bicep printed at warning or error level. */
export function diagnostics(r: CliResult): string[] {
  return `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => / : (Error|Warning) /.test(l));
}

/** Compiles a .bicep file to its ARM JSON; fails on any warning or error. */
export async function buildTemplate(file: string): Promise<unknown> {
  const r = await bicep(['build', file, '--stdout']);
  const diags = diagnostics(r);
  if (r.code !== 0 || diags.length > 0) throw new Error(`bicep build ${file} failed:\n${r.stderr || diags.join('\n')}`);
  return JSON.parse(r.stdout);
}

/**
 * Compiles every .bicepparam file in a folder in one CLI process; returns each file's parameter values
 * by base name (dev.bicepparam -> dev).
 */
export async function buildAllParams(
  dir: string,
  env: Record<string, string | undefined> = {},
): Promise<Record<string, Record<string, unknown>>> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'bicep-params-'));
  try {
    const r = await bicep(['build-params', '--pattern', path.join(dir, '*.bicepparam'), '--outdir', out], env);
    const diags = diagnostics(r);
    if (r.code !== 0 || diags.length > 0) throw new Error(`bicep build-params ${dir} failed:\n${r.stderr || diags.join('\n')}`);
    const result: Record<string, Record<string, unknown>> = {};
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.bicepparam'))) {
      const base = name.replace(/\.bicepparam$/, '');
      const file = JSON.parse(readFileSync(path.join(out, `${base}.json`), 'utf8')) as { parameters: Record<string, { value: unknown }> };
      result[base] = Object.fromEntries(Object.entries(file.parameters).map(([k, v]) => [k, v.value]));
    }
    return result;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The Bicep CLI version pinned in tools/bicep/BicepCli.csproj. */
export function pinnedVersion(): string {
  const csproj = readFileSync(path.join(repoRoot, 'tools', 'bicep', 'BicepCli.csproj'), 'utf8');
  const m = /Include="Azure\.Bicep\.CommandLine\.linux-x64" Version="\[([^\]]+)\]"/.exec(csproj);
  if (!m?.[1]) throw new Error('no pinned Bicep version in BicepCli.csproj');
  return m[1];
}
