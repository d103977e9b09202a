// The syncTree / syncFiles part of the transport conformance suite.

import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncFiles, syncTree } from '../../../src/transport/sync';
import type { Transport } from '../../../src/transport/transport';

const LONG = `lib/${'deep-folder-name/'.repeat(6)}a-file-with-a-long-name.js`;
const FILES: Record<string, string> = {
  'bin/tool': '#!/bin/sh\necho tool\n',
  'etc/app.conf': 'port=8000\n',
  [LONG]: 'module.exports = 1;\n',
  'docs/ünï 名.txt': 'unicode ✓\n',
  'with space.txt': 'spaced\n',
  empty: '',
};

/** Wraps `t`, recording each remote round trip it makes. */
function counting(t: Transport): { c: Transport; calls: string[] } {
  const calls: string[] = [];
  const c: Transport = {
    host: t.host,
    run: (s, o) => {
      calls.push('run');
      return t.run(s, o);
    },
    exec: (s, o) => {
      calls.push('exec');
      return t.exec(s, o);
    },
    put: (p, d, m) => {
      calls.push('put');
      return t.put(p, d, m);
    },
    get: (p) => {
      calls.push('get');
      return t.get(p);
    },
    close: () => t.close(),
  };
  return { c, calls };
}

/** Registers the sync tests; `ctx` gives the suite's transport and its scratch folder once they exist. */
export function syncSuite(ctx: () => { t: Transport; dir: string }): void {
  describe('syncTree', () => {
    let local: string;
    let remote: string;
    let t: Transport;
    const listing = async () =>
      (
        await t.exec(
          `cd ${remote} && find . -mindepth 1 \\( -type f -o -type l \\) ! -name .bkcec-manifest -printf '%y %m %P %l\\n' | LC_ALL=C sort`,
        )
      ).stdout;
    const remoteSha = async (p: string) => (await t.exec(`sha256sum < '${remote}/${p}'`)).stdout.slice(0, 64);

    beforeAll(async () => {
      ({ t } = ctx());
      remote = `${ctx().dir}/tree`;
      local = await mkdtemp(join(tmpdir(), 'bkcec-sync-src-'));
      for (const [p, text] of Object.entries(FILES)) {
        await mkdir(join(local, p, '..'), { recursive: true });
        await writeFile(join(local, p), text);
      }
      await chmod(join(local, 'bin/tool'), 0o755);
      await symlink('etc/app.conf', join(local, 'link'));
    });
    afterAll(() => rm(local, { recursive: true, force: true }));

    it('sends the whole tree the first time: contents, modes, symlinks, long and unicode names', async () => {
      const r = await syncTree(t, local, remote);
      expect(r).toEqual({ sent: [...Object.keys(FILES), 'link'].sort(), deleted: [], unchanged: 0 });
      expect(await listing()).toBe(
        [
          'f 644 docs/ünï 名.txt ',
          'f 644 empty ',
          'f 644 etc/app.conf ',
          `f 644 ${LONG} `,
          'f 644 with space.txt ',
          'f 755 bin/tool ',
          'l 777 link etc/app.conf',
          '',
        ]
          .sort()
          .join('\n')
          .replace(/^\n/, '') + '\n',
      );
      for (const [p, text] of Object.entries(FILES)) {
        expect(await remoteSha(p)).toBe(createHash('sha256').update(text).digest('hex'));
      }
    });

    it('re-sends nothing, in one round trip, when nothing changed', async () => {
      const { c, calls } = counting(t);
      expect(await syncTree(c, local, remote)).toEqual({ sent: [], deleted: [], unchanged: 7 });
      expect(calls).toEqual(['run']);
    });

    it('sends only a changed file (same size), a mode change, and a file edited on the host', async () => {
      await writeFile(join(local, 'etc/app.conf'), 'port=9000\n');
      await chmod(join(local, 'with space.txt'), 0o600);
      await t.exec(`echo tampered >> ${remote}/empty`);
      const r = await syncTree(t, local, remote);
      expect(r).toEqual({ sent: ['empty', 'etc/app.conf', 'with space.txt'], deleted: [], unchanged: 4 });
      expect((await t.get(`${remote}/etc/app.conf`)).toString()).toBe('port=9000\n');
      expect((await t.get(`${remote}/empty`)).toString()).toBe('');
      expect(await listing()).toContain('f 600 with space.txt');
    });

    it('deletes what the local tree lost only when asked, and removes emptied folders', async () => {
      await rm(join(local, 'docs'), { recursive: true });
      expect(await syncTree(t, local, remote)).toMatchObject({ sent: [], deleted: [] });
      expect(await syncTree(t, local, remote, { delete: true })).toMatchObject({
        sent: [],
        deleted: ['docs/ünï 名.txt'],
      });
      expect((await t.exec(`test -e ${remote}/docs; echo $?`)).stdout).toBe('1\n');
    });

    it('neither sends nor deletes excluded paths', async () => {
      await mkdir(join(local, 'cache'), { recursive: true });
      await writeFile(join(local, 'cache/x.tmp'), 'tmp');
      await t.exec(`echo log > ${remote}/keep.log`);
      const r = await syncTree(t, local, remote, { delete: true, exclude: ['cache', '*.log'] });
      expect(r).toEqual({ sent: [], deleted: [], unchanged: 6 });
      expect((await t.exec(`cat ${remote}/keep.log; test -e ${remote}/cache; echo $?`)).stdout).toBe(
        'log\n1\n',
      );
    });

    it('never writes or deletes through a symlink that leads out of the folder', async () => {
      const outside = `${ctx().dir}/outside`;
      await t.exec(
        `mkdir -p ${outside}/kept && echo keep > ${outside}/kept/file && ln -s ${outside} ${remote}/out && ln -s ${outside}/kept ${remote}/evil`,
      );
      await mkdir(join(local, 'out'));
      await writeFile(join(local, 'out/x.txt'), 'inside');
      const exclude = ['cache', '*.log'];
      expect(await syncTree(t, local, remote, { exclude })).toMatchObject({
        sent: ['out/x.txt'],
        deleted: [],
      });
      expect(await syncTree(t, local, remote, { delete: true, exclude })).toMatchObject({
        sent: [],
        deleted: ['evil'],
      });
      const check = await t.exec(
        `test -e ${outside}/x.txt; echo $?; cat ${outside}/kept/file; test -L ${remote}/out; echo $?; cat ${remote}/out/x.txt`,
      );
      expect(check.stdout).toBe('1\nkeep\n1\ninside');
    });
  });

  describe('syncFiles', () => {
    it('puts only files whose content or mode differ, in one round trip when none do', async () => {
      const { t, dir } = ctx();
      const src = await mkdtemp(join(tmpdir(), 'bkcec-files-'));
      await writeFile(join(src, 'a'), 'A');
      await writeFile(join(src, 'b'), 'B');
      const files = [
        { local: join(src, 'a'), remote: `${dir}/files/a.conf`, mode: 0o600 },
        { local: join(src, 'b'), remote: `${dir}/files/sub/b.conf` },
      ];
      expect(await syncFiles(t, files)).toEqual([`${dir}/files/a.conf`, `${dir}/files/sub/b.conf`]);
      const { c, calls } = counting(t);
      expect(await syncFiles(c, files)).toEqual([]);
      expect(calls).toEqual(['run']);
      expect(await syncFiles(t, [{ ...files[0]!, mode: 0o640 }, files[1]!])).toEqual([`${dir}/files/a.conf`]);
      await rm(src, { recursive: true });
    });
  });
}
