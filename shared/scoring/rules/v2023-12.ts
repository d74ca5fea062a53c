import type { RuleSetInput } from './schema';
import { SECURITY_STEP3_2023, securityArea2023, securitySkilling2023, v2023 } from './v2023';

/**
 * SEC23 announced a Security skilling change effective 1 Dec 2023: two people per gate step, and
 * Security Operations Analyst no longer earns points in step 3. Everything else is the 2023 rule set.
 */
export const v2023_12: RuleSetInput = {
  ...v2023,
  version: 'v2023-12',
  name: 'Microsoft Learn pages of 2023 with the 1 Dec 2023 Security skilling change',
  effectiveFrom: '2023-12-01',
  effectiveFromNote: 'SEC23 gives 1 Dec 2023 for the Security step change; the rest of the 2023 rules continue until v2026.',
  areas: {
    ...v2023.areas,
    security: securityArea2023(securitySkilling2023(2, SECURITY_STEP3_2023.filter((c) => c !== 'security-operations-analyst-associate'))),
  },
};
