import type { AssociationKind, Bound, Range } from './schema';

/** Tiny helpers that keep the rule data files readable; they only build plain objects. */

export const gte = (value: number): Bound => ({ value, inclusive: true });
export const gt = (value: number): Bound => ({ value, inclusive: false });
export const lte = (value: number): Bound => ({ value, inclusive: true });
export const lt = (value: number): Bound => ({ value, inclusive: false });

export const atLeast = (value: number): Range => ({ min: gte(value) });
export const moreThan = (value: number): Range => ({ min: gt(value) });
export const between = (min: number, max: number): Range => ({ min: gte(min), max: lte(max) });

export const AZURE_ASSOCIATIONS: AssociationKind[] = ['CSP', 'DPOR', 'PAL'];

/** Business Applications MCV rate card (units x rate), shared by both page versions; 2026 adds Contact Center and Portals. */
export const MCV_RATES_2023: Record<string, number> = {
  'business-central': 1000,
  'core-hr': 1000,
  guides: 1000,
  'remote-assist': 1000,
  'talent-attract': 1000,
  'talent-onboard': 1000,
  'common-data-service': 200,
  'customer-engagement': 200,
  sales: 200,
  'sales-insights': 200,
  'customer-service': 200,
  'field-service': 200,
  'power-apps': 200,
  'power-automate': 200,
  'power-bi': 200,
  'finance-operations': 100,
  finance: 100,
  'project-operations': 100,
  retail: 100,
  'customer-insights': 0.2,
};

export const MCV_RATES_2026: Record<string, number> = { ...MCV_RATES_2023, 'contact-center': 200, portals: 100 };
