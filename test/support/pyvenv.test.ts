import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pyVenv, venvCacheRoot } from './pyvenv';

describe('pyVenv', () => {
  it('refuses requirements that are not pinned, before making anything', async () => {
    for (const r of ['six', 'six>=1.0', 'six==', '-e git+https://x/y', 'six==1.17.0; rm -rf /\n'])
      await expect(pyVenv([r])).rejects.toThrow(/not pinned/);
    await expect(pyVenv([])).rejects.toThrow(/no requirements/);
  });
  it('makes one venv for concurrent callers, caches it by the requirement list, and installs exactly the pins', async () => {
    const [a, b] = await Promise.all([pyVenv(['six==1.17.0']), pyVenv(['six==1.17.0'])]);
    expect(a.dir).toBe(b.dir);
    expect(a.dir.startsWith(venvCacheRoot())).toBe(true);
    expect(existsSync(join(a.dir, '.bkcec-ready'))).toBe(true);
    expect(readFileSync(join(a.dir, 'requirements.txt'), 'utf8')).toBe('six==1.17.0\n');
    const v = execFileSync(a.python, ['-c', 'import six, sys; print(six.__version__, sys.prefix)'], {
      encoding: 'utf8',
    });
    expect(v.trim()).toBe(`1.17.0 ${a.dir}`);
    expect(existsSync(a.bin('pip'))).toBe(true);
    const t = Date.now();
    expect((await pyVenv(['six==1.17.0'])).dir).toBe(a.dir);
    expect(Date.now() - t).toBeLessThan(1_000);
  }, 180_000);
});
