import { parseCli } from './cli-args';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { deliverySchema, EVENT_SCHEMAS } from '../shared/events/schemas';
import { partnerSnapshotSchema, ruleSetSchema } from '../shared/scoring';

/**
 * `npm run schemas`: writes the JSON Schemas under docs/schemas/ from the zod schemas the code validates
 * with, so published contracts cannot drift from the code (test/events/schemas.test.ts checks they are current).
 * To publish another schema, add an entry to SCHEMAS. `--check` only reports files that are out of date.
 */

export interface SchemaEntry {
  /** Path under docs/schemas/. */
  file: string;
  schema: z.ZodType;
  /** `input` for what callers send (defaults optional), `output` for what they receive. */
  io: 'input' | 'output';
  title: string;
}

export const SCHEMAS: SchemaEntry[] = [
  ...Object.entries(EVENT_SCHEMAS).map(([type, schema]) => ({ file: `events/${type}.json`, schema, io: 'input' as const, title: `Webhook event ${type} (v1)` })),
  { file: 'events/delivery.json', schema: deliverySchema, io: 'input', title: 'Webhook delivery body: one event, or { "events": [...] } with up to 500' },
  { file: 'scoring/partner-snapshot.json', schema: partnerSnapshotSchema, io: 'input', title: 'Partner snapshot: the scoring engine input (schemaVersion 1)' },
  { file: 'scoring/rule-set.json', schema: ruleSetSchema, io: 'input', title: 'PCS rule set: one rule version as data (shared/scoring/rules/)' },
];

export const SCHEMAS_DIR = path.resolve(__dirname, '..', '..', 'docs', 'schemas');

export function renderSchemas(entries: readonly SchemaEntry[] = SCHEMAS): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) {
    const json = z.toJSONSchema(e.schema, { io: e.io, unrepresentable: 'any' }) as Record<string, unknown>;
    const { $schema, ...rest } = json;
    out.set(e.file, `${JSON.stringify({ $schema, title: e.title, ...rest }, null, 2)}\n`);
  }
  return out;
}

const USAGE = `usage: npm run schemas [-- --check]
Writes the JSON Schemas of the webhook events (docs/schemas/) from their zod schemas.
  --check     write nothing; exit 1 when a file is out of date
  -h, --help  print this text`;

export function main(argv: string[]): number {
  const parsed = parseCli(argv, { usage: USAGE, options: { check: { type: 'boolean' } } });
  if (typeof parsed === 'number') return parsed;
  const check = parsed.values.check === true;
  const stale: string[] = [];
  for (const [file, text] of renderSchemas()) {
    const target = path.join(SCHEMAS_DIR, file);
    let current: string | undefined;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    stale.push(file);
    if (!check) {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  if (check && stale.length) {
    console.error(`Out of date (run npm run schemas): ${stale.join(', ')}`);
    return 1;
  }
  console.log(stale.length ? `${check ? 'Stale' : 'Wrote'} ${stale.length} schema file(s) under docs/schemas/.` : 'Schemas are up to date.');
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
