import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

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
