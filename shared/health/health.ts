import type { Settings } from '../config/settings';
import { getDatabase } from '../store/cosmos';
import { getQueueService } from '../queues/client';
import { appVersion } from '../lib/version';

export interface DependencyStatus {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  version: string;
  checks: { cosmos: DependencyStatus; storage: DependencyStatus };
}

async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyStatus> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (e) {
    const err = e as { code?: unknown; message?: string };
    return { ok: false, latencyMs: Date.now() - started, error: `${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`.slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

/** Checks that Cosmos DB (the app's database) and queue storage answer. */
export async function checkHealth(settings: Settings, timeoutMs = 3000): Promise<HealthReport> {
  const [cosmos, storage] = await Promise.all([
    timed(() => getDatabase(settings).read(), timeoutMs),
    timed(() => getQueueService(settings).getProperties(), timeoutMs),
  ]);
  return { status: cosmos.ok && storage.ok ? 'healthy' : 'unhealthy', version: appVersion(), checks: { cosmos, storage } };
}
