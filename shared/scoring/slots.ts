/**
 * Monthly values as fixed-size slots inside large shared Float64Array chunks, and the pool that hands them out.
 * Large partners have hundreds of thousands of telemetry rows, so the layout avoids an object per row, per month
 * or per tenant and source.
 */

/** How many months back the engine reads: two trailing-twelve-month windows plus the two-month NCA look-back. */
export const SPAN = 27;

export const MEASURE_INDEX = { acrUsd: 0, revenueUsd: 1, paidSeats: 2, activeUsers: 3, mcv: 4, protectedUsers: 5 } as const;
/** Money adds up across rows; seat and user counts describe a tenant's workload, so rows for the same one are not added. */
const MEASURE_IS_ADDITIVE = [true, true, false, false, true, false] as const;
const MEASURE_COUNT = 6;

/** A block of MEASURE_COUNT x SPAN values, laid out as [measure * SPAN + monthsAgo], inside a shared chunk. */
export interface Slot {
  buffer: Float64Array;
  offset: number;
  /** Owned by one source's aggregate (a merge target) rather than shared with the raw stream. */
  ownedBySource: boolean;
}

export const SLOT_LENGTH = MEASURE_COUNT * SPAN;
const SLOTS_PER_CHUNK = 512;

/** Adds `src` into `dst`: money sums (MCV units times the rate), counts take the larger value. */
export function mergeInto(dst: Slot, src: Slot, mcvRate: number): void {
  const d = dst.buffer;
  const s = src.buffer;
  // Literal measure count and MCV index (MEASURE_INDEX.mcv), as the hot loop was tuned with them.
  for (let mi = 0; mi < 6; mi++) {
    const dOff = dst.offset + mi * SPAN;
    const sOff = src.offset + mi * SPAN;
    const scale = mi === 4 ? mcvRate : 1;
    if (MEASURE_IS_ADDITIVE[mi]) for (let i = 0; i < SPAN; i++) d[dOff + i]! += s[sOff + i]! * scale;
    else for (let i = 0; i < SPAN; i++) if (s[sOff + i]! > d[dOff + i]!) d[dOff + i] = s[sOff + i]!;
  }
}

/**
 * The one module-level cache of the engine's memory: chunks given back by finished calls. A chunk is 663 KB held
 * outside the V8 heap; allocating fresh ones on every call made V8 run full collections for the external memory,
 * each costing time in proportion to the live heap, so scoring time grew faster than the partner. Reusing them means
 * no new external memory per call in steady state. Bound: after a call the pool keeps at most twice the chunks that
 * call used, so partners of mixed sizes reuse chunks and what stays held follows the size of the last partner scored.
 */
const freeChunks: Float64Array<ArrayBuffer>[] = [];

/** Hands out slots from shared chunks; one pool per scoring call, released when the call ends. */
export class SlotPool {
  private chunk = new Float64Array(0);
  private used = SLOTS_PER_CHUNK;
  private readonly taken: Float64Array<ArrayBuffer>[] = [];
  private released = false;
  alloc(): Slot {
    const offset = this.take();
    return { buffer: this.chunk, offset, ownedBySource: false };
  }
  /** Reserves a slot and returns its offset in chunkArray(). */
  take(): number {
    if (this.used === SLOTS_PER_CHUNK) {
      this.assertLive();
      const reused = freeChunks.pop();
      if (reused) reused.fill(0);
      this.chunk = reused ?? new Float64Array(SLOTS_PER_CHUNK * SLOT_LENGTH);
      this.taken.push(this.chunk);
      this.used = 0;
    }
    return SLOT_LENGTH * this.used++;
  }
  chunkArray(): Float64Array {
    return this.chunk;
  }
  /** Throws once the call has ended; the context checks it too, so the released state lives in one place. */
  assertLive(): void {
    if (this.released) throw new Error('scoring context used after release: its telemetry chunks belong to a later call');
  }
  /** Gives the chunks back for the next call; nothing may read this call's slots afterwards. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const c of this.taken) freeChunks.push(c);
    const keep = 2 * this.taken.length;
    if (freeChunks.length > keep) freeChunks.splice(0, freeChunks.length - keep);
    this.taken.length = 0;
    this.chunk = new Float64Array(0);
  }
}
