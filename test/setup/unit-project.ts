import { inject } from 'vitest';

/**
 * Runs before every file of the unit project, which starts no emulator. Without this, `inject('cosmosEndpoint')`
 * answers undefined and the SDK either fails far from the cause or retries until the test times out; with it, a
 * unit file that needs the emulators fails at once, saying how to fix it.
 */
const EMULATOR_KEYS = new Set<PropertyKey>(['cosmosEndpoint', 'storageConnectionString']);

/** vitest keeps what `inject` reads here (`getWorkerState().providedContext`); there is no public hook for it. */
interface WorkerState {
  providedContext: Record<PropertyKey, unknown>;
}
const state = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__;
if (!state?.providedContext) {
  throw new Error('test/setup/unit-project.ts: vitest no longer keeps the provided context where this guard expects it; update the guard.');
}
state.providedContext = new Proxy(state.providedContext, {
  get(target, key) {
    if (EMULATOR_KEYS.has(key)) {
      throw new Error(
        `inject('${String(key)}') in the unit project, which starts no emulator: name the test file *.integration.test.ts ` +
          '(or *.e2e.test.ts if it boots the local host), see vitest.config.mts.',
      );
    }
    return target[key];
  },
});

// Proves the guard is in place: a vitest upgrade that reads the context elsewhere would otherwise disable it silently.
let guarded = false;
try {
  inject('cosmosEndpoint');
} catch {
  guarded = true;
}
if (!guarded) throw new Error('test/setup/unit-project.ts: the inject() guard did not take effect; update it for this vitest version.');

// A unit test must not reach whatever Cosmos account or storage the developer's shell points at.
delete process.env.COSMOS_ENDPOINT;
delete process.env.AzureWebJobsStorage;
