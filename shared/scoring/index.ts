/**
 * Public API of the scoring engine: pure and synchronous (no I/O, no clock; the date is an argument).
 * Other modules should import from here only.
 */
export {
  AREAS,
  AREA_NAMES,
  ASSOCIATION_TYPES,
  ASSOCIATION_STATUSES,
  CPOR_ROLES,
  PLATFORMS,
  OFFER_TYPES,
  TRACKS,
  SEGMENTS,
  CLOUDS,
  SNAPSHOT_SCHEMA_VERSION,
  partnerSnapshotSchema,
  associationSchema,
  professionalSchema,
  certificationHoldingSchema,
  telemetryRowSchema,
  customerSchema,
  enrollmentSchema,
  parseSnapshot,
  SnapshotError,
} from './snapshot';
export type {
  AreaId,
  AssociationType,
  CporRole,
  Platform,
  Track,
  PartnerSnapshot,
  PartnerSnapshotInput,
  Customer,
  Association,
  Professional,
  CertificationHolding,
  TelemetryRow,
  Enrollment,
} from './snapshot';
export type {
  AreaScore,
  AreaStatus,
  ExplanationLine,
  Family,
  Gap,
  GapHint,
  GapStep,
  GapPlan,
  GapCosts,
  GapLever,
  MetricId,
  MetricScore,
  PartnerScore,
  ScoreOptions,
  ScoringSettings,
  ScoringSettingsInput,
  TrackScore,
  Eligibility,
} from './types';
export { AREA_STATUSES } from './types';
export { classifiedAreas, TRACK_LABELS } from './tracks';
export { scorePartner, scoreArea, metricPasses, QUALIFYING_TOTAL } from './engine';
export { planToQualify, DEFAULT_GAP_COSTS, LEVER_CAP, SEARCH_BUDGET, type PlanInput } from './gap';
export { applyChanges, simulationChangeSchema, type SimulationChange, type ChangeProblem } from './changes';
export {
  qualificationWindow,
  evaluateQualificationWindow,
  scoreQualificationWindow,
  withEligibility,
  eligibleUntilAfter,
  type WindowBounds,
  type DailyQualification,
  type WindowResult,
  type AreaWindowResult,
} from './qualification';
export { listCertifications, holdingVerdict, expiryOf, isLinkedOn, eligibleUntilOf, type CertificationInfo, type HoldingVerdict } from './certifications';
export { ruleSetFor, ruleSetByVersion, allRuleSets, loadRuleSet, RULE_VERSIONS, RuleSetError } from './rules';
export type { RuleSet, CertificationDef, MetricRule } from './rules/schema';
export { ruleSetSchema } from './rules/schema';
export { DEFAULT_SCORING_SETTINGS, resolveSettings, scoringSettingsFromApp } from './settings';
export { formatLine, fmt } from './explain';
export { workloadKey } from './telemetry-streams';
export {
  resolveCertification,
  resolveCertificationId,
  suggestCertifications,
  describeSuggestion,
  certificationAlias,
  normaliseCertName,
  normaliseExamCode,
  type CertificationSuggestion,
} from './certification-names';
export { CERTIFICATION_ALIASES, type CertificationAlias } from './rules/certification-aliases';
export { certificationCatalog, certificationCatalogQuerySchema, type CertificationCatalog, type CatalogCertification } from './certification-catalog';
