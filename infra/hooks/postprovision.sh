#!/usr/bin/env bash
# azd postprovision hook: creates the Key Vault secret webhook-secret-<source> of every webhook source that has
# none yet, so the first delivery after `azd up` is verified instead of refused with 401 (an app setting that
# references a missing secret holds the reference text, not a secret). An existing secret is never changed:
# rotation is a deliberate step (docs/deploy.md). The values are generated here and go to Key Vault only; give
# a sender its secret with `az keyvault secret show`.
#
# Reads the template outputs azd puts in the environment: AZURE_KEY_VAULT_NAME, WEBHOOK_SOURCES (comma-separated
# source names), and AZURE_RESOURCE_GROUP + AZURE_FUNCTION_APP_NAME to make the app re-read its references.
set -euo pipefail

log() { printf 'postprovision: %s\n' "$*"; }
fail() { printf 'postprovision: %s\n' "$*" >&2; exit 1; }

sources="${WEBHOOK_SOURCES:-}"
if [[ -z "${sources//[, ]/}" ]]; then
  log "no webhook sources in webhookSources; no secret to create."
  exit 0
fi
vault="${AZURE_KEY_VAULT_NAME:-}"
[[ -n "$vault" ]] || fail "AZURE_KEY_VAULT_NAME is not set: run this as an azd hook (azd provision), or export it from 'azd env get-values'."
command -v az >/dev/null 2>&1 || fail "the Azure CLI (az) is not on PATH: install it, run 'az login', then 'azd hooks run postprovision'."

if ! existing="$(az keyvault secret list --vault-name "$vault" --query '[].name' --output tsv)"; then
  fail "could not list the secrets of Key Vault $vault: you need the Key Vault Secrets Officer role on it (principalId grants it in dev and test; see docs/deploy.md)."
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
created=0
IFS=',' read -r -a names <<<"$sources"
for raw in "${names[@]}"; do
  source="$(printf '%s' "$raw" | tr -d '[:space:]')"
  [[ -n "$source" ]] || continue
  secret="webhook-secret-$source"
  if grep -qxF "$secret" <<<"$existing"; then
    log "$secret exists; left as it is."
    continue
  fi
  # The value goes through a file readable only by this user, never on a command line (visible to ps).
  (umask 077 && node -e "process.stdout.write('whsec_' + require('crypto').randomBytes(32).toString('base64'))" >"$tmp/value")
  az keyvault secret set --vault-name "$vault" --name "$secret" --file "$tmp/value" --encoding utf-8 --output none
  rm -f "$tmp/value"
  log "created $secret. Give it to the sender: az keyvault secret show --vault-name $vault --name $secret --query value -o tsv"
  created=$((created + 1))
done

if (( created > 0 )) && [[ -n "${AZURE_RESOURCE_GROUP:-}" && -n "${AZURE_FUNCTION_APP_NAME:-}" ]]; then
  # The app's references were resolved when it was provisioned, before the secrets existed: re-read them now.
  app_id="$(az functionapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" --query id --output tsv)"
  az rest --method post --url "https://management.azure.com${app_id}/config/configreferences/appsettings/refresh?api-version=2022-03-01" --output none
  log "asked $AZURE_FUNCTION_APP_NAME to re-read its Key Vault references."
fi
log "$created secret(s) created."
