import path from 'node:path';
import { SettingsError } from '../../shared/config/settings';
import { parseFlags } from '../cli-args';
import { startHost } from './host';

/**
 * `npm start`: runs every function of the app on this machine (see README "Run locally").
 * Stops cleanly on SIGINT/SIGTERM: in-flight invocations finish, emulators shut down.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const args = parseFlags(process.argv.slice(2)).flags;
  const appDir = path.resolve(args['app-dir'] ?? path.join(__dirname, '..', '..', '..'));
  const seed = process.env.SEED_DEMO === 'true' ? (require('../seed') as typeof import('../seed')) : undefined;
  seed?.prepareDemoSource(process.env, appDir);
  let host;
  try {
    host = await startHost({ appDir, port: args.port !== undefined ? Number(args.port) : undefined, disableTimers: args['no-timers'] === 'true', fresh: args.fresh === 'true' });
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
