import type { FeaturePaths } from '../openapi-helpers';
import { accessPaths } from './access';
import { catalogPaths } from './catalog';
import { certSyncPaths } from './certsync';
import { dashboardPaths } from './dashboard';
import { deadLetterPaths } from './dead-letters';
import { healthPaths, openApiPaths } from './health';
import { importPaths } from './imports';
import { partnerCenterPaths } from './partner-center';
import { partnerStatePaths } from './partner-state';
import { scorePaths } from './scores';
import { webhookPaths } from './webhooks';

/** Every feature's routes. To document a new route: add a file here and one entry to this list. */
export const OPENAPI_PATHS: FeaturePaths[] = [healthPaths, openApiPaths, webhookPaths, partnerCenterPaths, deadLetterPaths, partnerStatePaths, certSyncPaths, importPaths, catalogPaths, scorePaths, accessPaths, dashboardPaths];
