#!/usr/bin/env bash
# Audits the production dependencies against the registry's advisories: fails on any advisory, and skips with the
# reason printed when the advisories endpoint does not answer (an offline mirror or a registry without it).
set -uo pipefail
cd "$(dirname "$0")/../.."

# AUDIT_REPORT: a saved `npm audit --json` report to judge instead of asking the registry (for the script's tests).
if [[ -n "${AUDIT_REPORT:-}" ]]; then
  out="$AUDIT_REPORT"; status="${AUDIT_STATUS:-1}"
else
  out="$(mktemp)"
  timeout 120 npm audit --omit=dev --json >"$out" 2>/dev/null
  status=$?
fi
node - "$out" "$status" <<'JS'
const fs = require('node:fs');
const [file, status] = process.argv.slice(2);
let r;
try {
  r = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch {
  console.log(`audit skipped: npm audit gave no report (exit ${status}); the advisories endpoint did not answer`);
  process.exit(0);
}
if (r.metadata?.vulnerabilities) {
  const v = r.metadata.vulnerabilities;
  const found = Object.entries(v).filter(([k, n]) => k !== 'total' && n > 0);
  const deps = r.metadata.dependencies?.prod ?? r.metadata.dependencies?.total ?? '?';
  if (!found.length) {
    console.log(`audit: no advisories for the ${deps} production dependencies`);
    process.exit(0);
  }
  console.log(`audit: advisories for production dependencies: ${found.map(([k, n]) => `${n} ${k}`).join(', ')}`);
  for (const [name, info] of Object.entries(r.vulnerabilities ?? {})) console.log(`  ${name} (${info.severity}): ${info.range ?? ''} ${info.fixAvailable ? '(fix available)' : ''}`);
  process.exit(1);
}
const reason = r.error?.summary || r.message || `exit ${status}`;
console.log(`audit skipped: the advisories endpoint is unavailable (${String(reason).split('\n')[0]})`);
process.exit(0);
JS
