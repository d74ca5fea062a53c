import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { emulatorEnv } from './emulators';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(REPO_ROOT, 'dist', 'tools', 'devhost', 'main.js');

export interface HostProcess {
  url: string;
  /** The host keys it printed at start-up. */
  keys: { functionKey: string; masterKey: string };
  /** Headers that carry the master key, for /admin/* (as Core Tools' admin API needs). */
  adminHeaders: Record<string, string>;
  child: ChildProcess;
  output(): string;
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the local host (compiled, as `npm start` runs it) as a child process on a free port.
 * By default it shares the test run's emulators; pass `embedded: true` to let it start its own, in memory unless
 * `env` names a LOCAL_DATA_DIR (tests never write into the project's data folder).
 */
export async function startHostProcess(opts: { appDir?: string; env?: Record<string, string>; embedded?: boolean; timeoutMs?: number; args?: string[] } = {}): Promise<HostProcess> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LOCAL_HTTP_PORT: '0',
    LOCAL_HOST_LOG_LEVEL: 'information',
    // Requests without a key are this operator, as a signed-in operator behind Easy Auth would be; tests of access
    // control set their own.
    LOCAL_PRINCIPAL: 'test-operator roles=operator',
    // Keys and data stay in memory unless a test names a folder: tests never write into the project.
    LOCAL_DATA_DIR: 'none',
    ...(opts.embedded
      ? { LOCAL_COSMOS_PORT: '0', LOCAL_AZURITE_PORT: '0', LOCAL_DATA_DIR: 'none' }
      : {
          ...emulatorEnv(),
          COSMOS_CREATE_CONTAINERS: 'true',
        }),
    ...(opts.env ?? {}),
  };
  if (opts.embedded) {
    delete env.COSMOS_ENDPOINT;
    delete env.AzureWebJobsStorage;
  }
  const args = [MAIN];
  if (opts.appDir) args.push('--app-dir', opts.appDir);
  args.push(...(opts.args ?? []));
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start within ${opts.timeoutMs ?? 60000} ms:\n${out}`)), opts.timeoutMs ?? 60_000);
    const check = () => {
      const m = /Ready in [\d.]+ s: (http:\/\/[^/\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with code ${code} before it was ready:\n${out}`));
    });
  });
  const functionKey = /Function key: (\S+)/.exec(out)?.[1] ?? '';
  const masterKey = /Master key:\s+(\S+)/.exec(out)?.[1] ?? '';
  return {
    url,
    keys: { functionKey, masterKey },
    adminHeaders: { 'x-functions-key': masterKey, 'content-type': 'application/json' },
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls until `fn` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
