import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HttpResponseInit } from '@azure/functions';
import { errorResponse } from './responses';

/**
 * The dashboard's files as the app serves them (GET /api/dashboard and /api/dashboard/{asset}): a fixed list, read
 * once from dist/dashboard/ (the bundle `npm run build` writes, tools/dashboard/build.ts), never a path from the request.
 * The page is the same for every caller and holds no data, so it is public; what it shows comes from API routes that
 * check the caller as always.
 */

export const DASHBOARD_FILES = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
} as const;
export type DashboardFile = keyof typeof DASHBOARD_FILES;

/**
 * Only the app's own origin: no inline script or style element, no external request of any kind, no framing. Styles
 * set through the CSSOM (uPlot sizes its canvas that way) are not inline styles and stay allowed.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The version the page's links carry (`app.js?v=...`): a hash of the bundle, so a new build is a new URL. */
export function bundleVersion(js: string | Buffer, css: string | Buffer): string {
  return createHash('sha256').update(js).update('\0').update(css).digest('hex').slice(0, 16);
}

export const DEFAULT_DASHBOARD_DIR = path.join(__dirname, '..', '..', 'dashboard');

interface Loaded {
  files: Record<DashboardFile, Buffer>;
  version: string;
}
let loaded: { dir: string; value: Loaded } | undefined;

function load(dir: string): Loaded | undefined {
  if (loaded?.dir === dir) return loaded.value;
  try {
    const files = Object.fromEntries(Object.keys(DASHBOARD_FILES).map((f) => [f, readFileSync(path.join(dir, f))])) as Record<DashboardFile, Buffer>;
    const value = { files, version: bundleVersion(files['app.js'], files['app.css']) };
    loaded = { dir, value };
    return value;
  } catch {
    return undefined;
  }
}

const isDashboardFile = (name: string): name is DashboardFile => Object.hasOwn(DASHBOARD_FILES, name);

/**
 * The response for one file of the dashboard. `asset` undefined is the page itself. The page is never cached (it
 * names the bundle's version); a file asked for with the current version is immutable, any other is revalidated.
 */
export function dashboardResponse(asset: string | undefined, version: string | null, dir = DEFAULT_DASHBOARD_DIR): HttpResponseInit {
  const name = asset ?? 'index.html';
  if (!isDashboardFile(name)) return errorResponse(404, 'NotFound', `The dashboard has no file "${name.slice(0, 100)}": it serves ${Object.keys(DASHBOARD_FILES).join(', ')}; the page is GET /api/dashboard.`);
  const bundle = load(dir);
  if (!bundle) return errorResponse(503, 'DashboardNotBuilt', 'The dashboard is not built: run npm run build (npm start and npm test build it).');
  const cache = name === 'index.html' ? 'no-cache' : version === bundle.version ? 'public, max-age=31536000, immutable' : 'no-cache';
  return {
    status: 200,
    body: bundle.files[name],
    headers: {
      'content-type': DASHBOARD_FILES[name],
      'cache-control': cache,
      etag: `"${bundle.version}"`,
      'content-security-policy': DASHBOARD_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    },
  };
}
