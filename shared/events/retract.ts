import type { AssociationsDoc, CustomersDoc, ProfessionalsDoc, ProfileDoc, Retraction, Retractions, StoredProfessional, TelemetryDoc } from '../state/documents';
export { retractedReason } from './tombstones';
import { replayAssociation } from './apply-associations';
import { removeCustomerFact, removeProfileFact } from './apply-profile';
import { replayCertification, replayLinks } from './apply-professionals';
import { byTime, chronological } from './event-time';
import { outcome, type EventOutcome } from './outcome';
import type { EventOf, WebhookEvent } from './schemas';

/**
 * `event.retracted`: withdraws an event sent in error. The event leaves the history of the record that holds it
 * and the record is replayed from what remains, so the result is the state the partner would have had if the
 * event had never arrived. A tombstone in the same document makes a late or repeated delivery of the withdrawn
 * event a refusal instead of bringing it back.
 *
 * A retraction does not know which document holds its event, so it is offered to each of the partner's documents;
 * each says whether it held the event, and retractionOutcomes() turns the answers into one outcome per retraction.
 */

export type RetractionEvent = EventOf<'event.retracted'>;

export function isRetraction(e: WebhookEvent): e is RetractionEvent {
  return e.type === 'event.retracted';
}

/** What one document found for one retraction. */
export type RetractionFinding = { found: 'removed' | 'already' | 'absent' } | { found: 'not-retractable'; reason: string };
export type RetractionFindings = Map<string, RetractionFinding>;

const tombstone = (r: RetractionEvent): Retraction => ({ by: r.id, at: r.occurredAt, ...(r.data.reason ? { reason: r.data.reason } : {}) });

/** Runs `remove` for each retraction in time order, recording a tombstone where it removed something. */
function retractEach<D extends { retracted?: Retractions }>(doc: D, retractions: readonly RetractionEvent[], remove: (doc: D, eventId: string) => RetractionFinding): RetractionFindings {
  const findings: RetractionFindings = new Map();
  for (const r of chronological(retractions)) {
    const target = r.data.eventId;
    if (doc.retracted?.[target]) {
      findings.set(r.id, { found: 'already' });
      continue;
    }
    const finding = remove(doc, target);
    if (finding.found === 'removed') doc.retracted = { ...(doc.retracted ?? {}), [target]: tombstone(r) };
    findings.set(r.id, finding);
  }
  return findings;
}

export function retractFromAssociations(doc: AssociationsDoc, retractions: readonly RetractionEvent[]): RetractionFindings {
  return retractEach(doc, retractions, (d, eventId) => {
    const rec = Object.values(d.items).find((a) => a.history.some((h) => h.eventId === eventId));
    if (!rec) return { found: 'absent' };
    rec.history = rec.history.filter((h) => h.eventId !== eventId);
    if (!rec.history.length) {
      delete d.items[rec.id];
      return { found: 'removed' };
    }
    if (rec.variants) {
      const used = new Set(rec.history.map((h) => h.v));
      rec.variants = Object.fromEntries(Object.entries(rec.variants).filter(([k]) => used.has(k)));
    }
    replayAssociation(rec);
    return { found: 'removed' };
  });
}

/** Name and email as the link events that carried them say, newest last; none left means none known. */
function replayContact(p: StoredProfessional): void {
  const carrying = (p.linkEvents ?? []).filter((x) => x.contact).sort(byTime);
  delete p.name;
  delete p.email;
  delete p.contactAt;
  for (const x of carrying) {
    if (x.contact!.name !== undefined) p.name = x.contact!.name;
    if (x.contact!.email !== undefined) p.email = x.contact!.email;
    p.contactAt = x.at;
  }
}

/** A person known only through the withdrawn event was never known. */
function forgetIfEmpty(d: ProfessionalsDoc, p: StoredProfessional): void {
  if (!p.linkEvents && !Object.keys(p.certifications).length && !p.transcriptUrl && !p.sync && p.name === undefined && p.email === undefined) delete d.items[p.id];
}

export function retractFromProfessionals(doc: ProfessionalsDoc, retractions: readonly RetractionEvent[]): RetractionFindings {
  return retractEach(doc, retractions, (d, eventId) => {
    for (const p of Object.values(d.items)) {
      const removed = p.linkEvents?.find((x) => x.eventId === eventId);
      if (removed) {
        p.linkEvents = p.linkEvents!.filter((x) => x !== removed);
        if (removed.contact) replayContact(p);
        if (!p.linkEvents.length) delete p.linkEvents;
        replayLinks(p);
        forgetIfEmpty(d, p);
        return { found: 'removed' };
      }
      const cert = Object.values(p.certifications).find((c) => c.events?.some((x) => x.id === eventId) || (c.webhook && (c.webhook.eventId === eventId || c.webhook.earnedEventId === eventId)));
      if (cert) {
        const what = `event ${eventId} is a certification event of ${p.id} (${cert.certificationId})`;
        if (!cert.events?.some((x) => x.id === eventId)) return { found: 'not-retractable', reason: `${what} recorded before certification events were kept for replay: correct it with a newer certification event (certification.expired with the right date)` };
        if (!cert.events.some((x) => x.source === cert.source)) return { found: 'not-retractable', reason: `${what}; the record was updated by ${cert.source ?? 'another source'} since, which keeps no events to replay: correct it there` };
        const rebuilt = replayCertification(cert, d.partnerId, cert.events.filter((x) => x.id !== eventId));
        if (rebuilt) p.certifications[cert.certificationId] = rebuilt;
        else delete p.certifications[cert.certificationId];
        forgetIfEmpty(d, p);
        return { found: 'removed' };
      }
    }
    return { found: 'absent' };
  });
}

export function retractFromTelemetry(doc: TelemetryDoc, retractions: readonly RetractionEvent[]): RetractionFindings {
  return retractEach(doc, retractions, (d, eventId) => {
    for (const [key, row] of Object.entries(d.rows)) {
      const earlier = row.superseded ?? [];
      if (row.lastEventId === eventId) {
        // The newest of the other reports takes its place, as it would have had the withdrawn one never come.
        const next = [...earlier].sort((a, b) => byTime({ at: b.updatedAt, eventId: b.lastEventId }, { at: a.updatedAt, eventId: a.lastEventId }))[0];
        if (!next) delete d.rows[key];
        else {
          const rest = earlier.filter((r) => r !== next);
          d.rows[key] = { ...next, ...(rest.length ? { superseded: rest } : {}) };
        }
        return { found: 'removed' };
      }
      if (earlier.some((r) => r.lastEventId === eventId)) {
        const rest = earlier.filter((r) => r.lastEventId !== eventId);
        if (rest.length) row.superseded = rest;
        else delete row.superseded;
        return { found: 'removed' };
      }
    }
    return { found: 'absent' };
  });
}

/** Profile events (partner.updated, designation.*, track.*, and customer.updated of a profile from before the shards): the record is replayed without the fact. */
export function retractFromProfile(doc: ProfileDoc, retractions: readonly RetractionEvent[]): RetractionFindings {
  return retractEach(doc, retractions, (d, eventId) => ({ found: removeProfileFact(d, eventId) ? 'removed' : 'absent' }));
}

/** customer.updated in a customers shard: the tenant's record is replayed without the fact. */
export function retractFromCustomers(doc: CustomersDoc, retractions: readonly RetractionEvent[]): RetractionFindings {
  return retractEach(doc, retractions, (d, eventId) => ({ found: removeCustomerFact(d, eventId) ? 'removed' : 'absent' }));
}

/** One outcome per retraction from what every document of the partner found. */
export function retractionOutcomes(retractions: readonly RetractionEvent[], findings: readonly RetractionFindings[]): EventOutcome[] {
  return retractions.map((r) => {
    const all = findings.map((f) => f.get(r.id)).filter((f): f is RetractionFinding => f !== undefined);
    if (all.some((f) => f.found === 'removed')) return outcome(r, 'applied');
    if (all.some((f) => f.found === 'already')) return outcome(r, 'unchanged', `event ${r.data.eventId} was already retracted`);
    const refusal = all.find((f): f is Extract<RetractionFinding, { found: 'not-retractable' }> => f.found === 'not-retractable');
    if (refusal) return outcome(r, 'refused', refusal.reason);
    return outcome(r, 'refused', `event ${r.data.eventId} is not in partner ${r.partnerId}'s state: it has not been applied yet (send the retraction after its delivery was applied), it was refused at its delivery, or it belongs to another partner`);
  });
}
