import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The command line of every CLI in tools/ (score, seed, send, npm start, schemas, the fault suite), read with Node's
 * `util.parseArgs` in strict mode: an unknown option or a missing value is an error, never a silently ignored word.
 * `--help` (or `-h`) prints the usage on stdout and exits 0; a usage error prints what was wrong, the usage and how to
 * get help on stderr and exits 2, as command-line tools conventionally do.
 */

export type CliOptions = NonNullable<ParseArgsConfig['options']>;

export interface CliSpec<O extends CliOptions> {
  /** The usage text: first line `usage: ...`, then one line per option. */
  usage: string;
  options: O;
  /** How many positional arguments the command takes (default none). */
  maxPositionals?: number;
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** A usage error a command finds after parsing (a bad value): reported like a parse error, exit code 2. */
export class UsageError extends Error {}

export type Values<O extends CliOptions> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };
export type Parsed<O extends CliOptions> = { values: Values<O>; positionals: string[] };

/** Plain words for Node's parse errors, which speak of the parser ("To specify a positional argument..."). */
function describe(e: Error & { code?: string }): string {
  const option = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option ?? e.message}`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return option && /argument missing/.test(e.message) ? `${option} needs a value` : e.message.replace(/\.$/, '');
  return e.message;
}

/** Reports a usage error as every CLI does; returns the exit code 2. */
export function usageError(spec: { usage: string }, message: string, io: CliIo = consoleIo): 2 {
  io.err(`error: ${message}`);
  io.err(spec.usage);
  io.err('Run it with --help for this text on stdout.');
  return 2;
}

/**
 * Parses `argv`; returns the options and positionals, or the exit code to end with (0 after --help, 2 after a usage
 * error, both already printed).
 */
export function parseCli<O extends CliOptions>(argv: readonly string[], spec: CliSpec<O>, io: CliIo = consoleIo): Parsed<O> | number {
  const options = { ...spec.options, help: { type: 'boolean', short: 'h' } } as O;
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true }) as unknown as Parsed<O>;
  } catch (e) {
    return usageError(spec, describe(e as Error & { code?: string }), io);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.out(spec.usage);
    return 0;
  }
  const max = spec.maxPositionals ?? 0;
  if (parsed.positionals.length > max) return usageError(spec, `unexpected argument ${parsed.positionals[max]}`, io);
  return parsed;
}

/**
 * Runs a tool's `main` as the process's command and makes its answer the exit code; an unexpected error is printed
 * with its stack and exits 1 (usage errors exit 2 from parseCli before that).
 */
export function runAsCommand(main: (argv: string[]) => number | Promise<number>): void {
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => (process.exitCode = code),
      (e: unknown) => {
        console.error(e);
        process.exitCode = 1;
      },
    );
}
