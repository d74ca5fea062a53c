import { defineConfig } from 'vitest/config';

/**
 * Which project a test file runs in follows from its name, so that `npm run test:unit` can skip the
 * emulators and the build:
 * - `*.e2e.test.ts`: boots the local host from dist/ (and so needs `npm run build` and the emulators);
 * - `*.integration.test.ts`: needs something outside this process: the Cosmos emulator, Azurite, the Bicep CLI;
 * - any other `*.test.ts`: a unit test, needing only the source.
 */
const INTEGRATION = ['test/**/*.integration.test.ts', 'test/**/*.e2e.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: INTEGRATION,
          setupFiles: ['test/setup/unit-project.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          globalSetup: ['test/setup/global-setup.ts'],
        },
      },
    ],
  },
});
