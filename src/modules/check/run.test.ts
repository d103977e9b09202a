// `bkcec check` on this machine through the real CLI path (control dir, local transport, probe script).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, tempDir } from '../../../test/support/ports';
import { initControlDir, loadControlDir } from '../../config';
import { LocalTransport } from '../../transport/local';
import { formatCheck, runCheck } from './run';

describe('bkcec check on this machine', () => {
  let dir: string;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    dir = await tempDir('check');
    await initControlDir(dir, { layout: '127.0.0.1=consul,license' });
    port = await freePort();
    const ports = join(dir, 'ports.env');
    await writeFile(
      ports,
      (await readFile(ports, 'utf8')).replace(/LICENSE_PORT=\d+/, `LICENSE_PORT=${port}`),
    );
    const g = join(dir, 'globals.env');
    await writeFile(
      g,
      (await readFile(g, 'utf8')).replace(/INSTALL_PATH=\S+/, `INSTALL_PATH=${join(dir, 'bkce')}`),
    );
    server = createServer();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('reports every item and fails the port held by another program', async () => {
    const cfg = await loadControlDir(dir);
    const items = await runCheck(cfg, { open: async (h) => new LocalTransport(h) });
    const text = formatCheck(items);
    expect(text).toMatch(/\[ OK \] 127\.0\.0\.1 +ssh +reachable \(this machine\)/);
    expect(text).toMatch(/\[ OK \] 127\.0\.0\.1 +clock +host clock [+-]0\.0\d\d s/);
    expect(text).toMatch(
      new RegExp(
        `\\[FAIL\\] 127\\.0\\.0\\.1 +ports +expected free, found in use: LICENSE_PORT=${port} \\(license\\): 127\\.0\\.0\\.1:${port} tcp`,
      ),
    );
    expect(items.map((i) => i.item)).toEqual([
      'root',
      'ssh',
      'root',
      'ports',
      'ulimit -n',
      'resolv.conf',
      'disk',
      'clock',
    ]);
    expect(text.trim().split('\n').at(-1)).toMatch(/^\d+ ok, \d+ warning\(s\), [1-9]\d* failed$/);
  });

  it('reports an unreachable host as a failed ssh item', async () => {
    const cfg = await loadControlDir(dir);
    const items = await runCheck(cfg, {
      open: async () => {
        throw new Error('connect ECONNREFUSED');
      },
      uid: () => 1000,
    });
    expect(items).toEqual([
      {
        host: 'controller',
        item: 'root',
        level: 'fail',
        detail: 'expected to run as root (uid 0), found uid 1000',
      },
      {
        host: '127.0.0.1',
        item: 'ssh',
        level: 'fail',
        detail: 'cannot reach the host: connect ECONNREFUSED',
      },
    ]);
  });
});
