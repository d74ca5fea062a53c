/**
 * Pure application of events to a partner's state documents, one reducer per document kind. Each function mutates
 * the document it is given and reports per event what happened; it is deterministic and idempotent, because
 * updateStateDoc may run it again on a fresh copy after an etag conflict.
 *
 * Ordering: an event older than what a record holds never changes its current state (isNewer), but is
 * still added to the record's history, so deliveries in any order end in the same documents.
 */
export type { EventOutcome, EventResult } from './outcome';
export { chronological, utcDate } from './event-time';
export { applyAssociationEvents, associationChange, isAssociationEvent, replayAssociation, type AssociationEvent } from './apply-associations';
export { applyProfessionalEvents, isProfessionalEvent, LINK_COOL_OFF_DAYS, linkLimitProblem, LINKS_PER_YEAR, replayLinks, type ProfessionalEvent } from './apply-professionals';
export { applyTelemetryEvents, type TelemetryEvent } from './apply-telemetry';
export { applyCustomerEvents, applyProfileEvents, isCustomerEvent, isProfileEvent, type CustomerEvent, type ProfileEvent } from './apply-profile';
