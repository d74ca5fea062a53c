import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`, tools/faults/run-suite.ts): scenarios that drive the local host through
 * fault-injecting proxies, kill it, and restart Azurite. Too slow for `npm test`, so its files end in `.faults.ts`,
 * which the main config does not pick up. One file at a time: each starts hosts and emulators of its own.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/faults/**/*.faults.ts'],
    testTimeout: 540_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    restoreMocks: true,
  },
});
