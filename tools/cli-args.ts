/** `--name value`, `--name=value` and bare `--flag` (= "true"); everything else is positional. */
export function parseFlags(argv: readonly string[]): { positionals: string[]; flags: Record<string, string> } {
  const flags: Record<string, string> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (v !== undefined) flags[k] = v;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags[k] = argv[++i]!;
    else flags[k] = 'true';
  }
  return { positionals, flags };
}
