import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bundleVersion } from '../../shared/http/dashboard-assets';

/**
 * Bundles the dashboard (dashboard/src, its npm packages and styles) into dist/dashboard/app.js, app.css and
 * index.html, as part of `npm run build`. Everything the page loads is in these three files: no CDN, no font
 * service, so it works offline and its CSP can be 'self' only.
 */
const ROOT = path.join(__dirname, '..', '..', '..');
export const DASHBOARD_OUT = path.join(ROOT, 'dist', 'dashboard');

export async function buildDashboard(out = DASHBOARD_OUT): Promise<{ files: Record<string, { bytes: number; gzipBytes: number }>; version: string }> {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'dashboard', 'src', 'main.ts')],
    outfile: path.join(out, 'app.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    legalComments: 'eof',
    logLevel: 'warning',
  });
  const js = readFileSync(path.join(out, 'app.js'));
  const css = readFileSync(path.join(out, 'app.css'));
  const version = bundleVersion(js, css);
  const html = readFileSync(path.join(ROOT, 'dashboard', 'index.html'), 'utf8').replaceAll('__VERSION__', version);
  writeFileSync(path.join(out, 'index.html'), html);
  const files: Record<string, { bytes: number; gzipBytes: number }> = {};
  for (const [name, data] of [['app.js', js], ['app.css', css], ['index.html', Buffer.from(html)]] as const) files[name] = { bytes: data.length, gzipBytes: gzipSync(data).length };
  return { files, version };
}

if (require.main === module) {
  buildDashboard().then(
    (r) => {
      const gz = Object.values(r.files).reduce((n, f) => n + f.gzipBytes, 0);
      process.stdout.write(`dashboard bundle ${r.version}: ${Object.entries(r.files).map(([n, f]) => `${n} ${(f.bytes / 1024).toFixed(1)} KB`).join(', ')} (${(gz / 1024).toFixed(1)} KB gzipped)\n`);
    },
    (e: unknown) => {
      process.stderr.write(`dashboard build failed: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
