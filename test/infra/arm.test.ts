/** The ARM evaluator the infra tests rely on: it must compute what ARM would, or fail loudly. */
import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, RuntimeValue, TemplateFailure } from './arm';

const tpl = (over: Record<string, unknown>) => ({ $schema: 'x', contentVersion: '1.0.0.0', resources: [], ...over });

describe('ARM evaluator', () => {
  it('evaluates parameters, variables, copy loops, conditions and lambdas', () => {
    const d = evaluate(
      tpl({
        parameters: { names: { type: 'array', defaultValue: ['a-b', 'c'] }, on: { type: 'bool' } },
        variables: {
          upper: "[toObject(parameters('names'), lambda('n', format('K_{0}', toUpper(replace(lambdaVariables('n'), '-', '_')))))]",
          literal: '[[not an expression]',
        },
        resources: [
          {
            type: 'X/y',
            apiVersion: '2020-01-01',
            name: "[format('r-{0}', parameters('names')[copyIndex()])]",
            copy: { name: 'loop', count: "[length(parameters('names'))]" },
            properties: { keys: "[variables('upper')]", lit: "[variables('literal')]" },
          },
          { type: 'X/z', apiVersion: '2020-01-01', name: 'skipped', condition: "[parameters('on')]" },
        ],
        outputs: { o: { type: 'string', value: "[join(map(parameters('names'), lambda('n', lambdaVariables('n'))), ',')]" } },
      }),
      { on: false },
    );
    expect(d.resources.map((r) => r.name)).toEqual(['r-a-b', 'r-c']);
    expect(d.resources[0]!.properties).toEqual({ keys: { K_A_B: 'a-b', K_C: 'c' }, lit: '[not an expression]' });
    expect(d.outputs.o).toBe('a-b,c');
  });

  it('evaluates modules and their outputs, and keeps runtime values as placeholders', () => {
    const inner = tpl({
      parameters: { n: { type: 'string' } },
      resources: { r: { type: 'X/y', apiVersion: '2020-01-01', name: "[parameters('n')]" } },
      outputs: { id: { type: 'string', value: "[reference('r').principalId]" } },
    });
    const d = evaluate(
      tpl({
        resources: {
          m: { type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'm', properties: { expressionEvaluationOptions: { scope: 'inner' }, parameters: { n: { value: 'inner-name' } }, template: inner } },
          user: { type: 'X/z', apiVersion: '2020-01-01', name: 'u', properties: { who: "[reference('m').outputs.id.value]" } },
        },
      }),
    );
    expect(d.resources.map((r) => `${r.module.join('/')}:${r.name}`)).toEqual(['m:inner-name', ':u']);
    const who = d.resources[1]!.properties.who;
    expect(who).toBeInstanceOf(RuntimeValue);
    expect(String(who)).toBe('<runtime:m/r.principalId>');
  });

  it('rejects what ARM would reject, and what it does not know', () => {
    const p = { mode: { type: 'string', allowedValues: ['a'] } };
    expect(() => evaluate(tpl({ parameters: p }), { mode: 'b' })).toThrow(/not one of/);
    expect(() => evaluate(tpl({ parameters: p }), {})).toThrow(/no value and no default/);
    expect(() => evaluate(tpl({}), { extra: 1 })).toThrow(/not declared/);
    expect(() => evaluate(tpl({ outputs: { k: { type: 'object', value: "[listKeys('x', '2020-01-01')]" } } }))).toThrow(/listkeys/);
    expect(() => parseExpression("concat('a'")).toThrow();
  });

  it("stops at a template's fail() only on the branch taken, and knows the public cloud's login endpoint", () => {
    const t = tpl({
      parameters: { id: { type: 'string', defaultValue: '' }, on: { type: 'bool', defaultValue: "[not(empty(parameters('id')))]" } },
      outputs: {
        issuer: { type: 'string', value: "[format('{0}t/v2.0', environment().authentication.loginEndpoint)]" },
        id: { type: 'string', value: "[if(and(parameters('on'), empty(parameters('id'))), fail('needs an id'), parameters('id'))]" },
      },
    });
    expect(evaluate(t).outputs).toEqual({ issuer: 'https://login.microsoftonline.com/t/v2.0', id: '' });
    expect(evaluate(t, { id: 'a' }).outputs.id).toBe('a');
    expect(() => evaluate(t, { on: true })).toThrow(TemplateFailure);
    expect(() => evaluate(t, { on: true })).toThrow('needs an id');
  });
});
