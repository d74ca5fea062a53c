import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CoreApi, installCoreApi, type RegisteredFunction } from './core-api';
import { functionNameProblem } from './function-names';
import type { Logger } from './invoker';

/** Expands package.json "main" (a file or a simple glob such as dist/functions/*.js) as the worker does. */
export function resolveEntryFiles(appDir: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { main?: string };
  const main = pkg.main ?? 'index.js';
  if (!main.includes('*')) {
    const file = path.resolve(appDir, main);
    if (!existsSync(file)) throw new Error(`package.json "main" points to ${main}, which does not exist. Run "npm run build" first.`);
    return [file];
  }
  const dir = path.resolve(appDir, path.dirname(main));
  const pattern = new RegExp(`^${path.basename(main).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  if (!existsSync(dir)) throw new Error(`package.json "main" is ${main}, but ${path.relative(appDir, dir)} does not exist. Run "npm run build" first.`);
  const files = readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => path.join(dir, f));
  if (files.length === 0) throw new Error(`package.json "main" (${main}) matches no file. Run "npm run build" first.`);
  return files;
}

/**
 * Installs the local @azure/functions-core and requires the app's entry files, which register their functions
 * with it; returns the enabled ones.
 */
export function loadFunctions(appDir: string, log: Logger, merged: Record<string, string | undefined>): { core: CoreApi; functions: RegisteredFunction[] } {
  const core = new CoreApi((level, category, message) => log(level, category === 'system' ? `[worker] ${message}` : message));
  installCoreApi(core);
  for (const file of resolveEntryFiles(appDir)) {
    try {
      require(file);
    } catch (e) {
      // Same as FUNCTIONS_NODE_BLOCK_ON_ENTRY_POINT_ERROR=true in Azure: a broken entry point stops the app.
      throw new Error(`Loading ${path.relative(appDir, file)} failed: ${(e as Error).stack ?? e}`);
    }
  }
  for (const fn of core.functions.values()) {
    const problem = functionNameProblem(fn.metadata.name);
    if (problem) log('warning', `Function name ${problem}.`);
  }
  // AzureWebJobs.<name>.Disabled=true turns a function off, as in Azure and Core Tools: never triggered, HTTP 404.
  const isDisabled = (name: string) => /^(true|1)$/i.test(process.env[`AzureWebJobs.${name}.Disabled`] ?? merged[`AzureWebJobs.${name}.Disabled`] ?? '');
  const disabled = [...core.functions.values()].filter((f) => isDisabled(f.metadata.name)).map((f) => f.metadata.name);
  const functions = [...core.functions.values()].filter((f) => !disabled.includes(f.metadata.name));
  if (disabled.length) log('warning', `Disabled by AzureWebJobs.<name>.Disabled: ${disabled.join(', ')}`);
  if (functions.length === 0) throw new Error('No functions were registered. Check package.json "main" and that the function files call app.*.');
  return { core, functions };
}
