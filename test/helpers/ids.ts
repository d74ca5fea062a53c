import { randomBytes } from 'node:crypto';

/**
 * Test files share one emulator pair per run (and a developer's reruns share nothing else), so every partner,
 * message, database or container a test creates gets a name of its own from here.
 */
export const uniqueSuffix = () => randomBytes(4).toString('hex');

export const uid = (prefix: string) => `${prefix}-${uniqueSuffix()}`;

export const newPartnerId = (prefix = 'p') => uid(prefix);
