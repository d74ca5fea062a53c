import { describe, expect, it } from 'vitest';
import { generateSnapshot } from '../../tools/fixtures/snapshot-generate';
import { parseSnapshot, scoreArea, scorePartner, scoreQualificationWindow, type PartnerSnapshot } from '../../shared/scoring';
import { makeContext, scoreAreaWith } from '../../shared/scoring/engine';

/**
 * The engine hands the telemetry buffers of a finished call to the next one (shared/scoring/context.ts). These
 * tests prove that a result never depends on what was scored before it, and stays the same after later calls
 * have reused its buffers.
 */

const DATE = '2026-11-15';
const snapshotOf = (tenants: number, seed: number): PartnerSnapshot =>
  parseSnapshot(generateSnapshot({ tenants, associations: tenants * 2, professionals: Math.ceil(tenants / 4), months: 24, date: DATE, seed, partnerId: `p-${seed}` }));

describe('scoring calls that reuse buffers', () => {
  const big = snapshotOf(1_200, 1); // more than one buffer chunk of telemetry
  const small = snapshotOf(40, 2);
  const other = snapshotOf(600, 3);

  it('gives every partner the result it gets alone, in any order of sizes', () => {
    const alone = [big, small, other].map((s) => JSON.stringify(scorePartner(s, { date: DATE })));
    const mixed = [other, big, small, big, other, small].map((s) => JSON.stringify(scorePartner(s, { date: DATE })));
    expect(mixed).toEqual([alone[2], alone[0], alone[1], alone[0], alone[2], alone[1]]);
    // The inputs are not all alike, so equal strings above are not a matter of every partner scoring the same.
    expect(new Set(alone).size).toBe(3);
  });

  it('keeps a returned result intact after later calls reuse its buffers', () => {
    const result = scorePartner(big, { date: DATE });
    const before = JSON.stringify(result);
    scorePartner(other, { date: DATE });
    scorePartner(small, { date: '2026-06-01' });
    scoreArea(other, 'security', { date: DATE });
    // Explanation lines are rendered lazily: rendering them now must still give the text of the call that made them.
    expect(JSON.stringify(result)).toBe(before);
  });

  it('scores the days of a qualification window alike before and after other partners', () => {
    const first = JSON.stringify(scoreQualificationWindow(other, { date: DATE, areas: ['data-ai', 'modern-work'] }));
    scorePartner(big, { date: DATE });
    expect(JSON.stringify(scoreQualificationWindow(other, { date: DATE, areas: ['data-ai', 'modern-work'] }))).toBe(first);
  });

  it('refuses to score with a context whose chunks were given back', () => {
    const ctx = makeContext(other, { date: DATE });
    const alone = JSON.stringify(scoreAreaWith(ctx, 'data-ai', true));
    ctx.release();
    expect(() => scoreAreaWith(ctx, 'infrastructure', true)).toThrow(/used after release/);
    expect(JSON.stringify(scoreArea(other, 'data-ai', { date: DATE }))).toBe(alone);
  });

  it('leaves the engine usable after a call that throws', () => {
    expect(() => scorePartner(big, { date: 'not-a-date' })).toThrow(/date must be a calendar date/);
    expect(() => scoreArea(big, 'no-such-area' as never, { date: DATE })).toThrow(/unknown area/);
    expect(JSON.stringify(scorePartner(small, { date: DATE }))).toBe(JSON.stringify(scorePartner(small, { date: DATE })));
  });
});
