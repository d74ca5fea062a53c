import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MAX_EVENTS_PER_DELIVERY } from '../shared/events/schemas';
import { type CliIo, consoleIo, parseCli, runAsCommand, usageError } from './cli-args';
import { signedHeaders } from '../shared/lib/signing';
import { sourceSettingSuffix } from '../shared/webhooks/sources';

/**
 * `npm run send -- <events.json> --source NAME [--url http://localhost:7071] [--secret whsec_...] [--new-ids]`
 *
 * Signs and posts events to a running app, the way a partner's system should: Standard Webhooks headers,
 * batches of up to 500, retries of 429/5xx with the same webhook-id. Webhook ids derive from the content,
 * so sending the same file again is recognised as a redelivery (use --new-ids to send it as new).
 * The secret comes from --secret or WEBHOOK_SECRET_<NAME> (several space-separated secrets: signs with each).
 */

const USAGE = `usage: npm run send -- <events.json> --source NAME [--url http://localhost:7071] [--secret whsec_...] [--new-ids]
  <events.json>  an array of events, { "events": [...] } or one event (see docs/webhooks.md)
  --source       the webhook source to post as (one of WEBHOOK_SOURCES)
  --url          the app (default http://localhost:7071)
  --secret       its secret (default WEBHOOK_SECRET_<SOURCE>); several space-separated: signs with each
  --new-ids      send as new deliveries (default: webhook ids from the content, so a resend is a redelivery)
  -h, --help     print this text`;

const OPTIONS = { source: { type: 'string' }, url: { type: 'string' }, secret: { type: 'string' }, 'new-ids': { type: 'boolean' } } as const;

/** The events of a file: an array of events, `{ "events": [...] }`, or one event. */
export function eventsOf(json: unknown): unknown[] {
  if (Array.isArray(json)) return json;
  if (json && typeof json === 'object' && Array.isArray((json as { events?: unknown }).events)) return (json as { events: unknown[] }).events;
  if (json && typeof json === 'object') return [json];
  throw new Error('the file must hold an array of events, { "events": [...] } or one event object');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, secrets: string[], id: string, body: string): Promise<{ status: number; text: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      // A fresh timestamp per attempt, the same id: the receiver deduplicates, and a stale timestamp would be refused.
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signedHeaders(secrets, id, body) } });
      const text = await res.text();
      if ((res.status === 429 || res.status >= 500) && attempt < 4) {
        await sleep(Number(res.headers.get('retry-after') ?? 0) * 1000 || 500 * 2 ** attempt);
        continue;
      }
      return { status: res.status, text };
    } catch (e) {
      if (attempt >= 4) return { status: 0, text: `request failed: ${(e as Error).message}` };
      await sleep(500 * 2 ** attempt);
    }
  }
}

export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const parsed = parseCli(argv, { usage: USAGE, options: OPTIONS, maxPositionals: 1 }, io);
  if (typeof parsed === 'number') return parsed;
  const flags = parsed.values;
  const file = parsed.positionals[0];
  const source = flags.source;
  if (!file) return usageError({ usage: USAGE }, 'give the events file, e.g. npm run send -- events.json --source crm', io);
  if (!source) return usageError({ usage: USAGE }, 'give the webhook source with --source NAME (one of WEBHOOK_SOURCES)', io);
  const secretText = flags.secret ?? process.env[`WEBHOOK_SECRET_${sourceSettingSuffix(source)}`];
  if (!secretText) return usageError({ usage: USAGE }, `no secret for source "${source}": pass --secret whsec_... or set WEBHOOK_SECRET_${sourceSettingSuffix(source)}`, io);
  const secrets = secretText.trim().split(/\s+/);
  let events: unknown[];
  try {
    events = eventsOf(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    io.err(`error: cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  const base = (flags.url ?? 'http://localhost:7071').replace(/\/+$/, '');
  const url = `${base}/api/webhooks/${encodeURIComponent(source)}`;
  const salt = flags['new-ids'] ? `${Date.now()}-${Math.random()}` : '';
  let failed = 0;
  const batches = Math.ceil(events.length / MAX_EVENTS_PER_DELIVERY) || 0;
  for (let b = 0; b < batches; b++) {
    const batch = events.slice(b * MAX_EVENTS_PER_DELIVERY, (b + 1) * MAX_EVENTS_PER_DELIVERY);
    const body = JSON.stringify({ events: batch });
    const id = `send_${createHash('sha256').update(source).update(salt).update(body).digest('hex').slice(0, 32)}`;
    const res = await post(url, secrets, id, body);
    const ok = res.status >= 200 && res.status < 300;
    if (!ok) failed++;
    io.out(`delivery ${b + 1}/${batches} (${batch.length} events, webhook-id ${id}): ${res.status || 'no answer'}`);
    io.out(`  ${res.text}`);
  }
  io.out(failed ? `${failed} of ${batches} deliveries failed.` : `${batches} deliveries accepted.`);
  return failed ? 1 : 0;
}

if (require.main === module) runAsCommand(main);
