/**
 * Storage queue names. Function registrations and the code that enqueues both read them from here.
 * Each queue also has a `<name>-poison` twin that the Functions host fills after maxDequeueCount failures.
 */
export const QUEUES = {
  /** Accepted webhook deliveries waiting to be applied to partner state. */
  events: 'webhook-events',
  /** One message per partner to recompute (nightly fan-out, and after state changes). */
  recompute: 'score-recompute',
  /** Start and page messages of a nightly recompute run. */
  recomputeRun: 'score-recompute-run',
  /** One message per partner whose certifications to sync. */
  certSync: 'cert-sync',
  /** Start and page messages of a certification sync run. */
  certSyncRun: 'cert-sync-run',
  /** Steps of background imports of spreadsheet files (a chain: each step sends the next). */
  imports: 'partner-imports',
  /** Outgoing partner notifications (alerts) to deliver with retries. */
  notifications: 'partner-notifications',
  /** Verified Partner Center webhook events whose resource is still to be read and applied. */
  partnerCenter: 'partner-center-events',
  /** The nightly pull of a partner's customer list from Partner Center. */
  partnerCenterPull: 'partner-center-pull',
} as const;

export const ALL_QUEUES: readonly string[] = Object.values(QUEUES);
