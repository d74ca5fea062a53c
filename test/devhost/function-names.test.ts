import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreApi, installCoreApi } from '../../tools/devhost/core-api';
import { functionNameProblem } from '../../tools/devhost/function-names';

/** A name Azure accepts and that `AzureWebJobs.<name>.Disabled` can switch off on every plan: no hyphen. */
const SWITCHABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,126}$/;

describe('function names', () => {
  it('every function the app registers (names built at run time included) can be switched off on Linux', async () => {
    // The registrations themselves, as the host reads them; installed before @azure/functions is first loaded.
    const core = new CoreApi(() => {});
    installCoreApi(core);
    const dir = path.resolve(__dirname, '..', '..', 'functions');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) await import(path.join(dir, file));
    const names = [...core.functions.keys()];
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((n) => !SWITCHABLE_NAME.test(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['applyEvents', 'scoreRecomputeNightly', 'deadLetterWebhookEvents', 'deadLetterScoreRecomputeRun']));
  });

  it('the local host names what Azure would refuse, and warns on a hyphen', () => {
    expect(functionNameProblem('scoreRecompute')).toBeUndefined();
    expect(functionNameProblem('dead_letter_2')).toBeUndefined();
    expect(functionNameProblem('a'.repeat(127))).toBeUndefined();
    expect(functionNameProblem('a'.repeat(128))).toMatch(/not a name Azure accepts/);
    expect(functionNameProblem('1st')).toMatch(/not a name Azure accepts/);
    expect(functionNameProblem('has.dot')).toMatch(/not a name Azure accepts/);
    expect(functionNameProblem('')).toMatch(/not a name Azure accepts/);
    expect(functionNameProblem('score-recompute')).toMatch(/contains "-": on Linux plans AzureWebJobs\.score-recompute\.Disabled cannot be set/);
  });
});
