/**
 * Bodies from outside, as text and as JSON: the one place that decides which bytes and which JSON values the service
 * accepts. Invalid UTF-8 would be replaced by U+FFFD (so the stored text is not what was sent, and a signature over the
 * bytes no longer matches), a lone surrogate (`"\ud800"`) is a string no UTF-8 store or message can hold faithfully,
 * and JSON nested deeper than any body of this API overflows the stack of whatever serialises it next.
 */

/** A refusal names the field (`path`, `(body)` for the whole body), why (`reason`), and says it in a sentence (`message`). */
export type Checked<T> = { ok: true; value: T } | { ok: false; path: string; reason: string; message: string };

/** Deeper than any request body of the API (a delivery is about 5 levels) and far below what overflows the stack. */
export const MAX_JSON_DEPTH = 64;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The offset of the first byte that does not begin a well-formed UTF-8 sequence, or -1 when all of it is valid. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const trailing = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (trailing === 0) return i;
    // The second byte's range is what excludes overlong forms, encoded surrogates (ED A0..BF) and code points above U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= trailing; k++) {
      const b = bytes[i + k];
      if (b === undefined || b < (k === 1 ? low : 0x80) || b > (k === 1 ? high : 0xbf)) return i;
    }
    i += trailing + 1;
  }
  return -1;
}

/** Decodes UTF-8, refusing (rather than replacing) an invalid byte. */
export function decodeUtf8(bytes: Uint8Array, what = 'The request body'): Checked<string> {
  try {
    return { ok: true, value: strictUtf8.decode(bytes) };
  } catch {
    const at = invalidUtf8Offset(bytes);
    const hex = at >= 0 ? ` (0x${bytes[at]!.toString(16).padStart(2, '0')} at byte ${at})` : '';
    return { ok: false, path: '(body)', reason: `not valid UTF-8${hex}`, message: `${what} is not valid UTF-8${hex}: send the text encoded as UTF-8.` };
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const escaped = (s: string): string => {
  const m = LONE_SURROGATE.exec(s)!;
  return `\\u${m[0].charCodeAt(0).toString(16)}`;
};

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * The first problem of a parsed JSON value that the rest of the service could not carry: a lone surrogate in a
 * string or key, or nesting deeper than MAX_JSON_DEPTH. Iterative, so the check itself cannot overflow.
 */
export function jsonValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): { path: string; message: string } | undefined {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return { path: path || '(body)', message: `holds a lone surrogate (${escaped(v)}), which is not text: send valid Unicode` };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { path: path || '(body)', message: `is nested deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: pathOf(path, i), depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i]!;
      if (LONE_SURROGATE.test(k)) return { path: pathOf(path, k), message: `the key holds a lone surrogate (${escaped(k)}), which is not text: send valid Unicode` };
      stack.push({ v: child, path: pathOf(path, k), depth: depth + 1 });
    }
  }
  return undefined;
}

/** JSON.parse, then jsonValueProblem: a value here can be validated, stored, signed and queued. */
export function parseJsonText(text: string, what = 'The request body'): Checked<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const reason = `not valid JSON: ${(e as Error).message}`;
    return { ok: false, path: '(body)', reason, message: `${what} is ${reason}` };
  }
  const problem = jsonValueProblem(value);
  if (problem) return { ok: false, path: problem.path, reason: problem.message, message: `${what} is refused: ${problem.path} ${problem.message}.` };
  return { ok: true, value };
}
