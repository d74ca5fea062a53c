import { DEFAULT_GAP_COSTS } from './gap';
import type { ScoringSettings, ScoringSettingsInput } from './types';

/** The readings chosen for the reference's open questions; docs/scoring.md lists why. */
export const DEFAULT_SCORING_SETTINGS: Readonly<ScoringSettings> = Object.freeze({
  qualifyMetricTest: 'gt0',
  azureUsageGrowthBasis: 'month',
  growthPointsRounding: 'linear',
  negativeNet: 'floor-zero',
  azureSmbRule: 'customer-share',
  bestTrackSelection: 'higher-total',
  requireActiveAssociation: true,
  yearAgoAssociations: 'in-effect-then',
  skillingLagDays: 0,
  gapCosts: DEFAULT_GAP_COSTS,
});

/**
 * Built as one literal with a fixed shape: the settings object is read in every hot loop, and a shape made by
 * spreading would be dropped by the garbage collector between calls, taking the optimised code with it.
 */
export function resolveSettings(partial: ScoringSettingsInput = {}): ScoringSettings {
  const d = DEFAULT_SCORING_SETTINGS;
  return {
    qualifyMetricTest: partial.qualifyMetricTest ?? d.qualifyMetricTest,
    azureUsageGrowthBasis: partial.azureUsageGrowthBasis ?? d.azureUsageGrowthBasis,
    growthPointsRounding: partial.growthPointsRounding ?? d.growthPointsRounding,
    negativeNet: partial.negativeNet ?? d.negativeNet,
    azureSmbRule: partial.azureSmbRule ?? d.azureSmbRule,
    bestTrackSelection: partial.bestTrackSelection ?? d.bestTrackSelection,
    requireActiveAssociation: partial.requireActiveAssociation ?? d.requireActiveAssociation,
    yearAgoAssociations: partial.yearAgoAssociations ?? d.yearAgoAssociations,
    skillingLagDays: partial.skillingLagDays ?? d.skillingLagDays,
    gapCosts: {
      customer: partial.gapCosts?.customer ?? d.gapCosts.customer,
      certifiedPerson: partial.gapCosts?.certifiedPerson ?? d.gapCosts.certifiedPerson,
      deployment: partial.gapCosts?.deployment ?? d.gapCosts.deployment,
      growthPoint: partial.gapCosts?.growthPoint ?? d.gapCosts.growthPoint,
    },
  };
}

/** Maps the app's QUALIFY_METRIC_TEST and YEAR_AGO_ASSOCIATIONS settings (shared/config/settings.ts) onto the engine settings. */
export function scoringSettingsFromApp(app: { QUALIFY_METRIC_TEST?: 'gt0' | 'gte1'; YEAR_AGO_ASSOCIATIONS?: ScoringSettings['yearAgoAssociations'] }): Partial<ScoringSettings> {
  const out: Partial<ScoringSettings> = {};
  if (app.QUALIFY_METRIC_TEST) out.qualifyMetricTest = app.QUALIFY_METRIC_TEST;
  if (app.YEAR_AGO_ASSOCIATIONS) out.yearAgoAssociations = app.YEAR_AGO_ASSOCIATIONS;
  return out;
}
