import { scoringSettingsFromApp, type ScoringSettings } from '../scoring';
import { getSettings } from './settings';

/** The engine's settings as this deployment configures them (QUALIFY_METRIC_TEST, YEAR_AGO_ASSOCIATIONS). */
export function appScoringSettings(): Partial<ScoringSettings> {
  return scoringSettingsFromApp(getSettings());
}
