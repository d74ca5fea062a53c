import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { persistCosmos, type CosmosPersistence } from './cosmos-persistence';
import { createCosmosServer } from './cosmos-server';

/** The well-known Azurite development account. It is public and only ever valid against a local emulator. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningEmulator {
  close(): Promise<void>;
}

export interface CosmosEmulator extends RunningEmulator {
  endpoint: string;
  /** Set when the emulator keeps its data in a file. */
  persistence?: CosmosPersistence;
}

/**
 * Starts the embedded Cosmos DB emulator in this process, over plain HTTP with keep-alive. With `dataFile`, the data
 * saved there is restored before the first request is served, and changes are saved to it as they happen and on close.
 */
export async function startCosmosEmulator(port = 0, host = '127.0.0.1', opts: { dataFile?: string; saveIntervalMs?: number; onSaveError?: (e: Error) => void } = {}): Promise<CosmosEmulator> {
  const cosmos = createCosmosServer();
  const saver = opts.dataFile ? persistCosmos(cosmos, opts.dataFile, { intervalMs: opts.saveIntervalMs, onError: opts.onSaveError }) : undefined;
  const { server } = cosmos;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      // Synchronously in the listening callback: no connection is handled before the data is back.
      try {
        saver?.restore();
        resolve();
      } catch (e) {
        server.close();
        reject(e as Error);
      }
    });
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${actual}/`,
    ...(saver ? { persistence: saver.persistence } : {}),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await saver?.persistence.stop();
    },
  };
}

/**
 * Azurite runs in a child that exits as soon as its parent goes away (its stdin closes),
 * so a crashed or killed parent never leaves an orphaned Azurite behind.
 *
 * On disk, Azurite keeps its queue and blob metadata in LokiJS databases that it saves every 5 s (fixed in its
 * code); the child shortens that to AZURITE_SAVE_INTERVAL_MS, so a SIGKILL loses as little as the Cosmos data does.
 * A SIGTERM then lets Azurite's own handler close (and save) its databases before the child exits.
 */
const AZURITE_CHILD = `
const persistent = Boolean(process.env.AZURITE_SAVE_INTERVAL_MS);
if (persistent) {
  const Loki = require(require.resolve('lokijs', { paths: [require('path').dirname(process.env.AZURITE_MAIN)] }));
  const configure = Loki.prototype.configureOptions;
  Loki.prototype.configureOptions = function (options, initialConfig) {
    if (options && options.autosave) options = { ...options, autosaveInterval: Number(process.env.AZURITE_SAVE_INTERVAL_MS) };
    return configure.call(this, options, initialConfig);
  };
}
process.stdin.resume();
process.stdin.on('close', () => process.exit(0));
const stop = () => {
  if (!persistent) process.exit(0);
  process.stdin.pause();
  process.stdin.unref();
  setTimeout(() => process.exit(0), 4000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.argv = [process.argv[0], 'azurite', ...JSON.parse(process.env.AZURITE_ARGS)];
require(process.env.AZURITE_MAIN);
`;

/** How often Azurite saves its metadata when it keeps it on disk. */
export const AZURITE_SAVE_INTERVAL_MS = 500;

export interface AzuriteEmulator extends RunningEmulator {
  connectionString: string;
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  pid: number | undefined;
}

/**
 * Starts Azurite in a child process on the given ports (0 = any free port): in memory, or with `location`, keeping
 * its queues and blobs in that folder across restarts.
 */
export async function startAzurite(ports: { blob?: number; queue?: number; table?: number } = {}, host = '127.0.0.1', opts: { location?: string } = {}): Promise<AzuriteEmulator> {
  // Azurite in memory refuses --location, and would otherwise write its debug files into cwd: give it an empty one.
  const cwd = opts.location ?? mkdtempSync(path.join(tmpdir(), 'azurite-'));
  if (opts.location) mkdirSync(opts.location, { recursive: true });
  const storage = opts.location ? ['--location', opts.location] : ['--inMemoryPersistence', '--extentMemoryLimit', '256'];
  const args = [
    ...storage, '--silent', '--skipApiVersionCheck', '--disableTelemetry', '--loose',
    '--blobHost', host, '--queueHost', host, '--tableHost', host,
    '--blobPort', String(ports.blob ?? 0), '--queuePort', String(ports.queue ?? 0), '--tablePort', String(ports.table ?? 0),
  ];
  const child: ChildProcess = spawn(process.execPath, ['-e', AZURITE_CHILD], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      AZURITE_MAIN: require.resolve('azurite/dist/src/azurite.js'),
      AZURITE_ARGS: JSON.stringify(args),
      AZURITE_SAVE_INTERVAL_MS: opts.location ? String(AZURITE_SAVE_INTERVAL_MS) : '',
    },
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
          if (!opts.location) rmSync(cwd, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
