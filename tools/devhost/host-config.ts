import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Parses an Azure TimeSpan such as "00:00:05" or "01:00:00" into milliseconds. */
export function timeSpanToMs(value: string): number {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`"${value}" is not a TimeSpan (expected [d.]hh:mm:ss).`);
  const [, d, h, min, s, frac] = m;
  return (((Number(d ?? 0) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s)) * 1000 + (frac ? Number(`0.${frac}`) * 1000 : 0);
}

const hostJsonSchema = z.object({
  version: z.literal('2.0'),
  functionTimeout: z.string().optional(),
  extensions: z
    .object({
      http: z.object({ routePrefix: z.string().optional() }).partial().optional(),
      queues: z
        .object({
          batchSize: z.number().int().min(1).max(32),
          newBatchThreshold: z.number().int().min(0),
          maxDequeueCount: z.number().int().min(1),
          visibilityTimeout: z.string(),
          maxPollingInterval: z.string(),
          messageEncoding: z.enum(['base64', 'none']),
        })
        .partial()
        .optional(),
    })
    .partial()
    .optional(),
});

export interface HostConfig {
  routePrefix: string;
  functionTimeoutMs: number;
  queues: {
    batchSize: number;
    newBatchThreshold: number;
    maxDequeueCount: number;
    visibilityTimeoutMs: number;
    maxPollingIntervalMs: number;
    messageEncoding: 'base64' | 'none';
  };
}

/** Reads host.json with the Functions host's defaults for what it leaves out. */
export function loadHostConfig(appDir: string): HostConfig {
  const file = path.join(appDir, 'host.json');
  const parsed = hostJsonSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`host.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const ext = parsed.data.extensions ?? {};
  const q = ext.queues ?? {};
  const batchSize = q.batchSize ?? 16;
  return {
    routePrefix: (ext.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, ''),
    functionTimeoutMs: timeSpanToMs(parsed.data.functionTimeout ?? '00:30:00'),
    queues: {
      batchSize,
      newBatchThreshold: q.newBatchThreshold ?? Math.floor(batchSize / 2),
      maxDequeueCount: q.maxDequeueCount ?? 5,
      visibilityTimeoutMs: timeSpanToMs(q.visibilityTimeout ?? '00:00:00'),
      maxPollingIntervalMs: timeSpanToMs(q.maxPollingInterval ?? '00:01:00'),
      messageEncoding: q.messageEncoding ?? 'base64',
    },
  };
}

const localSettingsSchema = z.object({
  IsEncrypted: z.boolean().optional(),
  Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  Host: z.object({ LocalHttpPort: z.number().int().optional() }).partial().optional(),
});

/** Reads local.settings.json (Core Tools format) if present. Environment variables win over it, as with Core Tools. */
export function loadLocalSettings(appDir: string): { values: Record<string, string>; port?: number } {
  const file = path.join(appDir, 'local.settings.json');
  if (!existsSync(file)) return { values: {} };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`local.settings.json is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = localSettingsSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`local.settings.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  if (parsed.data.IsEncrypted) throw new Error('local.settings.json is encrypted (IsEncrypted: true); the local host reads plain values only.');
  return { values: parsed.data.Values ?? {}, port: parsed.data.Host?.LocalHttpPort };
}
