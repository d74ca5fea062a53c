import type { LifecycleState } from '../state/documents';

/**
 * Association lifecycles (rules reference §10). A newer event moves an association only along these edges;
 * anything else is refused with the current state named. The first event seen for an association may
 * carry any state: its earlier events may still be on their way, or predate the sender's integration.
 */
export const TRANSITIONS: Record<'CPOR' | 'PAL' | 'DPOR' | 'CSP', Partial<Record<LifecycleState, readonly LifecycleState[]>>> = {
  CPOR: {
    // A submitted claim is reviewed; the customer may decline; the partner may disassociate at any time.
    submitted: ['submitted', 'approved', 'rejected', 'declined', 'disassociated'],
    'pending-customer': ['approved', 'rejected', 'declined', 'disassociated'],
    // An approved claim may be updated (same state), declined by the customer, or disassociated.
    approved: ['approved', 'declined', 'disassociated'],
    // A rejection can be disputed once within 30 days (checked separately); otherwise it is final.
    rejected: ['disputed', 'disassociated'],
    disputed: ['approved', 'rejected', 'disassociated'],
    declined: [],
    disassociated: [],
  },
  PAL: { linked: ['linked', 'unlinked'], unlinked: ['linked'] },
  DPOR: { attached: ['attached', 'detached'], detached: ['attached'] },
  CSP: { active: ['active', 'ended'], ended: ['active'] },
};

/** What the scoring engine sees: only `active` earns points. */
export const SNAPSHOT_STATUS: Record<LifecycleState, 'pending' | 'active' | 'rejected' | 'ended'> = {
  submitted: 'pending',
  'pending-customer': 'pending',
  disputed: 'pending',
  approved: 'active',
  rejected: 'rejected',
  declined: 'rejected',
  disassociated: 'ended',
  linked: 'active',
  unlinked: 'ended',
  attached: 'active',
  detached: 'ended',
  active: 'active',
  ended: 'ended',
};

export const DISPUTE_WINDOW_DAYS = 30;

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function checkTransition(
  type: keyof typeof TRANSITIONS,
  current: LifecycleState | undefined,
  next: LifecycleState,
  history: readonly { state: LifecycleState; at: string }[] = [],
  at?: string,
): TransitionCheck {
  if (current === undefined) return { ok: true };
  const allowed = TRANSITIONS[type][current] ?? [];
  if (!allowed.includes(next)) {
    const options = allowed.length ? `allowed next: ${allowed.join(', ')}` : `${current} is final`;
    return { ok: false, reason: `illegal ${type} transition: the association is ${current}, it cannot become ${next} (${options})` };
  }
  if (type === 'CPOR' && next === 'disputed') {
    if (history.some((h) => h.state === 'disputed')) return { ok: false, reason: 'illegal CPOR transition: the association is rejected and was already disputed once; a rejection can be disputed only once' };
    const rejectedAt = [...history].reverse().find((h) => h.state === 'rejected')?.at;
    if (rejectedAt && at && Date.parse(at) - Date.parse(rejectedAt) > DISPUTE_WINDOW_DAYS * 86_400_000) {
      return { ok: false, reason: `illegal CPOR transition: the association is rejected since ${rejectedAt.slice(0, 10)}; a dispute must come within ${DISPUTE_WINDOW_DAYS} days` };
    }
  }
  return { ok: true };
}
