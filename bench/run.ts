/**
 * Benchmark dispatcher: `npm run bench -- <name> [args]` runs bench/<name>.ts.
 * To add a benchmark, add a file exporting `run(args)` and one line to BENCHMARKS.
 */

export interface Benchmark {
  run(args: string[]): void | Promise<void>;
}

const BENCHMARKS: Record<string, () => Benchmark> = {
  // Lazy requires, so one benchmark's set-up cost never touches another's figures.
  scoring: () => require('./scoring') as Benchmark,
  ingest: () => require('./ingest') as Benchmark,
  certsync: () => require('./certsync') as Benchmark,
  recompute: () => require('./recompute') as Benchmark,
  imports: () => require('./imports') as Benchmark,
  freshness: () => require('./freshness') as Benchmark,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? BENCHMARKS[name] : undefined;
  if (!load) {
    console.error(`usage: npm run bench -- <name> [args]\nbenchmarks: ${Object.keys(BENCHMARKS).join(', ')}`);
    return 2;
  }
  await load().run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
