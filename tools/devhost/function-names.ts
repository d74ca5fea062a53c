/**
 * What Azure accepts as a function name, checked at start-up so a name that would fail (or half-work) in Azure is
 * seen locally first. Azure's rule: a letter first, then letters, digits, `_` or `-`, at most 127 characters. A
 * hyphen is accepted, but a function whose name holds one cannot be switched off with `AzureWebJobs.<name>.Disabled`
 * on Linux plans (Microsoft's "disable a function" page), so it is warned about too.
 */
const AZURE_FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,126}$/;

/** Why Azure would refuse the name or the Disabled switch would not work for it; undefined when the name is fine. */
export function functionNameProblem(name: string): string | undefined {
  if (!AZURE_FUNCTION_NAME.test(name)) {
    return `"${name}" is not a name Azure accepts (a letter first, then letters, digits, "_" or "-", at most 127 characters)`;
  }
  if (name.includes('-')) {
    return `"${name}" contains "-": on Linux plans AzureWebJobs.${name}.Disabled cannot be set; use camelCase`;
  }
  return undefined;
}
