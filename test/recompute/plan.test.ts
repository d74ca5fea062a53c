import { describe, expect, it } from 'vitest';
import { generateSnapshot } from '../../tools/fixtures/snapshot-generate';
import { snapshotToStateDocs } from '../../tools/fixtures/snapshot-import';
import { lastQualifiedFromHistory, mergeDay, mergeHistoryDay, mergeStatus, planRecompute, type PlanInput, type RecomputePlan } from '../../shared/recompute/plan';
import { emptyHistory, emptyStatus } from '../../shared/recompute/score-documents';
import type { LoadedState } from '../../shared/state/state-store';
import type { AssociationsDoc, CustomersDoc, ProfessionalsDoc, ProfileDoc, TelemetryDoc } from '../../shared/state/documents';
import type { HistoryDoc, ScoreStatusDoc } from '../../shared/score-history/documents';
import type { AreaStatus } from '../../shared/scoring';

// The plan is pure: these tests need no emulator.

const DATE = '2026-11-20';
const NOW = new Date('2026-11-20T02:00:00.000Z');

function loadedState(partnerId: string, date = DATE): LoadedState {
  const docs = snapshotToStateDocs(generateSnapshot({ tenants: 10, associations: 20, professionals: 5, months: 24, date, seed: 7, partnerId }), { now: NOW.toISOString() });
  const [profile, associations, professionals, ...rest] = docs;
  return {
    profile: profile as ProfileDoc,
    associations: associations as AssociationsDoc,
    professionals: professionals as ProfessionalsDoc,
    telemetry: rest.filter((d): d is TelemetryDoc => d.type === 'telemetry'),
    customers: rest.filter((d): d is CustomersDoc => d.type === 'customers'),
  };
}

const input = (state: LoadedState, status: ScoreStatusDoc | undefined, over: Partial<PlanInput> = {}): PlanInput => ({ partnerId: state.profile.partnerId, state, status, date: DATE, settings: {}, now: NOW, reason: 'manual', ...over });

function writePlan(plan: RecomputePlan): Extract<RecomputePlan, { kind: 'write' }> {
  if (plan.kind !== 'write') throw new Error(`expected a plan that writes, got ${plan.why}`);
  return plan;
}

/** The status document a committed plan leaves behind. */
function committedStatus(plan: RecomputePlan): ScoreStatusDoc {
  const p = writePlan(plan);
  const doc = emptyStatus(p.day.partnerId, p.day.date);
  expect(mergeStatus(doc, p.status!)).toBe(true);
  return doc;
}

describe('the recompute plan (pure)', () => {
  it('plans the same documents for the same inputs', () => {
    const state = loadedState('plan-a');
    expect(planRecompute(input(state, undefined))).toEqual(planRecompute(input(loadedState('plan-a'), undefined)));
  });

  it("plans a partner's first result: day, history, status and directory entry, and no status change", () => {
    const state = loadedState('plan-b');
    const plan = writePlan(planRecompute(input(state, undefined, { runId: 'run-1', reason: 'nightly' })));
    expect(plan.firstResult).toBe(true);
    expect(plan.statusChanges).toEqual([]);
    expect(plan.alerts.filter((a) => a.kind === 'status-changed')).toEqual([]);
    expect(plan.day).toMatchObject({ id: `score:${DATE}`, partnerId: 'plan-b', date: DATE, stateVersion: state.profile.stateVersion });
    expect(plan.day.areas).toHaveLength(6);
    expect(plan.history).toMatchObject({ month: '2026-11', date: DATE });
    expect(Object.keys(plan.history.entry)).toEqual(plan.day.areas.map((a) => a.area));
    expect(plan.status).toMatchObject({ latestDate: DATE, stateVersion: state.profile.stateVersion, computedAt: NOW.toISOString(), reason: 'nightly', lastRunId: 'run-1' });
    expect(plan.status?.areas).toEqual(plan.day.areas);
  });

  it('plans nothing when the stored status already holds the same result', () => {
    const state = loadedState('plan-c');
    const status = committedStatus(planRecompute(input(state, undefined)));
    expect(planRecompute(input(state, status, { reason: 'nightly', now: new Date('2026-11-20T05:00:00.000Z') }))).toEqual({ kind: 'nothing-changed', why: 'same-result' });
  });

  it('turns a status change against the stored status into a status alert', () => {
    const state = loadedState('plan-d');
    const status = committedStatus(planRecompute(input(state, undefined)));
    const area = status.areas[0]!;
    const before: AreaStatus = area.status === 'in-progress' ? 'not-started' : 'in-progress';
    const stored: ScoreStatusDoc = { ...status, contentHash: 'earlier', areas: status.areas.map((a) => (a.area === area.area ? { ...a, status: before } : a)) };
    const plan = writePlan(planRecompute(input(state, stored)));
    expect(plan.firstResult).toBe(false);
    expect(plan.statusChanges).toEqual([{ area: area.area, from: before, to: area.status }]);
    expect(plan.alerts).toContainEqual(
      expect.objectContaining({ id: `status:${area.area}:${DATE}:${area.status}`, kind: 'status-changed', area: area.area, date: DATE, from: before, to: area.status, total: area.total }),
    );
  });

  it('plans no writes from a state older than the stored result of the same day', () => {
    const state = loadedState('plan-e');
    const status = committedStatus(planRecompute(input(state, undefined)));
    const newer: ScoreStatusDoc = { ...status, stateVersion: state.profile.stateVersion + 1, contentHash: 'newer' };
    expect(planRecompute(input(state, newer))).toEqual({ kind: 'nothing-changed', why: 'older-state' });
  });

  it('leaves the current status alone when an earlier day is recomputed', () => {
    const state = loadedState('plan-f');
    const status = committedStatus(planRecompute(input(state, undefined)));
    const plan = writePlan(planRecompute(input(state, status, { date: '2026-11-10' })));
    expect(plan.status).toBeUndefined();
    expect(plan.statusChanges).toEqual([]);
    expect(plan.day.date).toBe('2026-11-10');
  });
});

describe('eligible to enrol from the stored daily history', () => {
  it('an area that qualified earlier in its window and is below 70 today is eligible-to-enroll, and the status keeps the day', () => {
    const state = loadedState('plan-elig');
    const first = writePlan(planRecompute(input(state, undefined)));
    const below = first.day.areas.find((a) => !a.qualifiesToday && a.status === 'in-progress');
    if (!below) throw new Error('the generated partner has no area below 70');
    const plan = writePlan(planRecompute(input(state, committedStatus(first), { lastQualifiedOn: { [below.area]: '2026-08-14' } })));
    const area = plan.day.areas.find((a) => a.area === below.area)!;
    expect(area).toMatchObject({ status: 'eligible-to-enroll', eligibility: { qualifiedOn: '2026-08-14', eligibleUntil: '2027-01-31' } });
    expect(plan.status!.lastQualifiedOn[below.area]).toBe('2026-08-14');
    expect(plan.statusChanges).toContainEqual({ area: below.area, from: 'in-progress', to: 'eligible-to-enroll' });
    // Outside the window it is in progress again.
    const late = writePlan(planRecompute(input(state, undefined, { lastQualifiedOn: { [below.area]: '2026-05-31' } })));
    expect(late.day.areas.find((a) => a.area === below.area)!.status).toBe('in-progress');
  });

  it('records today for an area that qualifies today', () => {
    const state = loadedState('plan-elig2');
    const plan = writePlan(planRecompute(input(state, undefined)));
    for (const a of plan.day.areas.filter((x) => x.qualifiesToday)) expect(plan.status!.lastQualifiedOn[a.area]).toBe(DATE);
  });

  it('reads the latest qualifying day of each area from history documents', () => {
    const docs: (HistoryDoc | undefined)[] = [
      { ...emptyHistory('p', '2026-11'), days: { '2026-11-02': { security: { t: 71, q: true, s: 'qualified' as AreaStatus } }, '2026-11-20': { security: { t: 75, q: true, s: 'qualified' as AreaStatus } } } },
      { ...emptyHistory('p', '2026-09'), days: { '2026-09-30': { security: { t: 60, q: false, s: 'in-progress' as AreaStatus }, 'modern-work': { t: 80, q: true, s: 'qualified' as AreaStatus } } } },
      undefined,
    ];
    expect(lastQualifiedFromHistory(docs, '2026-11-20')).toEqual({ security: '2026-11-02', 'modern-work': '2026-09-30' });
  });
});

describe('the guards a plan is written with', () => {
  const plan = writePlan(planRecompute(input(loadedState('guard'), undefined)));

  it('never puts a day document computed from an older state over a newer one', () => {
    const newer = { ...plan.day, stateVersion: plan.day.stateVersion + 1, areas: [] };
    expect(mergeDay(newer, plan.day)).toBe(false);
    expect(newer.areas).toEqual([]);
    const older = { ...plan.day, stateVersion: plan.day.stateVersion - 1, areas: [] };
    expect(mergeDay(older, plan.day)).toBe(true);
    expect(older).toEqual(plan.day);
  });

  it('writes a history day only when it differs', () => {
    const doc = emptyHistory('guard', plan.history.month);
    expect(mergeHistoryDay(doc, plan.history)).toBe(true);
    expect(doc.days[DATE]).toEqual(plan.history.entry);
    expect(mergeHistoryDay(doc, plan.history)).toBe(false);
  });

  it('moves the status only forward: not to an earlier day, not to the same result, not to an older state', () => {
    const update = plan.status!;
    const later = { ...emptyStatus('guard', '2026-11-21'), contentHash: 'later' };
    expect(mergeStatus(later, update)).toBe(false);
    expect(later.latestDate).toBe('2026-11-21');
    const same = committedStatus(plan);
    expect(mergeStatus(same, update)).toBe(false);
    const newer = { ...same, contentHash: 'newer', stateVersion: update.stateVersion + 1 };
    expect(mergeStatus(newer, update)).toBe(false);
    expect(newer.contentHash).toBe('newer');
    const stale = { ...same, contentHash: 'stale', lastRunId: 'run-0' };
    expect(mergeStatus(stale, update)).toBe(true);
    expect(stale).toMatchObject({ contentHash: update.contentHash, stateVersion: update.stateVersion });
    expect(stale.lastRunId).toBeUndefined();
  });
});
