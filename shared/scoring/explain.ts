import type { Bound, Range } from './rules/schema';
import type { ExplanationLine } from './types';

/** Wording helpers for explanation lines; kept allocation-light because large partners produce thousands of lines. */

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const neg = n < 0;
  let a = Math.abs(n);
  const rounded = Math.round(a * 100) / 100;
  a = rounded;
  const int = Math.floor(a);
  const frac = Math.round((a - int) * 100);
  let s = String(int);
  if (int >= 1000) {
    let out = '';
    while (s.length > 3) {
      out = `,${s.slice(-3)}${out}`;
      s = s.slice(0, -3);
    }
    s += out;
  }
  if (frac > 0) s += frac % 10 === 0 ? `.${frac / 10}` : `.${frac < 10 ? '0' : ''}${frac}`;
  return neg ? `-${s}` : s;
}

export function pts(n: number): string {
  return `${fmt(n)} pt${Math.abs(n - 1) < 1e-9 ? '' : 's'}`;
}

function boundText(b: Bound, side: 'min' | 'max'): string {
  if (side === 'min') return `${b.inclusive ? 'at least' : 'more than'} ${fmt(b.value)}`;
  return `${b.inclusive ? 'at most' : 'less than'} ${fmt(b.value)}`;
}

export function rangeText(r: Range): string {
  if (r.min && r.max) return `${fmt(r.min.value)}${r.min.inclusive ? '' : ' (exclusive)'} to ${fmt(r.max.value)}${r.max.inclusive ? '' : ' (exclusive)'}`;
  if (r.min) return boundText(r.min, 'min');
  if (r.max) return boundText(r.max, 'max');
  return 'any amount';
}

export const counted = (subject: string, reason: string): ExplanationLine => ({ kind: 'counted', subject, reason });
export const notCounted = (subject: string, reason: string): ExplanationLine => ({ kind: 'not-counted', subject, reason });
export const note = (subject: string, reason: string): ExplanationLine => ({ kind: 'note', subject, reason });

export function formatLine(l: ExplanationLine): string {
  const verb = l.kind === 'counted' ? 'counted' : l.kind === 'not-counted' ? 'not counted' : '';
  return verb ? `${l.subject} ${verb}: ${l.reason}` : `${l.subject}: ${l.reason}`;
}

export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

type Render = (a: unknown, b: unknown, c: unknown, d: unknown) => string;

/**
 * An explanation line whose words are composed when read. Large partners produce tens of thousands of per-tenant
 * lines; keeping their ingredients (tenant, value, precomputed phrases) instead of finished strings keeps scoring
 * fast, and JSON output (toJSON) and readers of `subject`/`reason` see ordinary text.
 */
export class LazyLine implements ExplanationLine {
  constructor(
    readonly kind: ExplanationLine['kind'],
    private readonly subjectOf: Render,
    private readonly s1: unknown,
    private readonly s2: unknown,
    private readonly reasonOf: Render,
    private readonly r1: unknown,
    private readonly r2?: unknown,
    private readonly r3?: unknown,
    private readonly r4?: unknown,
  ) {}

  get subject(): string {
    return this.subjectOf(this.s1, this.s2, undefined, undefined);
  }

  get reason(): string {
    return this.reasonOf(this.r1, this.r2, this.r3, this.r4);
  }

  toJSON(): { kind: ExplanationLine['kind']; subject: string; reason: string } {
    return { kind: this.kind, subject: this.subject, reason: this.reason };
  }
}
