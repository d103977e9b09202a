// A control directory whose three files were re-saved by a Windows editor (UTF-8 with a byte-order
// mark, CRLF line ends, tabs) loads as the original did; a pasted no-break space is named.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_FILES, loadControlDir } from './control';
import { initControlDir } from './init';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bkcec-saved-'));
  await initControlDir(dir, { layout: '10.0.0.1=consul,mysql,redis,nginx,paas' });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const resave = async (f: string, edit: (t: string) => string) =>
  writeFile(join(dir, f), edit(await readFile(join(dir, f), 'utf8')));

describe('control files as editors save them', () => {
  it('loads the same with a byte-order mark, CRLF, tabs and trailing blanks in all three files', async () => {
    const before = await loadControlDir(dir);
    for (const f of CONTROL_FILES)
      await resave(f, (t) => `\ufeff${t.replace(/^(\S+) /gm, '$1\t').replace(/\n/g, ' \t\r\n')}`);
    expect((await readFile(join(dir, 'install.config'), 'utf8')).startsWith('\ufeff')).toBe(true);
    const after = await loadControlDir(dir);
    expect(after.inventory).toEqual(before.inventory);
    expect(after.globals).toEqual(before.globals);
    expect(after.ports).toEqual(before.ports);
  });

  it('names a no-break space pasted into ports.env, with its position', async () => {
    await resave('ports.env', (t) => t.replace('MYSQL_PORT=3306', 'MYSQL_PORT=3306\u00a0'));
    const line =
      (await readFile(join(dir, 'ports.env'), 'utf8'))
        .split('\n')
        .findIndex((l) => l.includes('MYSQL_PORT')) + 1;
    await expect(loadControlDir(dir)).rejects.toThrow(
      `${join(dir, 'ports.env')}:${line}:23: expected only visible characters, spaces and tabs, found U+00A0 no-break space`,
    );
  });
});
