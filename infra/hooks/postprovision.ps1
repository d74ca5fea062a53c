# azd postprovision hook (Windows): the same steps as postprovision.sh. Creates the Key Vault secret
# webhook-secret-<source> of every webhook source that has none yet; never changes an existing secret.
$ErrorActionPreference = 'Stop'

function Log([string]$Message) { Write-Host "postprovision: $Message" }

$sources = @(($env:WEBHOOK_SOURCES ?? '') -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
if ($sources.Count -eq 0) { Log 'no webhook sources in webhookSources; no secret to create.'; exit 0 }
$vault = $env:AZURE_KEY_VAULT_NAME
if (-not $vault) { throw "AZURE_KEY_VAULT_NAME is not set: run this as an azd hook (azd provision), or set it from 'azd env get-values'." }
if (-not (Get-Command az -ErrorAction SilentlyContinue)) { throw "the Azure CLI (az) is not on PATH: install it, run 'az login', then 'azd hooks run postprovision'." }

$existing = @(az keyvault secret list --vault-name $vault --query '[].name' --output tsv)
if ($LASTEXITCODE -ne 0) { throw "could not list the secrets of Key Vault ${vault}: you need the Key Vault Secrets Officer role on it (see docs/deploy.md)." }

$created = 0
foreach ($source in $sources) {
  $secret = "webhook-secret-$source"
  if ($existing -contains $secret) { Log "$secret exists; left as it is."; continue }
  $bytes = [byte[]]::new(32)
  [System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
  # The value goes through a temporary file, never on a command line.
  $file = [System.IO.Path]::GetTempFileName()
  try {
    [System.IO.File]::WriteAllText($file, 'whsec_' + [Convert]::ToBase64String($bytes))
    az keyvault secret set --vault-name $vault --name $secret --file $file --encoding utf-8 --output none
    if ($LASTEXITCODE -ne 0) { throw "creating $secret failed." }
  } finally { Remove-Item -Force $file }
  Log "created $secret. Give it to the sender: az keyvault secret show --vault-name $vault --name $secret --query value -o tsv"
  $created++
}

if ($created -gt 0 -and $env:AZURE_RESOURCE_GROUP -and $env:AZURE_FUNCTION_APP_NAME) {
  $appId = az functionapp show --resource-group $env:AZURE_RESOURCE_GROUP --name $env:AZURE_FUNCTION_APP_NAME --query id --output tsv
  az rest --method post --url "https://management.azure.com$appId/config/configreferences/appsettings/refresh?api-version=2022-03-01" --output none
  Log "asked $($env:AZURE_FUNCTION_APP_NAME) to re-read its Key Vault references."
}
Log "$created secret(s) created."
