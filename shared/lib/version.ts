import { readFileSync } from 'node:fs';
import path from 'node:path';

let version: string | undefined;

/** The app version: APP_VERSION if the deployment sets it, else package.json's. */
export function appVersion(): string {
  if (version) return version;
  if (process.env.APP_VERSION) return (version = process.env.APP_VERSION);
  // Compiled code sits at dist/shared/lib/version.js, source at shared/lib/version.ts: look up for package.json.
  for (const rel of ['../..', '../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, rel, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pcs-tracker' && pkg.version) return (version = pkg.version);
    } catch {
      // not at this level
    }
  }
  return (version = 'unknown');
}
