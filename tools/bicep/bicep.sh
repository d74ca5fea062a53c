#!/usr/bin/env bash
# Runs the official Bicep CLI with the given arguments: `npm run bicep -- build infra/main.bicep`.
#
# Where it comes from, first match wins:
#   1. BICEP_BIN, if set (to test a specific binary);
#   2. `bicep` on PATH;
#   3. `az bicep`, if the Azure CLI already has its Bicep installed (az would download it otherwise,
#      which needs an internet connection the project machines do not have);
#   4. the NuGet package Azure.Bicep.CommandLine.linux-x64, restored by `dotnet restore` of
#      tools/bicep/BicepCli.csproj into the repo-local, git-ignored .bicep/ folder. npm and Debian have
#      no Bicep compiler; NuGet has the official binary, and the project machines reach NuGet.
#
# Set BICEP_SOURCE=nuget to skip 2 and 3: the tests do, so that lint results do not depend on
# whichever Bicep version a machine happens to have.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# BICEP_STORE moves the restore elsewhere (the tests prove a cold restore in an empty folder that way).
store="${BICEP_STORE:-$root/.bicep}"
csproj="$here/BicepCli.csproj"

log() { printf 'bicep.sh: %s\n' "$*" >&2; }

if [[ -n "${BICEP_BIN:-}" ]]; then
  exec "$BICEP_BIN" "$@"
fi

if [[ "${BICEP_SOURCE:-auto}" != nuget ]]; then
  if command -v bicep >/dev/null 2>&1; then
    exec bicep "$@"
  fi
  # `az bicep version` would offer to download; only use az when its Bicep binary is already there.
  if command -v az >/dev/null 2>&1 && [[ -x "${AZURE_CONFIG_DIR:-$HOME/.azure}/bin/bicep" ]]; then
    exec az bicep "$@"
  fi
fi

# The version lives in the csproj only, so that bumping it is a one-line change.
version="$(sed -n 's/.*Include="Azure.Bicep.CommandLine.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' "$csproj")"
if [[ -z "$version" ]]; then
  log "cannot read the Bicep version from $csproj"
  exit 2
fi
bin="$store/packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"

if [[ ! -x "$bin" ]]; then
  if ! command -v dotnet >/dev/null 2>&1; then
    log "no bicep on PATH, no az bicep, and no dotnet to restore Azure.Bicep.CommandLine.linux-x64 $version"
    exit 127
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  export DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false
  mkdir -p "$store"
  # Parallel callers (test files run in parallel forks) would race on the same restore.
  exec 9>"$store/restore.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  if [[ ! -x "$bin" ]]; then
    log "restoring Azure.Bicep.CommandLine.linux-x64 $version from NuGet into .bicep/ (once)"
    started=$SECONDS
    restore_log="$store/restore.log"
    # The obj folder goes to .bicep/ too, so the restore leaves nothing in the source tree.
    if ! dotnet restore "$csproj" \
      --packages "$store/packages" \
      -p:BaseIntermediateOutputPath="$store/obj/" \
      -p:MSBuildProjectExtensionsPath="$store/obj/" \
      --nologo --verbosity quiet >"$restore_log" 2>&1; then
      log "dotnet restore failed; its output:"
      cat "$restore_log" >&2
      exit 1
    fi
    if [[ ! -f "$bin" ]]; then
      # The package layout changed: find the binary rather than guess.
      found="$(find "$store/packages/azure.bicep.commandline.linux-x64/$version" -type f -name bicep | head -n 1)"
      if [[ -z "$found" ]]; then
        log "restored the package but found no bicep binary in it"
        exit 1
      fi
      bin="$found"
    fi
    # NuGet extracts files without their execute bit.
    chmod +x "$bin"
    log "restored Bicep $version in $((SECONDS - started)) s"
  fi
  exec 9>&-
fi

exec "$bin" "$@"
