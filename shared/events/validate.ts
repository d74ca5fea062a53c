import { DEFAULT_EVENT_FUTURE_TOLERANCE_SECONDS, DEFAULT_MAX_SEAT_COUNT } from '../config/settings';
import { zodDetails } from '../lib/validation';
import { describeSuggestion, resolveCertification, suggestCertifications } from '../scoring';
import { checkPlausibility } from './plausibility';
import { EVENT_SCHEMAS, EVENT_TYPES, MAX_EVENTS_PER_DELIVERY, isEventType, type WebhookEvent } from './schemas';

export interface FieldProblem {
  path: string;
  message: string;
  /** For a value that did not resolve: the closest known ones (certification ids). */
  suggestions?: string[];
}

export type DeliveryValidation =
  /** `warnings`: values that are unusual but possible, accepted and reported back (see plausibility.ts). */
  | { ok: true; events: WebhookEvent[]; warnings: FieldProblem[] }
  /** Malformed: 400 with every failing field. */
  | { ok: false; kind: 'invalid'; details: FieldProblem[] }
  /** Well-formed, but an event type this service does not know: 422. */
  | { ok: false; kind: 'unknown-type'; details: FieldProblem[] }
  /** Well-formed, but naming a certification no rule set knows by that id, name or exam code: 422. */
  | { ok: false; kind: 'unresolved'; details: FieldProblem[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a parsed delivery body: one event, `{ "events": [...] }` or a bare array (up to 500 events).
 * Every event is checked, so one answer lists every failing field of the whole batch.
 */
export interface ValidationLimits {
  now: Date;
  futureToleranceSeconds: number;
  /** The MAX_SEAT_COUNT setting; its default when omitted. */
  maxSeatCount?: number;
}

export function validateDelivery(body: unknown, clock: ValidationLimits = { now: new Date(), futureToleranceSeconds: DEFAULT_EVENT_FUTURE_TOLERANCE_SECONDS }): DeliveryValidation {
  const limits = { now: clock.now, futureToleranceSeconds: clock.futureToleranceSeconds, maxSeatCount: clock.maxSeatCount ?? DEFAULT_MAX_SEAT_COUNT };
  const latest = clock.now.getTime() + clock.futureToleranceSeconds * 1000;
  let items: unknown[];
  let prefix: (i: number) => string;
  if (Array.isArray(body) || (isObject(body) && 'events' in body)) {
    const list = Array.isArray(body) ? body : body.events;
    const at = Array.isArray(body) ? '(body)' : 'events';
    if (!Array.isArray(list)) return { ok: false, kind: 'invalid', details: [{ path: at, message: 'must be an array of events' }] };
    if (list.length === 0) return { ok: false, kind: 'invalid', details: [{ path: at, message: 'must hold at least one event' }] };
    if (list.length > MAX_EVENTS_PER_DELIVERY) return { ok: false, kind: 'invalid', details: [{ path: at, message: `must hold at most ${MAX_EVENTS_PER_DELIVERY} events, got ${list.length}; split the import into several deliveries` }] };
    items = list;
    prefix = Array.isArray(body) ? (i) => `[${i}]` : (i) => `events[${i}]`;
  } else if (isObject(body)) {
    items = [body];
    prefix = () => '';
  } else {
    return { ok: false, kind: 'invalid', details: [{ path: '(body)', message: 'must be an event object, an array of events or { "events": [...] }' }] };
  }

  const join = (p: string, rest: string) => (p ? (rest === '(body)' ? p : rest.startsWith('[') ? `${p}${rest}` : `${p}.${rest}`) : rest);
  const invalid: FieldProblem[] = [];
  const unknown: FieldProblem[] = [];
  const unresolved: FieldProblem[] = [];
  const warnings: FieldProblem[] = [];
  const events: WebhookEvent[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const p = prefix(i);
    if (!isObject(item)) {
      invalid.push({ path: p || '(body)', message: 'must be an event object' });
      return;
    }
    if (typeof item.type !== 'string' || item.type === '') {
      invalid.push({ path: join(p, 'type'), message: `is required: one of ${EVENT_TYPES.join(', ')}` });
      return;
    }
    if (!isEventType(item.type)) {
      unknown.push({ path: join(p, 'type'), message: `unknown event type "${item.type.slice(0, 100)}"; known types: ${EVENT_TYPES.join(', ')}` });
      return;
    }
    const parsed = EVENT_SCHEMAS[item.type].safeParse(item);
    if (!parsed.success) {
      for (const d of zodDetails(parsed.error)) invalid.push({ path: join(p, d.path), message: d.message });
      return;
    }
    // An event dated ahead of the clock would stay the newest version of its record, refusing every later correction.
    if (Date.parse(parsed.data.occurredAt) > latest) {
      invalid.push({ path: join(p, 'occurredAt'), message: `is more than ${clock.futureToleranceSeconds} seconds ahead of this server's clock (${clock.now.toISOString()}); send the time the change really happened` });
      return;
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined) {
      invalid.push({ path: join(p, 'id'), message: `repeats the id of ${prefix(first) || 'another event'}; every event needs its own id` });
      return;
    }
    seen.set(parsed.data.id, i);
    const event = parsed.data as WebhookEvent;
    const plausible = checkPlausibility(event, limits);
    for (const w of plausible.warnings) warnings.push({ path: join(p, w.path), message: w.message });
    if (plausible.problems.length) {
      for (const d of plausible.problems) invalid.push({ path: join(p, d.path), message: d.message });
      return;
    }
    if ('certificationId' in event.data) {
      // Stored under the rule sets' id, whatever the sender called it: an unknown id would be kept and never count.
      const sent = event.data.certificationId;
      const resolved = resolveCertification(sent);
      if (!resolved) {
        const close = suggestCertifications(sent);
        unresolved.push({
          path: join(p, 'data.certificationId'),
          message: `"${sent.slice(0, 100)}" is not a certification the rule sets know by id, Microsoft Learn name or exam code; closest: ${close.map(describeSuggestion).join('; ')} (GET /api/catalog/certifications lists them all)`,
          suggestions: close.map((c) => c.certificationId),
        });
        return;
      }
      event.data.certificationId = resolved;
    }
    events.push(event);
  });
  if (invalid.length) return { ok: false, kind: 'invalid', details: [...invalid, ...unknown, ...unresolved] };
  if (unknown.length) return { ok: false, kind: 'unknown-type', details: [...unknown, ...unresolved] };
  if (unresolved.length) return { ok: false, kind: 'unresolved', details: unresolved };
  return { ok: true, events, warnings };
}
