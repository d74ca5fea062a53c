import type { ScoringSettings } from './types';

/** The readings chosen for the reference's open questions; docs/scoring.md lists why. */
export const DEFAULT_SCORING_SETTINGS: Readonly<ScoringSettings> = Object.freeze({
  qualifyMetricTest: 'gt0',
  azureUsageGrowthBasis: 'month',
  growthPointsRounding: 'linear',
  negativeNet: 'floor-zero',
  azureSmbRule: 'customer-share',
  bestTrackSelection: 'higher-total',
  requireActiveAssociation: true,
  skillingLagDays: 0,
});

export function resolveSettings(partial?: Partial<ScoringSettings>): ScoringSettings {
  if (!partial) return { ...DEFAULT_SCORING_SETTINGS };
  const out: ScoringSettings = { ...DEFAULT_SCORING_SETTINGS };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/** Maps the app's QUALIFY_METRIC_TEST setting (shared/config/settings.ts) onto the engine settings. */
export function scoringSettingsFromApp(app: { QUALIFY_METRIC_TEST?: 'gt0' | 'gte1' }): Partial<ScoringSettings> {
  return app.QUALIFY_METRIC_TEST ? { qualifyMetricTest: app.QUALIFY_METRIC_TEST } : {};
}
