/**
 * A small reader of the KQL the alert rules run: enough of the language to name the table a query starts from and
 * every column each stage reads, and to follow the columns each stage produces (`where`, `summarize ... by`,
 * `extend`, `project`), so a test can compare them with the table's documented schema. It is not a KQL parser:
 * an operator it does not know is reported, so a new query shape makes the test fail instead of passing unread.
 */

export interface QueryCheck {
  table: string;
  /** Each column a stage reads that the table or the stage before does not have, and every other mistake. */
  problems: string[];
  /** The columns of the query's result (what `metricMeasureColumn` and `dimensions` may name). */
  output: string[];
}

// Words of the language that look like identifiers: operators inside expressions and literals.
const KEYWORDS = new Set(['and', 'or', 'not', 'between', 'by', 'true', 'false', 'null', 'in', 'has', 'contains', 'startswith', 'endswith', 'asc', 'desc']);

/** Splits on `sep` at the top level: not inside parentheses, brackets or string literals. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0, quote: string | undefined, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = undefined; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && text.startsWith(sep, i)) { parts.push(text.slice(start, i)); start = i + sep.length; }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** The column names an expression reads: identifiers that are not functions, keywords, numbers or strings. */
export function identifiersOf(expression: string): string[] {
  const noStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ');
  const found: string[] = [];
  for (const m of noStrings.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const after = noStrings.slice(m.index! + m[0].length).trimStart();
    const before = noStrings.slice(0, m.index!).trimEnd();
    if (after.startsWith('(')) continue; // a function: count(), toint(...), not(...)
    if (before.endsWith('.')) continue; // a property of a dynamic column: customDimensions.Category
    if (/^\d/.test(m[0]) || KEYWORDS.has(m[0])) continue;
    if (/\d$/.test(before) && /^(d|h|m|s|ms)$/.test(m[0])) continue; // a timespan literal: 15m
    found.push(m[0]);
  }
  return found;
}

/** `name = expression` or a bare expression (whose column is its own name when it is one). */
function assignment(part: string): { name?: string; expression: string } {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*([\s\S]*)$/.exec(part);
  return m ? { name: m[1]!, expression: m[2]! } : { expression: part };
}

/** Reads `query` against `schema` (table name -> its columns). */
export function checkQuery(query: string, schema: Record<string, readonly string[]>): QueryCheck {
  const [source, ...stages] = splitTopLevel(query, '|');
  const problems: string[] = [];
  const table = source ?? '';
  if (!schema[table]) return { table, problems: [`table "${table}" is not one of ${Object.keys(schema).join(', ')}`], output: [] };
  let columns = [...schema[table]!];
  let origin = `table ${table}`;
  const read = (expression: string, stage: string) => {
    for (const column of identifiersOf(expression)) {
      if (!columns.includes(column)) problems.push(`"${stage}" reads ${column}, which ${origin} does not have`);
    }
  };
  for (const stage of stages) {
    const m = /^([a-z-]+)\s+([\s\S]*)$/.exec(stage);
    const operator = m?.[1];
    const rest = m?.[2] ?? '';
    if (operator === 'where') read(rest, stage);
    else if (operator === 'extend') {
      const added: string[] = [];
      for (const part of splitTopLevel(rest, ',')) {
        const { name, expression } = assignment(part);
        read(expression, stage);
        if (name) added.push(name);
        else problems.push(`extend without a column name: ${part}`);
      }
      columns = [...columns, ...added];
    } else if (operator === 'summarize' || operator === 'project') {
      const [aggregates, by] = operator === 'summarize' ? splitTopLevel(rest, ' by ') : [rest];
      const produced: string[] = [];
      for (const part of [...splitTopLevel(aggregates ?? '', ','), ...(by ? splitTopLevel(by, ',') : [])]) {
        const { name, expression } = assignment(part);
        read(expression, stage);
        const own = identifiersOf(expression);
        const column = name ?? (own.length === 1 && own[0] === expression.trim() ? own[0] : undefined);
        if (column) produced.push(column);
        else problems.push(`an unnamed column in "${stage}": ${part}`);
      }
      columns = produced;
      origin = `the ${operator} before it`;
    } else problems.push(`stage "${stage}" uses an operator this reader does not know; teach test/infra/kql.ts`);
  }
  return { table, problems, output: columns };
}
