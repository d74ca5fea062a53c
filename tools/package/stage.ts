/**
 * `npm run package`: the deployment package as a folder holding only what runs in Azure: the compiled functions
 * and the shared library they import (dist/functions, dist/shared), host.json, package.json, the lockfile, and
 * production dependencies installed from that lockfile (`npm ci --omit=dev`). azure.yaml deploys this folder
 * (`dist: .package`), so the dev tools (vitest, TypeScript, the emulators) no longer ship: `du` 410 MB of
 * node_modules before, 162 MB staged; test/package/package.integration.test.ts measures it.
 *
 * Usage: node dist/tools/package/stage.js [--out <folder>]   (default: .package in the repository root)
 * Run `npm run build` first (the `package` script does).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** What the Functions host needs from the repository, besides node_modules. */
export const STAGED_FILES = ['host.json', 'package.json', 'package-lock.json'];
/** The compiled code that runs in Azure: function files and the library below them (docs/architecture.md). */
export const STAGED_DIST = ['functions', 'shared'];

export function stagePackage(out: string, log: (line: string) => void = () => {}): void {
  for (const dir of STAGED_DIST) {
    if (!existsSync(path.join(ROOT, 'dist', dir))) throw new Error(`dist/${dir} is missing: run "npm run build" first.`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const file of STAGED_FILES) cpSync(path.join(ROOT, file), path.join(out, file));
  for (const dir of STAGED_DIST) {
    // Source maps stay out: nothing in Azure reads them, and they double the size of dist/.
    cpSync(path.join(ROOT, 'dist', dir), path.join(out, 'dist', dir), { recursive: true, filter: (src) => !src.endsWith('.js.map') });
  }
  log(`npm ci --omit=dev in ${out}`);
  // --ignore-scripts: no production dependency needs an install script, and none should run at packaging time.
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: out,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
    shell: process.platform === 'win32',
  });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: npm run package [-- --out <folder>]\nStages the deployment package (default folder: .package).\n');
    process.exit(0);
  }
  const out = path.resolve(outAt >= 0 && args[outAt + 1] ? args[outAt + 1]! : path.join(ROOT, '.package'));
  stagePackage(out, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`Staged the deployment package in ${path.relative(process.cwd(), out) || out}\n`);
}
