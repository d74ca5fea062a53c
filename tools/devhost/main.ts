import path from 'node:path';
import { SettingsError } from '../../shared/config/settings';
import { parseCli } from '../cli-args';
import { startHost } from './host';

/**
 * `npm start`: runs every function of the app on this machine (see README "Run locally").
 * Stops cleanly on SIGINT/SIGTERM: in-flight invocations finish, emulators shut down.
 */
const USAGE = `usage: npm start [-- --port N] [--fresh] [--no-timers] [--app-dir DIR]
Runs every function of the app on this machine, with embedded Cosmos DB and Azurite emulators unless COSMOS_ENDPOINT
and AzureWebJobsStorage (environment or local.settings.json) point elsewhere. SEED_DEMO=true loads demo partners.
  --port       HTTP port (default LOCAL_HTTP_PORT, or LocalHttpPort of local.settings.json, 7071; 0 = any free port)
  --fresh      discard the data the embedded emulators saved (LOCAL_DATA_DIR) and start empty
  --no-timers  do not fire timers on their schedules (POST /admin/functions/{name} still runs one)
  --app-dir    the app to serve (default: this project)
  -h, --help   print this text`;

const OPTIONS = { port: { type: 'string' }, fresh: { type: 'boolean' }, 'no-timers': { type: 'boolean' }, 'app-dir': { type: 'string' } } as const;

async function main(): Promise<void> {
  const started = Date.now();
  const parsed = parseCli(process.argv.slice(2), { usage: USAGE, options: OPTIONS });
  if (typeof parsed === 'number') process.exit(parsed);
  const args = parsed.values;
  const port = args.port !== undefined ? Number(args.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    process.stderr.write(`error: --port must be a port number (0 to 65535), not "${args.port}"\n${USAGE}\n`);
    process.exit(2);
  }
  const appDir = path.resolve(args['app-dir'] ?? path.join(__dirname, '..', '..', '..'));
  const seed = process.env.SEED_DEMO === 'true' ? (require('../seed') as typeof import('../seed')) : undefined;
  seed?.prepareDemoSource(process.env, appDir);
  let host;
  try {
    host = await startHost({ appDir, port, disableTimers: args['no-timers'] === true, fresh: args.fresh === true });
  } catch (e) {
    const message = e instanceof SettingsError ? e.message : `The app could not start: ${(e as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  process.stdout.write(`\n${host.summary()}\n\nReady in ${((Date.now() - started) / 1000).toFixed(1)} s: ${host.url}/api/health  (Ctrl-C to stop)\n\n`);
  if (seed) {
    const url = host.url;
    seed.seedDemo({ url, key: host.keys.functionKey, log: (l) => process.stdout.write(`[seed] ${l}\n`) }).then(
      (r) => {
        process.stdout.write(`[seed] demo partners loaded:${seed.formatSeedResult(r, url)}\n\n`);
        // Then a history for the dashboard's charts, in the background: the partners are usable already.
        if (process.env.SEED_DEMO_HISTORY === 'false') return;
        seed.seedHistory({ url, key: host.keys.functionKey, log: (l) => process.stdout.write(`[seed] history:${l}\n`) }).catch((e: unknown) => process.stderr.write(`[seed] history failed: ${(e as Error).message}\n`));
      },
      (e: unknown) => process.stderr.write(`[seed] failed: ${(e as Error).message}\n`),
    );
  }
  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals > 1) {
      process.stderr.write('Second signal: exiting now.\n');
      process.exit(130);
    }
    process.stdout.write(`${signal} received: stopping...\n`);
    host.stop().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exit(0);
      },
      (e) => {
        process.stderr.write(`Stop failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
