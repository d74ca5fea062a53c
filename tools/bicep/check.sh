#!/usr/bin/env bash
# Compiles and lints the infrastructure with the real Bicep CLI and fails on any error or warning:
#   main.bicep, every module, and every parameter file under env/.
# Usage: tools/bicep/check.sh [infra-dir]   (default: infra). Compiled JSON goes to .bicep/out/<dir name>/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
infra="${1:-$root/infra}"
infra="$(cd "$infra" && pwd)"
out="$root/.bicep/out/$(basename "$infra")"
mkdir -p "$out"

bicep() { bash "$here/bicep.sh" "$@"; }

failures=0
# Bicep prints diagnostics as `file(line,col) : Level code: message`; exit codes only reflect errors.
run() {
  local what="$1"
  shift
  local log
  log="$(mktemp)"
  local rc=0
  bicep "$@" >"$log" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]] || grep -Eq ' : (Error|Warning) ' "$log"; then
    printf 'FAIL %s (exit %d)\n' "$what" "$rc"
    sed "s#$root/##g" "$log"
    failures=$((failures + 1))
  else
    printf 'ok   %s\n' "$what"
  fi
  rm -f "$log"
}

started=$SECONDS
printf '%s\n' "$(bicep --version)"

if [[ ! -f "$infra/main.bicep" ]]; then
  echo "FAIL no main.bicep in $infra"
  exit 1
fi

# One CLI process per step (--pattern): each start costs about a second of CPU.
run "build main.bicep" build "$infra/main.bicep" --outfile "$out/main.json"
run "lint main.bicep and every module" lint --pattern "$infra/**/*.bicep"

shopt -s nullglob
params=("$infra"/env/*.bicepparam)
if [[ ${#params[@]} -gt 0 ]]; then
  names="$(for p in "${params[@]}"; do printf ' env/%s' "$(basename "$p")"; done)"
  run "build-params$names" build-params --pattern "$infra/env/*.bicepparam" --outdir "$out"
  run "lint$names" lint --pattern "$infra/env/*.bicepparam"
  for p in "${params[@]}"; do
    if [[ ! -s "$out/$(basename "$p" .bicepparam).json" ]]; then
      echo "FAIL build-params wrote nothing for env/$(basename "$p")"
      failures=$((failures + 1))
    fi
  done
fi

if [[ $failures -gt 0 ]]; then
  echo "bicep check: $failures step(s) failed ($((SECONDS - started)) s)"
  exit 1
fi
echo "bicep check: no errors, no warnings ($((SECONDS - started)) s)"
