/**
 * Runs the official Bicep CLI through tools/bicep/bicep.sh (PATH, az, or the NuGet package restored
 * into .bicep/ on first use), the same way `npm run bicep` and the check script do.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/** Compiles a .bicepparam file; returns the template it uses and its parameter values. */
export async function buildParams(
  file: string,
  env: Record<string, string | undefined> = {},
): Promise<{ template: unknown; parameters: Record<string, unknown> }> {
  const r = await bicep(['build-params', file, '--stdout'], env);
  const diags = diagnostics(r);
  if (r.code !== 0 || diags.length > 0) throw new Error(`bicep build-params ${file} failed:\n${r.stderr || diags.join('\n')}`);
  const out = JSON.parse(r.stdout) as { parametersJson: string; templateJson: string };
  const params = JSON.parse(out.parametersJson) as { parameters: Record<string, { value: unknown }> };
  return {
    template: JSON.parse(out.templateJson),
    parameters: Object.fromEntries(Object.entries(params.parameters).map(([k, v]) => [k, v.value])),
  };
}

/** The Bicep CLI version pinned in tools/bicep/BicepCli.csproj. */
export function pinnedVersion(): string {
  const csproj = readFileSync(path.join(repoRoot, 'tools', 'bicep', 'BicepCli.csproj'), 'utf8');
  const m = /Include="Azure\.Bicep\.CommandLine\.linux-x64" Version="\[([^\]]+)\]"/.exec(csproj);
  if (!m?.[1]) throw new Error('no pinned Bicep version in BicepCli.csproj');
  return m[1];
}
