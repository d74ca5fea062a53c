/**
 * The Cosmos DB containers the app uses: the single source of truth for their names, partition keys and TTLs.
 * infra/ is checked against this list (test/infra), and the local host creates them on an emulator.
 */
export interface ContainerSpec {
  name: string;
  partitionKey: string;
  /** Seconds; -1 = TTL on with no default expiry; undefined = TTL off. */
  defaultTtl?: number;
  purpose: string;
}

export const CONTAINERS = {
  partners: {
    name: 'partners',
    partitionKey: '/partnerId',
    // TTL on with no default expiry: day-level score documents carry their own ttl; state documents never expire.
    defaultTtl: -1,
    purpose: "A partner's state: profile, associations, professionals, certifications, telemetry, score snapshots, alerts.",
  },
  receipts: {
    name: 'receipts',
    partitionKey: '/id',
    defaultTtl: 60 * 60 * 24 * 7,
    purpose: 'Webhook receipts keyed by webhook-id, for deduplication (kept 7 days).',
  },
  runs: {
    name: 'runs',
    partitionKey: '/id',
    purpose: 'Run records of the nightly recompute and the certification sync.',
  },
  deadletters: {
    name: 'deadletters',
    partitionKey: '/id',
    defaultTtl: 60 * 60 * 24 * 30,
    purpose: 'Messages that kept failing, with the reason, for an operator to list and replay (kept 30 days).',
  },
  access: {
    name: 'access',
    partitionKey: '/id',
    purpose: 'Who may do what: grants of partner roles to Entra users, apps, groups and app roles, and partner groups.',
  },
  audit: {
    name: 'audit',
    partitionKey: '/scope',
    defaultTtl: 60 * 60 * 24 * 400,
    purpose: 'Who changed what through the API and when, per partner (scope = partner id) or for the service (kept 400 days).',
  },
} as const satisfies Record<string, ContainerSpec>;

export type ContainerKey = keyof typeof CONTAINERS;
export const ALL_CONTAINERS: readonly ContainerSpec[] = Object.values(CONTAINERS);
