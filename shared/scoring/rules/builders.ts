import type { Bound, Range } from './schema';

/**
 * Tiny helpers that keep the rule data files readable; they only build plain objects and hold no rule values,
 * so a version's numbers live in its own file and editing one version never changes another.
 */

export const gte = (value: number): Bound => ({ value, inclusive: true });
export const gt = (value: number): Bound => ({ value, inclusive: false });
export const lte = (value: number): Bound => ({ value, inclusive: true });

export const atLeast = (value: number): Range => ({ min: gte(value) });
export const moreThan = (value: number): Range => ({ min: gt(value) });
export const between = (min: number, max: number): Range => ({ min: gte(min), max: lte(max) });

export type TrackName = 'enterprise' | 'smb';

/** A value that differs by track: rule files keep each area's such values in one table of these. */
export type PerTrack<T> = { readonly [t in TrackName]: T };

/** Both tracks of an area, each built from the same template reading the area's per-track table. */
export const bothTracks = <T>(build: (track: TrackName) => T): { enterprise: T; smb: T } => ({ enterprise: build('enterprise'), smb: build('smb') });
