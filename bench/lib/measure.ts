/**
 * Shared timing helpers for the benchmarks in bench/. `npm run bench` starts node with --expose-gc, so runs can
 * start from a collected heap and timings are not skewed by garbage left over from set-up.
 */

export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

export interface Timing {
  medianMs: number;
  minMs: number;
  runs: number;
}

/** Runs `fn` `warmup` times untimed, then `runs` times; reports the median and the fastest run. */
export function time<T>(fn: () => T, opts: { runs?: number; warmup?: number } = {}): Timing & { last: T } {
  const runs = opts.runs ?? 7;
  const warmup = opts.warmup ?? 2;
  let last!: T;
  for (let i = 0; i < warmup; i++) last = fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    const t0 = process.hrtime.bigint();
    last = fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]!, minMs: samples[0]!, runs, last };
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function fmtMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

/** Every benchmark ends by printing this line, before its own final ratio line. */
export function printPeakRss(): void {
  console.log(`peak_rss_mb=${peakRssMb().toFixed(1)}`);
}
