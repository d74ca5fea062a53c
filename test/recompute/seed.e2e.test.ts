import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, REPO_ROOT, startHostProcess, type HostProcess } from '../helpers/host-process';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';

describe('SEED_DEMO=true npm start: demo partners through the signed webhook path, then the recompute', () => {
  let stores: IsolatedStores;
  let host: HostProcess;
  // A data folder of its own (not the project's): the host keeps its keys and the demo secret there, for npm run seed.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'seed-data-'));

  beforeAll(async () => {
    stores = await isolatedStores({ ownAzurite: true });
    host = await startHostProcess({ env: { ...stores.env, LOCAL_DATA_DIR: dataDir, SEED_DEMO: 'true', SCORE_RECOMPUTE_SCHEDULE: '0 0 0 1 1 *', WEBHOOK_SOURCES: '', RECOMPUTE_COALESCE_SECONDS: '1' } });
  }, 90_000);
  afterAll(async () => {
    if (process.env.DEBUG_HOST) console.log(host?.output());
    await host?.stop();
    await stores?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads three partners, runs the nightly recompute and prints their area totals', async () => {
    await eventually(async () => (host.output().includes('[seed] demo partners loaded') || host.output().includes('[seed] failed') ? true : undefined), 120_000, 'the seed to finish');
    const out = host.output();
    expect(out).not.toContain('[seed] failed');
    expect(out).toMatch(/\[seed\]\s+run recompute-\d{4}-\d{2}-\d{2} finished: 3 of 3 partners/);
    for (const p of ['demo-contoso', 'demo-fabrikam', 'demo-northwind']) {
      expect(out).toContain(p);
      const res = await fetch(`${host.url}/api/partners/${p}/scores`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { areas: { total: number; status: string }[] };
      expect(body.areas).toHaveLength(6);
    }
    const contoso = (await (await fetch(`${host.url}/api/partners/demo-contoso/scores`)).json()) as { areas: { status: string }[] };
    expect(contoso.areas.filter((a) => a.status === 'qualified').length).toBeGreaterThanOrEqual(2);
    const fabrikam = (await (await fetch(`${host.url}/api/partners/demo-fabrikam/scores`)).json()) as { areas: { total: number; status: string }[] };
    expect(fabrikam.areas.some((a) => a.total >= 60 && a.total < 70)).toBe(true);
    const northwind = (await (await fetch(`${host.url}/api/partners/demo-northwind/forecast`)).json()) as { losses: unknown[] };
    expect(northwind.losses.length).toBeGreaterThan(0);
  }, 150_000);

  it('npm run seed against that app signs with the demo secret it kept, instead of asking to start it with SEED_DEMO=true', async () => {
    await eventually(async () => (host.output().includes('[seed] demo partners loaded') || host.output().includes('[seed] failed') ? true : undefined), 120_000, 'the seed to finish');
    const env = { ...process.env, LOCAL_DATA_DIR: dataDir, WEBHOOK_SOURCES: '' };
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'tools', 'seed.js'), '--url', host.url], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 150_000 });
    expect(r.stderr).not.toContain('SEED_DEMO=true');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('demo-contoso');
  }, 160_000);
});
