import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSettings, type Settings } from '../../shared/config/settings';
import { createDatabaseAndContainers } from '../../shared/store/cosmos';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Resolves with the first match of `pattern` in a child's output; rejects when it exits or times out first. */
export function waitFor(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<RegExpExecArray> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), timeoutMs);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${out}`)));
  });
}

/** Peak resident set of a child process (Linux), in MiB. */
export function childPeakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Stops child processes, last started first, and waits for each to exit. */
export async function stopChildren(children: ChildProcess[]): Promise<void> {
  for (const c of [...children].reverse()) {
    c.stdin?.end();
    c.kill('SIGTERM');
    await new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)));
  }
}

/**
 * The Cosmos emulator in a child process of its own (as `npm start` runs it beside the host, so the benchmark's own
 * work does not share its event loop), with database `pcs` and the app's containers; the child is added to
 * `children` for stopChildren.
 */
export async function startCosmosChild(children: ChildProcess[], storageConnectionString: string, timeoutMs?: number): Promise<{ endpoint: string; settings: Settings; cosmos: ChildProcess }> {
  const emulators = JSON.stringify(path.join(ROOT, 'dist', 'tools', 'emulators'));
  const cosmos = spawn(process.execPath, ['-e', `require(${emulators}).startCosmosEmulator(0).then((e) => console.log('COSMOS ' + e.endpoint)); process.stdin.resume(); process.stdin.on('close', () => process.exit(0));`], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(cosmos);
  const endpoint = (await waitFor(cosmos, /COSMOS (\S+)/, 'the Cosmos emulator', timeoutMs))[1]!;
  const settings = parseSettings({ COSMOS_ENDPOINT: endpoint, COSMOS_KEY: 'bench', COSMOS_DATABASE: 'pcs', AzureWebJobsStorage: storageConnectionString });
  await createDatabaseAndContainers(settings);
  return { endpoint, settings, cosmos };
}
