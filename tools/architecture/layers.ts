import { parseCli } from '../cli-args';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layers of the code base, lowest first. A module may import from its own folder and from any lower layer,
 * never from a higher one, and never sideways into another folder of the same layer: a sideways import is how
 * folder loops start. docs/architecture.md explains what each folder owns.
 */
export const LAYERS: readonly (readonly string[])[] = [
  // The dashboard is a browser app beside the lowest layer: it imports nothing of the server's (the sideways rule
  // keeps it from shared/lib) and nothing of the server imports it (BROWSER_ONLY below).
  ['shared/lib', 'dashboard'],
  ['shared/scoring'],
  ['shared/config'],
  ['shared/store', 'shared/queues', 'shared/storage'],
  ['shared/state', 'shared/runs', 'shared/deadletters', 'shared/health', 'shared/access'],
  ['shared/score-history', 'shared/events', 'shared/forecast'],
  ['shared/alerts'],
  ['shared/recompute'],
  ['shared/deliveries', 'shared/certsync', 'shared/simulation'],
  ['shared/webhooks', 'shared/imports', 'shared/partner-center'],
  ['shared/http'],
  ['functions'],
  ['tools'],
  ['bench'],
  ['test'],
];

/** Packages that only some folders may import at run time (type-only imports are erased and allowed). */
const PACKAGE_OWNERS: Record<string, readonly string[]> = {
  '@azure/functions': ['functions', 'tools', 'test'],
  '@azure/cosmos': ['shared/store', 'tools', 'bench', 'test'],
};

/** The engine is pure: no I/O and no package but zod. The dashboard runs in a browser: no package but its chart library. */
const PURE_FOLDERS: Record<string, readonly string[]> = { 'shared/scoring': ['zod'], dashboard: ['uplot'] };

/** Browser code, bundled by tools/dashboard/build.ts: only tests import it; the server never runs it. */
const BROWSER_ONLY: Record<string, readonly string[]> = { dashboard: ['test'] };

export interface ImportEdge {
  from: string;
  to: string;
  /** The specifier as written. */
  spec: string;
  typeOnly: boolean;
  line: number;
}

export interface Violation {
  file: string;
  line: number;
  spec: string;
  reason: string;
}

/** The folder (a key of LAYERS) that owns a repository-relative path, or undefined outside the layered tree. */
export function folderOf(file: string): string | undefined {
  let best: string | undefined;
  for (const layer of LAYERS) for (const f of layer) if ((file === f || file.startsWith(`${f}/`)) && (!best || f.length > best.length)) best = f;
  return best;
}

export function rankOf(folder: string): number {
  return LAYERS.findIndex((l) => l.includes(folder));
}

const SOURCE_DIRS = ['shared', 'functions', 'tools', 'bench', 'test', 'dashboard'];

/** Every TypeScript source below the layered folders, repository-relative with forward slashes. */
export function listSources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(rel);
      } else if (/\.m?ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(root, d))) walk(d);
  return out.sort();
}

/** The static imports of one file: import and export declarations, require(), import() and vi.mock() specifiers. */
export function importsOf(file: string, text: string): ImportEdge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node, spec: string, typeOnly: boolean) => {
    edges.push({ from: file, to: resolveSpec(file, spec), spec, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0]!)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.kind === ts.SyntaxKind.ImportKeyword ? 'import' : '';
      if (['require', 'import', 'mock', 'doMock'].includes(name)) add(node, (node.arguments[0] as ts.StringLiteral).text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

/** A relative specifier as a repository-relative path without extension; a package name as itself. */
function resolveSpec(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), spec)).replace(/\.(m?ts|js)$/, '');
}

const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

/** What is wrong with one import, or undefined when it goes down the layers. */
export function checkEdge(edge: ImportEdge): string | undefined {
  const fromFolder = folderOf(edge.from);
  if (!fromFolder) return undefined;
  if (!edge.spec.startsWith('.')) {
    const pkg = packageOf(edge.spec);
    const pure = PURE_FOLDERS[fromFolder];
    if (pure && !pure.includes(pkg)) return `${fromFolder} is pure and may import no package but ${pure.join(', ')}`;
    const owners = PACKAGE_OWNERS[pkg];
    if (owners && !edge.typeOnly && !owners.some((o) => fromFolder === o || fromFolder.startsWith(`${o}/`))) return `only ${owners.join(', ')} may import ${pkg} (other folders: type-only imports)`;
    return undefined;
  }
  const toFolder = folderOf(edge.to);
  if (!toFolder) return edge.to.startsWith('..') || !SOURCE_DIRS.some((d) => edge.to.startsWith(`${d}/`)) ? undefined : `imports ${edge.to}, which belongs to no layer`;
  if (toFolder === fromFolder) return undefined;
  const browserImporters = BROWSER_ONLY[toFolder];
  if (browserImporters && !browserImporters.includes(fromFolder)) return `${toFolder} is the browser app; only ${browserImporters.join(', ')} may import it`;
  const from = rankOf(fromFolder);
  const to = rankOf(toFolder);
  if (to > from) return `${fromFolder} (layer ${from}) imports ${toFolder} (layer ${to}), a higher layer`;
  if (to === from) return `${fromFolder} imports ${toFolder}, a folder of the same layer (${from})`;
  return undefined;
}

// Parsing is most of the check's time, and a test run checks the tree several times: a file whose text is unchanged
// is not parsed again. One entry per source file of the tree, so the cache is as large as the tree.
const parsed = new Map<string, { text: string; edges: ImportEdge[] }>();
function cachedImportsOf(file: string, text: string): ImportEdge[] {
  const hit = parsed.get(file);
  if (hit?.text === text) return hit.edges;
  const edges = importsOf(file, text);
  parsed.set(file, { text, edges });
  return edges;
}

/**
 * Every import in the tree that breaks the layering. `extra` adds or replaces files by their repository-relative
 * path, so a test can show that an upward import is caught.
 */
export function findViolations(root: string, extra: Record<string, string> = {}): Violation[] {
  const files = new Set([...listSources(root), ...Object.keys(extra)]);
  const out: Violation[] = [];
  for (const file of [...files].sort()) {
    const text = extra[file] ?? fs.readFileSync(path.join(root, file), 'utf8');
    for (const edge of cachedImportsOf(file, text)) {
      const reason = checkEdge(edge);
      if (reason) out.push({ file, line: edge.line, spec: edge.spec, reason });
    }
  }
  return out;
}

export const formatViolation = (v: Violation) => `${v.file}:${v.line} imports '${v.spec}': ${v.reason}`;

if (require.main === module) {
  const parsed = parseCli(process.argv.slice(2), { usage: 'usage: node dist/tools/architecture/layers.js\nLists every import that goes up or sideways in the layers of docs/architecture.md (also run by npx vitest run test/architecture).\n  -h, --help  print this text', options: {} });
  if (typeof parsed === 'number') process.exit(parsed);
  const violations = findViolations(path.join(__dirname, '..', '..', '..'));
  for (const v of violations) console.error(formatViolation(v));
  console.log(violations.length ? `${violations.length} import(s) break the layering` : 'imports go down the layers');
  process.exitCode = violations.length ? 1 : 0;
}
