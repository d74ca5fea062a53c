import { addYears } from '../lib/dates';
import type { ProfessionalsDoc, StoredCertification, StoredProfessional } from '../state/documents';
import { isNewer } from '../state/documents';
import type { EventOf, WebhookEvent } from './schemas';
import { outcome, type EventOutcome } from './outcome';
import { byTime, chronological, utcDate } from './event-time';
import { retractedReason } from './tombstones';

// The professionals reducer: link and unlink events with the program's link limits, and certifications (see apply.ts).

const EPOCH = '1970-01-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

export type ProfessionalEvent = Extract<WebhookEvent, { type: `professional.${string}` | `certification.${string}` }>;

export function isProfessionalEvent(e: WebhookEvent): e is ProfessionalEvent {
  return e.type.startsWith('professional.') || e.type.startsWith('certification.');
}

export const LINKS_PER_YEAR = 3;
export const LINK_COOL_OFF_DAYS = 30;

function placeholderProfessional(learnProfileId: string): StoredProfessional {
  // Versioned at the epoch: the person's link events, whenever they arrive, are newer than this placeholder.
  return { id: learnProfileId, learnProfileId, linked: false, linkHistory: [], certifications: {}, updatedAt: EPOCH, lastEventId: '' };
}

/** Refusal reason when linking on `date` would break the program's limits (3 links a year, 30 days apart). */
export function linkLimitProblem(history: readonly string[], date: string): string | undefined {
  const t = Date.parse(`${date}T00:00:00Z`);
  const before = history.filter((d) => d <= date);
  const last = before[before.length - 1];
  if (last && t - Date.parse(`${last}T00:00:00Z`) < LINK_COOL_OFF_DAYS * DAY_MS) {
    const from = new Date(Date.parse(`${last}T00:00:00Z`) + LINK_COOL_OFF_DAYS * DAY_MS).toISOString().slice(0, 10);
    return `link limit: this professional was last linked on ${last}; links must be at least ${LINK_COOL_OFF_DAYS} days apart, so the next link is possible from ${from}`;
  }
  const inYear = before.filter((d) => t - Date.parse(`${d}T00:00:00Z`) < 365 * DAY_MS);
  if (inYear.length >= LINKS_PER_YEAR) {
    const from = new Date(Date.parse(`${inYear[0]}T00:00:00Z`) + 365 * DAY_MS).toISOString().slice(0, 10);
    return `link limit: this professional was already linked ${inYear.length} times in the 12 months before ${date} (${inYear.join(', ')}); at most ${LINKS_PER_YEAR} links a year are allowed, so the next link is possible from ${from}`;
  }
  return undefined;
}

/** Recomputes link state from the link events in time order, enforcing the program's limits at each link. */
export function replayLinks(p: StoredProfessional): void {
  const events = (p.linkEvents ?? []).sort(byTime);
  let linked = false;
  let any = false;
  let linkedOn: string | undefined;
  let unlinkedOn: string | undefined;
  const dates: string[] = [];
  let newest: (typeof events)[number] | undefined;
  for (const ev of events) {
    const date = utcDate(ev.at);
    delete ev.refused;
    if (ev.linked && !linked) {
      const problem = linkLimitProblem(dates, date);
      if (problem) {
        ev.refused = problem;
        continue;
      }
      dates.push(date);
      linked = true;
      linkedOn = date;
      unlinkedOn = undefined;
    } else if (!ev.linked) {
      if (any && !linked) {
        ev.refused = `already unlinked since ${unlinkedOn}`;
        continue;
      }
      linked = false;
      unlinkedOn = date;
    }
    any = true;
    newest = ev;
  }
  p.linked = linked;
  p.linkHistory = dates;
  if (linkedOn) p.linkedOn = linkedOn;
  else delete p.linkedOn;
  if (unlinkedOn) p.unlinkedOn = unlinkedOn;
  else delete p.unlinkedOn;
  p.updatedAt = newest?.at ?? EPOCH;
  p.lastEventId = newest?.eventId ?? '';
}

function applyLink(doc: ProfessionalsDoc, e: EventOf<'professional.linked'> | EventOf<'professional.unlinked'>): EventOutcome {
  const key = e.data.learnProfileId;
  const p = doc.items[key] ?? placeholderProfessional(key);
  if ((p.linkEvents ?? []).some((x) => x.eventId === e.id)) return outcome(e, 'unchanged', 'already applied');
  if (!p.linkEvents) {
    // Links recorded before link events were kept (an import) become the start of the history.
    p.linkEvents = p.linkHistory.map((d, i) => ({ linked: true, at: `${d}T00:00:00.000Z`, eventId: `imported-${i}` }));
  }
  const contact = { ...(e.data.name !== undefined ? { name: e.data.name } : {}), ...(e.data.email !== undefined ? { email: e.data.email } : {}) };
  // The contact is kept with its event, so a retraction can put back what the events left say.
  p.linkEvents.push({ linked: e.type === 'professional.linked', at: e.occurredAt, eventId: e.id, ...(Object.keys(contact).length ? { contact } : {}) });
  replayLinks(p);
  if ((e.data.name !== undefined || e.data.email !== undefined) && (!p.contactAt || Date.parse(e.occurredAt) > Date.parse(p.contactAt))) {
    if (e.data.name !== undefined) p.name = e.data.name;
    if (e.data.email !== undefined) p.email = e.data.email;
    p.contactAt = e.occurredAt;
  }
  doc.items[key] = p;
  const stored = p.linkEvents.find((x) => x.eventId === e.id)!;
  if (stored.refused) return outcome(e, 'refused', `professional ${key}: ${stored.refused}`);
  if (p.lastEventId !== e.id) return outcome(e, 'older', `professional ${key} already reflects a newer event (${p.lastEventId} at ${p.updatedAt}); recorded in its history`);
  return outcome(e, 'applied');
}

type CertEvent = EventOf<'certification.earned'> | EventOf<'certification.renewed'> | EventOf<'certification.expired'>;

function applyCertification(doc: ProfessionalsDoc, e: CertEvent, source: string): EventOutcome {
  const key = e.data.learnProfileId;
  const p = doc.items[key] ?? placeholderProfessional(key);
  const certId = e.data.certificationId;
  const cert: StoredCertification | undefined = p.certifications[certId];
  const version = cert?.webhook ? { updatedAt: cert.webhook.at, lastEventId: cert.webhook.eventId } : undefined;
  if ((cert?.webhook && (cert.webhook.eventId === e.id || cert.webhook.earnedEventId === e.id)) || cert?.events?.some((x) => x.id === e.id)) return outcome(e, 'unchanged', 'already applied');
  const newer = isNewer(version, e.occurredAt, e.id);
  // Provisional earning date when the first news of a certification is a renewal or expiry; an `earned` event corrects it whenever it arrives.
  const provisional = e.type === 'certification.renewed' ? addYears(e.data.renewedOn, -1) : e.type === 'certification.expired' ? addYears(e.data.expiredOn, -1) : undefined;
  const next: StoredCertification = cert
    ? structuredClone(cert)
    : { certificationId: certId, earnedOn: e.type === 'certification.earned' ? e.data.earnedOn : provisional!, ...(provisional ? { provisionalEarnedOn: true as const } : {}), updatedAt: e.occurredAt };
  let changed = !cert;
  // The earliest news decides a provisional date, whatever order the news arrives in.
  if (cert && next.provisionalEarnedOn && provisional && provisional < next.earnedOn) {
    next.earnedOn = provisional;
    changed = true;
  }
  if (e.type === 'certification.earned') {
    const earnedVersion = next.webhook?.earnedAt ? { updatedAt: next.webhook.earnedAt, lastEventId: next.webhook.earnedEventId ?? '' } : undefined;
    if (isNewer(earnedVersion, e.occurredAt, e.id)) {
      next.earnedOn = e.data.earnedOn;
      delete next.provisionalEarnedOn;
      next.webhook = { ...(next.webhook ?? { at: e.occurredAt, eventId: e.id }), earnedAt: e.occurredAt, earnedEventId: e.id };
      changed = true;
    }
  }
  if (e.type === 'certification.renewed' && !(next.renewals ?? []).some((r) => r.renewedOn === e.data.renewedOn)) {
    next.renewals = [...(next.renewals ?? []), { renewedOn: e.data.renewedOn, ...(e.data.expiresOn ? { expiresOn: e.data.expiresOn } : {}) }].sort((a, b) => (a.renewedOn < b.renewedOn ? -1 : 1));
    changed = true;
  }
  if (newer) {
    // The newest event decides the current expiry; without one, the engine derives it from earning and renewals.
    const expiresOn = e.type === 'certification.expired' ? e.data.expiredOn : e.data.expiresOn;
    if (expiresOn) next.expiresOn = expiresOn;
    else delete next.expiresOn;
    next.removed = false;
    delete next.removedReason;
    next.source = source;
    next.updatedAt = e.occurredAt;
    next.webhook = { ...(next.webhook ?? {}), at: e.occurredAt, eventId: e.id };
    changed = true;
  }
  // Every event is kept, even one that changes nothing now: it may matter once a newer one is retracted.
  next.events = [...(next.events ?? []), { id: e.id, type: e.type, at: e.occurredAt, source, data: e.data as Record<string, string> }].sort((a, b) => byTime({ at: a.at, eventId: a.id }, { at: b.at, eventId: b.id }));
  p.certifications[certId] = next;
  doc.items[key] = p;
  if (!changed) return outcome(e, 'older', `certification ${certId} of ${key} already reflects a newer event; recorded in its history`);
  return outcome(e, newer ? 'applied' : 'older', newer ? undefined : `certification ${certId} of ${key}: kept the newer expiry, recorded the older facts`);
}

/**
 * The certification as its remaining webhook events make it, replayed from nothing in time order (undefined when
 * none remain). The credential number, which no event sets, is kept.
 */
export function replayCertification(cert: StoredCertification, partnerId: string, events: NonNullable<StoredCertification['events']>): StoredCertification | undefined {
  const scratch: ProfessionalsDoc = { id: 'professionals', partnerId, type: 'professionals', schemaVersion: 1, items: {} };
  const ordered = [...events].sort((a, b) => byTime({ at: a.at, eventId: a.id }, { at: b.at, eventId: b.id }));
  for (const x of ordered) applyCertification(scratch, { id: x.id, type: x.type, version: 1, partnerId, occurredAt: x.at, data: x.data } as CertEvent, x.source);
  const rebuilt = Object.values(scratch.items)[0]?.certifications[cert.certificationId];
  if (rebuilt && cert.credentialNumber) rebuilt.credentialNumber = cert.credentialNumber;
  return rebuilt;
}

export function applyProfessionalEvents(doc: ProfessionalsDoc, events: readonly ProfessionalEvent[], source: string | ((e: WebhookEvent) => string)): EventOutcome[] {
  const sourceOf = typeof source === 'string' ? () => source : source;
  return chronological(events).map((e) => {
    const gone = retractedReason(doc, e.id);
    if (gone) return outcome(e, 'refused', gone);
    return e.type === 'professional.linked' || e.type === 'professional.unlinked' ? applyLink(doc, e) : applyCertification(doc, e, sourceOf(e));
  });
}
