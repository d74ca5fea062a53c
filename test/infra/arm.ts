/**
 * A small evaluator of compiled ARM templates, so that tests can assert on what a deployment would
 * create (resource names, app settings, containers) rather than on expression strings.
 *
 * It covers the template language the Bicep CLI emits for infra/: parameters with defaults and
 * allowed values, variables, conditions, copy loops, nested deployments (modules) with their outputs,
 * lambdas, and the functions listed in FUNCTIONS. Values only Azure knows at deployment time (a
 * reference() to a resource's runtime properties) become RuntimeValue placeholders that name what they
 * read. An unknown function throws, so a template using something new fails the tests loudly instead
 * of being half-evaluated.
 */
import { createHash } from 'node:crypto';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/** A value that exists only at deployment time, such as a managed identity's principal id. */
export class RuntimeValue {
  constructor(readonly path: string) {}
  toString(): string {
    return `<runtime:${this.path}>`;
  }
  toJSON(): string {
    return this.toString();
  }
}

/** A template's own fail('...'): the deployment would stop with this message. */
export class TemplateFailure extends Error {}

export interface DeployedResource {
  /** Symbolic name in its template (with [i] for a copy loop). */
  symbol: string;
  /** Module symbols from the root down to the template that declares the resource. */
  module: string[];
  type: string;
  apiVersion: string;
  name: string;
  existing: boolean;
  location?: string;
  tags?: Record<string, string>;
  kind?: string;
  sku?: Json;
  identity?: Json;
  scope?: string;
  properties?: Json;
}

export interface Deployment {
  resources: DeployedResource[];
  outputs: Record<string, Json>;
}

export interface DeploymentContext {
  subscriptionId: string;
  tenantId: string;
  resourceGroup?: string;
  deploymentName: string;
}

export const DEFAULT_CONTEXT: DeploymentContext = {
  subscriptionId: '11111111-1111-1111-1111-111111111111',
  tenantId: '22222222-2222-2222-2222-222222222222',
  deploymentName: 'main',
};

// ---------------------------------------------------------------------------------------------
// Expression parser

type Ast =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'call'; name: string; args: Ast[] }
  | { k: 'prop'; obj: Ast; name: string }
  | { k: 'index'; obj: Ast; idx: Ast };

export function parseExpression(src: string): Ast {
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const expect = (c: string) => {
    ws();
    if (src[i] !== c) throw new Error(`ARM expression: expected '${c}' at ${i} in ${src}`);
    i++;
  };
  const primary = (): Ast => {
    ws();
    const c = src[i];
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`ARM expression: unterminated string in ${src}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      return { k: 'str', v: s };
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      i += num[0].length;
      return { k: 'num', v: Number(num[0]) };
    }
    const id = /^[A-Za-z_][A-Za-z0-9_.]*?(?=\s*\()/.exec(src.slice(i));
    if (!id) throw new Error(`ARM expression: unexpected '${src.slice(i, i + 20)}' in ${src}`);
    i += id[0].length;
    expect('(');
    const args: Ast[] = [];
    ws();
    if (src[i] === ')') i++;
    else {
      for (;;) {
        args.push(expr());
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        expect(')');
        break;
      }
    }
    return { k: 'call', name: id[0].toLowerCase(), args };
  };
  const expr = (): Ast => {
    let node = primary();
    for (;;) {
      ws();
      if (src[i] === '.') {
        i++;
        ws();
        const m = /^[A-Za-z0-9_$#-]+/.exec(src.slice(i));
        if (!m) throw new Error(`ARM expression: bad property access at ${i} in ${src}`);
        i += m[0].length;
        node = { k: 'prop', obj: node, name: m[0] };
      } else if (src[i] === '[') {
        i++;
        const idx = expr();
        expect(']');
        node = { k: 'index', obj: node, idx };
      } else return node;
    }
  };
  const ast = expr();
  ws();
  if (i !== src.length) throw new Error(`ARM expression: trailing text at ${i} in ${src}`);
  return ast;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

interface Lambda {
  lambda: true;
  names: string[];
  body: Ast;
  scope: Scope;
}

interface Scope {
  tpl: TemplateState;
  copy: { name?: string; index: number } | undefined;
  lambdaVars: Record<string, Json>;
}

interface TemplateState {
  template: Json;
  params: Record<string, Json>;
  varCache: Map<string, Json>;
  varInProgress: Set<string>;
  modulePath: string[];
  ctx: DeploymentContext;
  resources: Map<string, Json>;
  moduleOutputs: Map<string, Record<string, Json>>;
  deployed: DeployedResource[];
}

const isLambda = (v: Json): v is Lambda => typeof v === 'object' && v !== null && v.lambda === true;

function hash(parts: Json[]): Buffer {
  return createHash('sha256').update(parts.map((p) => String(p)).join('\u0000')).digest();
}

function uniqueString(parts: Json[]): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const h = hash(parts);
  let s = '';
  for (let j = 0; j < 13; j++) s += alphabet[h[j]! % 32];
  return s;
}

function guid(parts: Json[]): string {
  const h = hash(parts).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function deepEqual(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function armString(v: Json): string {
  if (typeof v === 'string') return v;
  if (v instanceof RuntimeValue) return v.toString();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  return JSON.stringify(v);
}

function resourceIdOf(ctx: DeploymentContext, scopeRg: string | undefined, args: Json[], subscriptionLevel: boolean): string {
  const typeAt = args.findIndex((a) => typeof a === 'string' && a.includes('/'));
  if (typeAt < 0) throw new Error(`resourceId: no resource type in ${JSON.stringify(args)}`);
  const lead = args.slice(0, typeAt).map(armString);
  const type = String(args[typeAt]);
  const names = args.slice(typeAt + 1).map(armString);
  const [ns, ...types] = type.split('/');
  const path = `${ns}/${types.map((t, n) => `${t}/${names[n] ?? '?'}`).join('/')}`;
  let sub = ctx.subscriptionId;
  let rg = scopeRg;
  if (lead.length === 2) [sub, rg] = [lead[0]!, lead[1]!];
  else if (lead.length === 1) {
    if (subscriptionLevel) sub = lead[0]!;
    else rg = lead[0]!;
  }
  if (subscriptionLevel || rg === undefined) return `/subscriptions/${sub}/providers/${path}`;
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${path}`;
}

const LAZY = new Set(['if', 'lambda', 'and', 'or', 'coalesce']);

/** The functions this evaluator knows; anything else is an error. */
const FUNCTIONS: Record<string, (args: Json[], s: Scope) => Json> = {
  parameters: ([n], s) => {
    if (!(n in s.tpl.params)) throw new Error(`parameters('${n}'): not declared`);
    return s.tpl.params[n];
  },
  variables: ([n], s) => variable(s.tpl, String(n)),
  copyindex: (args, s) => {
    if (!s.copy) throw new Error('copyIndex() outside a copy loop');
    const offset = typeof args[args.length - 1] === 'number' ? (args[args.length - 1] as number) : 0;
    return s.copy.index + offset;
  },
  format: ([fmt, ...args]) =>
    String(fmt).replace(/\{(\d+)(?::[^}]*)?\}/g, (_m, n: string) => armString(args[Number(n)])),
  concat: (args) =>
    args.some(Array.isArray) ? args.flatMap((a) => (Array.isArray(a) ? a : [a])) : args.map(armString).join(''),
  union: (args) => {
    if (args.every(Array.isArray)) {
      const out: Json[] = [];
      for (const a of args) for (const x of a) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }
    return Object.assign({}, ...args);
  },
  createobject: (args) => {
    const o: Record<string, Json> = {};
    for (let j = 0; j < args.length; j += 2) o[String(args[j])] = args[j + 1];
    return o;
  },
  createarray: (args) => args,
  equals: ([a, b]) => deepEqual(a, b),
  not: ([a]) => !a,
  greater: ([a, b]) => a > b,
  greaterorequals: ([a, b]) => a >= b,
  less: ([a, b]) => a < b,
  lessorequals: ([a, b]) => a <= b,
  empty: ([a]) =>
    a === null ||
    a === undefined ||
    (typeof a === 'string' && a.length === 0) ||
    (Array.isArray(a) && a.length === 0) ||
    (typeof a === 'object' && !(a instanceof RuntimeValue) && Object.keys(a).length === 0),
  length: ([a]) => (Array.isArray(a) || typeof a === 'string' ? a.length : Object.keys(a).length),
  contains: ([a, b]) =>
    typeof a === 'string' ? a.includes(String(b)) : Array.isArray(a) ? a.some((x) => deepEqual(x, b)) : b in a,
  trygetvalue: (args) => FUNCTIONS.tryget!(args, undefined as never),
  tryget: ([obj, ...keys]) => {
    let v = obj;
    for (const k of keys) {
      if (v instanceof RuntimeValue) return new RuntimeValue(`${v.path}.${k}`);
      if (v === null || v === undefined || typeof v !== 'object') return null;
      v = v[k];
    }
    return v === undefined ? null : v;
  },
  null: () => null,
  true: () => true,
  false: () => false,
  string: ([a]) => armString(a),
  int: ([a]) => Number.parseInt(String(a), 10),
  bool: ([a]) => a === true || String(a).toLowerCase() === 'true',
  json: ([a]) => JSON.parse(String(a)),
  toupper: ([a]) => armString(a).toUpperCase(),
  tolower: ([a]) => armString(a).toLowerCase(),
  replace: ([a, b, c]) => armString(a).split(String(b)).join(String(c)),
  take: ([a, n]) => (Array.isArray(a) ? a.slice(0, n) : armString(a).slice(0, n)),
  skip: ([a, n]) => (Array.isArray(a) ? a.slice(n) : armString(a).slice(n)),
  first: ([a]) => (Array.isArray(a) ? a[0] : armString(a)[0]),
  last: ([a]) => (Array.isArray(a) ? a[a.length - 1] : armString(a).slice(-1)),
  join: ([a, sep]) => (a as Json[]).map(armString).join(String(sep)),
  split: ([a, sep]) => armString(a).split(String(sep)),
  range: ([start, count]) => Array.from({ length: count as number }, (_x, j) => (start as number) + j),
  uniquestring: (args) => uniqueString(args),
  guid: (args) => guid(args),
  lambdavariables: ([n], s) => {
    if (!(String(n) in s.lambdaVars)) throw new Error(`lambdaVariables('${n}'): not in scope`);
    return s.lambdaVars[String(n)];
  },
  map: ([arr, fn]) => (arr as Json[]).map((x, j) => call(fn, [x, j])),
  filter: ([arr, fn]) => (arr as Json[]).filter((x, j) => call(fn, [x, j])),
  toobject: ([arr, keyFn, valFn]) =>
    Object.fromEntries((arr as Json[]).map((x) => [armString(call(keyFn, [x])), valFn ? call(valFn, [x]) : x])),
  subscription: (_a, s) => ({
    id: `/subscriptions/${s.tpl.ctx.subscriptionId}`,
    subscriptionId: s.tpl.ctx.subscriptionId,
    tenantId: s.tpl.ctx.tenantId,
  }),
  tenant: (_a, s) => ({ tenantId: s.tpl.ctx.tenantId }),
  // The public cloud's endpoints, the part templates here read.
  environment: () => ({
    name: 'AzureCloud',
    authentication: { loginEndpoint: 'https://login.microsoftonline.com/', audiences: ['https://management.core.windows.net/'] },
  }),
  // A deployment stops at fail() with its message; so does the evaluation.
  fail: ([message]) => {
    throw new TemplateFailure(armString(message));
  },
  deployment: (_a, s) => ({ name: s.tpl.ctx.deploymentName }),
  resourcegroup: (_a, s) => {
    if (!s.tpl.ctx.resourceGroup) throw new Error('resourceGroup() at subscription scope');
    return {
      name: s.tpl.ctx.resourceGroup,
      id: `/subscriptions/${s.tpl.ctx.subscriptionId}/resourceGroups/${s.tpl.ctx.resourceGroup}`,
      location: new RuntimeValue('resourceGroup.location'),
    };
  },
  resourceid: (args, s) => resourceIdOf(s.tpl.ctx, s.tpl.ctx.resourceGroup, args, false),
  subscriptionresourceid: (args, s) => resourceIdOf(s.tpl.ctx, undefined, args, true),
  extensionresourceid: ([scope, type, ...names]) => {
    const [ns, ...types] = String(type).split('/');
    return `${armString(scope)}/providers/${ns}/${types.map((t, n) => `${t}/${armString(names[n])}`).join('/')}`;
  },
  reference: ([target], s) => reference(s.tpl, String(target)),
};

function call(fn: Json, values: Json[]): Json {
  if (!isLambda(fn)) throw new Error('expected a lambda');
  const vars = { ...fn.scope.lambdaVars };
  fn.names.forEach((n, j) => (vars[n] = values[j]));
  return evalAst(fn.body, { ...fn.scope, lambdaVars: vars });
}

function evalAst(ast: Ast, s: Scope): Json {
  switch (ast.k) {
    case 'str':
      return ast.v;
    case 'num':
      return ast.v;
    case 'prop': {
      const obj = evalAst(ast.obj, s);
      if (obj instanceof RuntimeValue) return new RuntimeValue(`${obj.path}.${ast.name}`);
      if (obj === null || obj === undefined) throw new Error(`property '${ast.name}' of ${String(obj)}`);
      if (!(ast.name in obj)) throw new Error(`no property '${ast.name}' in ${JSON.stringify(obj).slice(0, 200)}`);
      return obj[ast.name];
    }
    case 'index': {
      const obj = evalAst(ast.obj, s);
      const idx = evalAst(ast.idx, s);
      if (obj instanceof RuntimeValue) return new RuntimeValue(`${obj.path}[${armString(idx)}]`);
      const v = obj?.[idx];
      if (v === undefined) throw new Error(`index ${armString(idx)} not found`);
      return v;
    }
    case 'call': {
      const a = ast.args;
      if (LAZY.has(ast.name)) {
        switch (ast.name) {
          case 'if':
            return evalAst(a[0]!, s) ? evalAst(a[1]!, s) : evalAst(a[2]!, s);
          case 'and':
            return a.every((x) => evalAst(x, s));
          case 'or':
            return a.some((x) => evalAst(x, s));
          case 'coalesce':
            for (const x of a) {
              const v = evalAst(x, s);
              if (v !== null && v !== undefined) return v;
            }
            return null;
          case 'lambda': {
            const names = a.slice(0, -1).map((x) => evalAst(x, s) as string);
            return { lambda: true, names, body: a[a.length - 1]!, scope: s } satisfies Lambda;
          }
        }
      }
      const fn = FUNCTIONS[ast.name];
      if (!fn) throw new Error(`ARM function '${ast.name}' is not supported by the test evaluator`);
      return fn(
        a.map((x) => evalAst(x, s)),
        s,
      );
    }
  }
}

/** Evaluates a template value: '[...]' strings are expressions, '[[' escapes a literal '['. */
function evalValue(v: Json, s: Scope): Json {
  if (typeof v === 'string') {
    if (v.startsWith('[[')) return v.slice(1);
    if (v.startsWith('[') && v.endsWith(']')) return evalAst(parseExpression(v.slice(1, -1)), s);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => evalValue(x, s));
  if (v !== null && typeof v === 'object') {
    // Property names can be expressions too (e.g. a user-assigned identity's resource id).
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [armString(evalValue(k, s)), evalValue(x, s)]));
  }
  return v;
}

function rootScope(tpl: TemplateState): Scope {
  return { tpl, copy: undefined, lambdaVars: {} };
}

function variable(tpl: TemplateState, name: string): Json {
  if (tpl.varCache.has(name)) return tpl.varCache.get(name);
  const vars = tpl.template.variables ?? {};
  let value: Json;
  if (tpl.varInProgress.has(name)) throw new Error(`variable '${name}' refers to itself`);
  tpl.varInProgress.add(name);
  const loop = (vars.copy ?? []).find((c: Json) => c.name === name);
  if (loop) {
    const count = evalValue(loop.count, rootScope(tpl)) as number;
    value = Array.from({ length: count }, (_x, index) =>
      evalValue(loop.input, { tpl, copy: { name, index }, lambdaVars: {} }),
    );
  } else {
    if (!(name in vars)) throw new Error(`variables('${name}'): not declared`);
    value = evalValue(vars[name], rootScope(tpl));
  }
  tpl.varInProgress.delete(name);
  tpl.varCache.set(name, value);
  return value;
}

function reference(tpl: TemplateState, target: string): Json {
  const res = tpl.resources.get(target);
  if (res && res.type === 'Microsoft.Resources/deployments' && !res.copy) {
    const outputs = deployModule(tpl, target, res, rootScope(tpl));
    return { outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v }])) };
  }
  return new RuntimeValue([...tpl.modulePath, target].join('/'));
}

function deployModule(tpl: TemplateState, symbol: string, res: Json, s: Scope): Record<string, Json> {
  const key = s.copy ? `${symbol}[${s.copy.index}]` : symbol;
  const done = tpl.moduleOutputs.get(key);
  if (done) return done;
  const props = res.properties ?? {};
  if (props.expressionEvaluationOptions?.scope !== 'inner') {
    throw new Error(`module ${symbol}: only inner-scoped nested templates are supported`);
  }
  const paramValues = Object.fromEntries(
    Object.entries(props.parameters ?? {}).map(([k, p]: [string, Json]) => [k, evalValue(p.value, s)]),
  );
  const rg = res.resourceGroup !== undefined ? armString(evalValue(res.resourceGroup, s)) : tpl.ctx.resourceGroup;
  const inner = evaluate(props.template, paramValues, { ...tpl.ctx, resourceGroup: rg }, [...tpl.modulePath, key]);
  tpl.deployed.push(...inner.resources);
  tpl.moduleOutputs.set(key, inner.outputs);
  return inner.outputs;
}

function checkParam(name: string, def: Json, value: Json): void {
  if (def.allowedValues && !def.allowedValues.some((a: Json) => deepEqual(a, value))) {
    throw new Error(`parameter ${name}: ${JSON.stringify(value)} is not one of ${JSON.stringify(def.allowedValues)}`);
  }
  if (typeof value === 'number') {
    if (def.minValue !== undefined && value < def.minValue) throw new Error(`parameter ${name}: ${value} < ${def.minValue}`);
    if (def.maxValue !== undefined && value > def.maxValue) throw new Error(`parameter ${name}: ${value} > ${def.maxValue}`);
  }
  if (typeof value === 'string' || Array.isArray(value)) {
    if (def.minLength !== undefined && value.length < def.minLength) throw new Error(`parameter ${name}: shorter than ${def.minLength}`);
    if (def.maxLength !== undefined && value.length > def.maxLength) throw new Error(`parameter ${name}: longer than ${def.maxLength}`);
  }
  const expected = String(def.type ?? '').toLowerCase();
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const ok: Record<string, string[]> = {
    string: ['string'],
    securestring: ['string'],
    int: ['number'],
    bool: ['boolean'],
    array: ['array'],
    object: ['object'],
    secureobject: ['object'],
  };
  if (expected && ok[expected] && !ok[expected].includes(actual)) {
    throw new Error(`parameter ${name}: expected ${expected}, got ${actual}`);
  }
}

/**
 * Evaluates a template as a deployment would, given parameter values (missing ones take their
 * defaults). Returns every resource it would create, nested modules included, and its outputs.
 */
export function evaluate(
  template: Json,
  parameterValues: Record<string, Json> = {},
  ctx: DeploymentContext = DEFAULT_CONTEXT,
  modulePath: string[] = [],
): Deployment {
  const rawResources: [string, Json][] = Array.isArray(template.resources)
    ? template.resources.map((r: Json, j: number) => [String(j), r])
    : Object.entries(template.resources ?? {});
  const tpl: TemplateState = {
    template,
    params: {},
    varCache: new Map(),
    varInProgress: new Set(),
    modulePath,
    ctx,
    resources: new Map(rawResources),
    moduleOutputs: new Map(),
    deployed: [],
  };
  for (const name of Object.keys(parameterValues)) {
    if (!(name in (template.parameters ?? {}))) throw new Error(`parameter ${name} is not declared by the template`);
  }
  for (const [name, def] of Object.entries(template.parameters ?? {}) as [string, Json][]) {
    let value: Json;
    if (name in parameterValues) value = parameterValues[name];
    else if ('defaultValue' in def) value = evalValue(def.defaultValue, rootScope(tpl));
    else throw new Error(`parameter ${name} has no value and no default`);
    if (!(value instanceof RuntimeValue)) checkParam(name, def, value);
    tpl.params[name] = value;
  }

  for (const [symbol, res] of rawResources) {
    const iterations: (Scope['copy'])[] = res.copy
      ? Array.from({ length: evalValue(res.copy.count, rootScope(tpl)) as number }, (_x, index) => ({
          name: res.copy.name,
          index,
        }))
      : [undefined];
    for (const copy of iterations) {
      const s: Scope = { tpl, copy, lambdaVars: {} };
      if (res.condition !== undefined && !evalValue(res.condition, s)) continue;
      const sym = copy ? `${symbol}[${copy.index}]` : symbol;
      if (res.type === 'Microsoft.Resources/deployments') {
        deployModule(tpl, symbol, res, s);
        continue;
      }
      const existing = res.existing === true;
      const out: DeployedResource = {
        symbol: sym,
        module: modulePath,
        type: res.type,
        apiVersion: res.apiVersion,
        name: armString(evalValue(res.name, s)),
        existing,
      };
      if (!existing) {
        for (const field of ['location', 'tags', 'kind', 'sku', 'identity', 'scope', 'properties'] as const) {
          if (res[field] !== undefined) (out as Json)[field] = evalValue(res[field], s);
        }
      }
      tpl.deployed.push(out);
    }
  }

  const outputs: Record<string, Json> = {};
  for (const [name, def] of Object.entries(template.outputs ?? {}) as [string, Json][]) {
    if (def.condition !== undefined && !evalValue(def.condition, rootScope(tpl))) continue;
    outputs[name] = evalValue(def.value, rootScope(tpl));
  }
  return { resources: tpl.deployed, outputs };
}
