import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

let credential: TokenCredential | undefined;

/**
 * The one credential of the process. In Azure the user-assigned identity is named by AZURE_CLIENT_ID;
 * elsewhere (a developer against real Azure) DefaultAzureCredential finds the developer's login.
 */
export function getCredential(clientId = process.env.AZURE_CLIENT_ID): TokenCredential {
  credential ??= clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
  return credential;
}
