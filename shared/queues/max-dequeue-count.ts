import fs from 'node:fs';
import path from 'node:path';

let cached: number | undefined;

/**
 * host.json's queues.maxDequeueCount: the attempt after which the host gives a message up to the poison queue.
 * The recompute and cert-sync workers record their own failure on that last attempt, so a run still finishes.
 */
export function maxDequeueCount(): number {
  if (cached !== undefined) return cached;
  cached = 5;
  // host.json sits at the app root: two levels above this file in the sources, three in dist/.
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'host.json');
    if (!fs.existsSync(file)) continue;
    try {
      const n = (JSON.parse(fs.readFileSync(file, 'utf8')) as { extensions?: { queues?: { maxDequeueCount?: unknown } } }).extensions?.queues?.maxDequeueCount;
      if (typeof n === 'number' && n >= 1) cached = n;
    } catch {
      // A broken host.json stops the host itself; the default is enough here.
    }
    break;
  }
  return cached;
}
