import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEdge, findViolations, formatViolation, importsOf, LAYERS } from '../../tools/architecture/layers';

const root = path.join(__dirname, '..', '..');

describe('imports go down the layers (docs/architecture.md)', () => {
  it('holds for every source file of the repository', () => {
    expect(findViolations(root).map(formatViolation)).toEqual([]);
  });

  it('catches an upward import added to the real tree', () => {
    const upward = findViolations(root, { 'shared/scoring/upward.ts': "import { recomputePartner } from '../recompute/partner';\nexport const x = recomputePartner;\n" });
    expect(upward.map(formatViolation)).toEqual(["shared/scoring/upward.ts:1 imports '../recompute/partner': shared/scoring (layer 1) imports shared/recompute (layer 7), a higher layer"]);
  });

  it('catches a sideways import between two folders of one layer, the start of a folder loop', () => {
    const sideways = findViolations(root, { 'shared/events/sideways.ts': "export { scoreStore } from '../score-history/score-store';\n" });
    expect(sideways.map((v) => v.reason)).toEqual(['shared/events imports shared/score-history, a folder of the same layer (5)']);
  });

  it('catches shared code importing tools, bench or test', () => {
    const reasons = findViolations(root, { 'shared/recompute/fixture.ts': "import { generateSnapshot } from '../../tools/fixtures/snapshot-generate';\nimport '../../bench/run';\n" }).map((v) => v.reason);
    expect(reasons).toEqual(['shared/recompute (layer 7) imports tools (layer 12), a higher layer', 'shared/recompute (layer 7) imports bench (layer 13), a higher layer']);
  });

  it('keeps the dashboard (browser code) apart: it imports nothing of the server, and the server nothing of it', () => {
    expect(findViolations(root, { 'dashboard/src/x.ts': "import { todayUtc } from '../../shared/lib/dates';\nimport { z } from 'zod';\n" }).map((v) => v.reason)).toEqual([
      'dashboard imports shared/lib, a folder of the same layer (0)',
      'dashboard is pure and may import no package but uplot',
    ]);
    expect(findViolations(root, { 'functions/x.ts': "import { h } from '../dashboard/src/dom';\n" }).map((v) => v.reason)).toEqual(['dashboard is the browser app; only test may import it']);
  });

  it('keeps the engine pure and the SDKs in their owners', () => {
    expect(checkEdge({ from: 'shared/scoring/x.ts', to: 'node:fs', spec: 'node:fs', typeOnly: false, line: 1 })).toMatch(/pure/);
    expect(checkEdge({ from: 'shared/state/x.ts', to: '@azure/cosmos', spec: '@azure/cosmos', typeOnly: false, line: 1 })).toMatch(/only shared\/store/);
    expect(checkEdge({ from: 'shared/state/x.ts', to: '@azure/cosmos', spec: '@azure/cosmos', typeOnly: true, line: 1 })).toBeUndefined();
    expect(checkEdge({ from: 'shared/http/x.ts', to: '@azure/functions', spec: '@azure/functions', typeOnly: false, line: 1 })).toMatch(/only functions/);
  });

  it('reads every kind of import: declarations, re-exports, require, import() and vi.mock', () => {
    const text = [
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "import { D } from './d';",
      "export * from './e';",
      "const f = require('./f');",
      "const g = import('./g');",
      "vi.mock('./h', () => ({}));",
      "type I = typeof import('./i');",
    ].join('\n');
    expect(importsOf('shared/lib/x.ts', text).map((e) => [e.to, e.typeOnly])).toEqual([
      ['shared/lib/a', true],
      ['shared/lib/b', true],
      ['shared/lib/d', false],
      ['shared/lib/e', false],
      ['shared/lib/f', false],
      ['shared/lib/g', false],
      ['shared/lib/h', false],
      ['shared/lib/i', true],
    ]);
  });

  it('gives every folder of shared/ a layer', async () => {
    const fs = await import('node:fs');
    const folders = fs.readdirSync(path.join(root, 'shared'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `shared/${e.name}`);
    const layered = new Set(LAYERS.flat());
    expect(folders.filter((f) => !layered.has(f))).toEqual([]);
    expect(fs.readdirSync(path.join(root, 'shared')).filter((f) => f.endsWith('.ts'))).toEqual([]);
  });
});
