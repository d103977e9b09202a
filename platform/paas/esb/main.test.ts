import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { freePort, tempDir, waitFor } from '../../../test/support/ports';

let deps: PaasDeps;
let dir: string;
beforeAll(async () => {
  deps = await startPaasDeps();
  dir = await tempDir('esb-main');
});
afterAll(async () => {
  await deps?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('esb main', () => {
  it('runs two cluster workers on one port, answers, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const file = join(dir, 'paas.json');
    await writeFile(
      file,
      JSON.stringify({
        ...deps.config,
        listen: { host: '127.0.0.1', ports: { esb: port } },
        esb: { workers: 2 },
      }),
      { mode: 0o600 },
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'platform/paas/esb/main.ts', '--config', file],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (c) => {
      err += c;
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    try {
      await waitFor('esb workers', async () => (err.match(/listening on/g) ?? []).length === 2, 30_000);
      const health = await fetch(`http://127.0.0.1:${port}/healthz/`);
      expect(await health.json()).toMatchObject({ result: true, data: { database: 'ok', catalog: 'ok' } });
      const miss = await fetch(`http://127.0.0.1:${port}/c/compapi/v2/none/x/`);
      expect(miss.status).toBe(200);
      expect(await miss.json()).toMatchObject({ result: false, code: 1306404 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad esb section before starting anything', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({ ...deps.config, esb: { systems: { CC: { host: 'not a url' } } } }),
      { mode: 0o600 },
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'platform/paas/esb/main.ts', '--config', file],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (c) => {
      err += c;
    });
    expect(await new Promise((r) => child.once('exit', r))).toBe(1);
    expect(err).toMatch(/esb.systems.CC.host: expected a base URL/);
  });
});
