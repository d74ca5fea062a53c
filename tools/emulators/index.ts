import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHttpServer } from '@vercel/cosmosdb-server';

/** The well-known Azurite development account. It is public and only ever valid against a local emulator. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningEmulator {
  close(): Promise<void>;
}

export interface CosmosEmulator extends RunningEmulator {
  endpoint: string;
}

/** Starts the embedded Cosmos DB emulator in this process, over plain HTTP with keep-alive. */
export async function startCosmosEmulator(port = 0, host = '127.0.0.1'): Promise<CosmosEmulator> {
  const server = createHttpServer({ keepAlive: true } as Parameters<typeof createHttpServer>[0]);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${actual}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Azurite runs in a child that exits as soon as its parent goes away (its stdin closes),
 * so a crashed or killed parent never leaves an orphaned Azurite behind.
 */
const AZURITE_CHILD = `
process.stdin.resume();
process.stdin.on('close', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
process.argv = [process.argv[0], 'azurite', ...JSON.parse(process.env.AZURITE_ARGS)];
require(process.env.AZURITE_MAIN);
`;

export interface AzuriteEmulator extends RunningEmulator {
  connectionString: string;
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  pid: number | undefined;
}

/** Starts Azurite in memory in a child process on the given ports (0 = any free port). */
export async function startAzurite(ports: { blob?: number; queue?: number; table?: number } = {}, host = '127.0.0.1'): Promise<AzuriteEmulator> {
  // Azurite in memory refuses --location, and would otherwise write its debug files into cwd: give it an empty one.
  const cwd = mkdtempSync(path.join(tmpdir(), 'azurite-'));
  const args = [
    '--inMemoryPersistence', '--silent', '--skipApiVersionCheck', '--disableTelemetry', '--loose',
    '--extentMemoryLimit', '256',
    '--blobHost', host, '--queueHost', host, '--tableHost', host,
    '--blobPort', String(ports.blob ?? 0), '--queuePort', String(ports.queue ?? 0), '--tablePort', String(ports.table ?? 0),
  ];
  const child: ChildProcess = spawn(process.execPath, ['-e', AZURITE_CHILD], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AZURITE_MAIN: require.resolve('azurite/dist/src/azurite.js'), AZURITE_ARGS: JSON.stringify(args) },
  });
  const found: Record<string, string> = {};
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within 20 s. Output:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const m of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/g)) {
        found[m[1]!.toLowerCase()] = m[2]!;
      }
      if (found.blob && found.queue && found.table) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code} before it was ready. Output:\n${output}`));
    });
  });
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  const blobEndpoint = `${found.blob}/${AZURITE_ACCOUNT}`;
  const queueEndpoint = `${found.queue}/${AZURITE_ACCOUNT}`;
  const tableEndpoint = `${found.table}/${AZURITE_ACCOUNT}`;
  return {
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    pid: child.pid,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`,
    close: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(cwd, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
