import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startHostProcess } from '../helpers/host-process';

/** Runs a compiled CLI as `npm run <name>` does, and returns its exit code and output. */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', script), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every CLI with a main in tools/, as package.json runs it. */
const CLIS = {
  score: 'tools/score.js',
  seed: 'tools/seed.js',
  send: 'tools/send.js',
  start: 'tools/devhost/main.js',
  schemas: 'tools/generate-schemas.js',
  'test:faults': 'tools/faults/run-suite.js',
  layers: 'tools/architecture/layers.js',
};

describe('the command-line tools', () => {
  it.each(Object.entries(CLIS))('%s --help prints its usage on stdout and exits 0, doing nothing else', async (_name, script) => {
    for (const flag of ['--help', '-h']) {
      const r = await run(script, [flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^usage: /);
      expect(r.stdout).toContain('--help');
      expect(r.stderr).toBe('');
      // seed --help used to start seeding, npm start --help to start the host.
      expect(r.stdout).not.toMatch(/Seeding demo partners|Ready in/);
    }
  });

  it.each(Object.entries(CLIS))('%s refuses an unknown option with the usage on stderr, what to do, and exit code 2', async (_name, script) => {
    const r = await run(script, ['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: unknown option --frobnicate');
    expect(r.stderr).toMatch(/usage: /);
    expect(r.stderr).toContain('Run it with --help');
    expect(r.stdout).toBe('');
  });

  it('names a missing value or a missing argument', async () => {
    const noValue = await run(CLIS.score, ['docs/examples/small-partner.json', '--date']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('error: --date needs a value');
    const noFile = await run(CLIS.send, ['--source', 'crm']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('give the events file');
    const noSource = await run(CLIS.send, ['events.json']);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('--source NAME');
    const badPort = await run(CLIS.start, ['--port', 'seventy']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be a port number');
  });
});

describe('cp local.settings.example.json local.settings.json && npm start', () => {
  const app = mkdtempSync(path.join(tmpdir(), 'example-app-'));
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  it('starts on the embedded emulators, warning about the example placeholders it ignored', async () => {
    for (const f of ['dist', 'node_modules', 'package.json', 'host.json']) symlinkSync(path.join(REPO_ROOT, f), path.join(app, f));
    copyFileSync(path.join(REPO_ROOT, 'local.settings.example.json'), path.join(app, 'local.settings.json'));
    // As a person's shell has it: no emulator settings of the test run.
    const host = await startHostProcess({ appDir: app, embedded: true });
    try {
      const health = await fetch(`${host.url}/api/health`);
      expect(health.status).toBe(200);
      expect(host.output()).toMatch(/WEBHOOK_SECRET_CRM is still the example's placeholder/);
      expect(host.output()).not.toMatch(/ECONNREFUSED/);
    } finally {
      await host.stop();
    }
  }, 90_000);
});
