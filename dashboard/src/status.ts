import type { AreaStatus, Scores } from './types';

/** The four things a portfolio cell says about an area, in the order a distributor acts on them. */
export type CellState = 'at-risk' | 'eligible' | 'qualified' | 'in-progress';

export const STATE_LABEL: Record<CellState, string> = { 'at-risk': 'At risk', eligible: 'Eligible to enrol', qualified: 'Qualified', 'in-progress': 'In progress' };

export const STATUS_LABEL: Record<AreaStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  qualified: 'Qualified',
  'eligible-to-enroll': 'Eligible to enrol',
  enrolled: 'Enrolled',
  'enrolled-renewal-due': 'Enrolled, renewal due',
};

/** At risk wins: a qualified area the forecast sees lost is the one to look at first. */
export function cellState(scores: Scores, area: string): CellState {
  if (scores.projectedLosses.some((l) => l.area === area)) return 'at-risk';
  const status = scores.areas.find((a) => a.area === area)?.status;
  if (status === 'eligible-to-enroll') return 'eligible';
  if (status === 'qualified' || status === 'enrolled' || status === 'enrolled-renewal-due') return 'qualified';
  return 'in-progress';
}

export const statusLabel = (s: string): string => STATUS_LABEL[s as AreaStatus] ?? s;
