import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/ports';
import { appTokenPath, ensureAppTokens, parseAppTokens } from './tokens';

describe('.app.token', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('apptoken');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('makes UUID tokens once, mode 0600, and never remakes them', async () => {
    const first = await ensureAppTokens(dir, ['bk_paas', 'bk_job']);
    expect([...first.values()].every((t) => /^[0-9a-f-]{36}$/.test(t))).toBe(true);
    expect((await stat(appTokenPath(dir))).mode & 0o777).toBe(0o600);
    const second = await ensureAppTokens(dir, ['bk_paas', 'bk_job', 'bk_cmdb']);
    expect(second.get('bk_paas')).toBe(first.get('bk_paas'));
    expect(second.get('bk_job')).toBe(first.get('bk_job'));
    const text = await readFile(appTokenPath(dir), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    expect(text.startsWith(`bk_paas ${first.get('bk_paas')}\n`)).toBe(true);
  });

  it('keeps an operator-written token and tightens a loose mode', async () => {
    await writeFile(appTokenPath(dir), '# kept\nbk_job my-own-token-0123456789', { mode: 0o644 });
    const t = await ensureAppTokens(dir, ['bk_job']);
    expect(t.get('bk_job')).toBe('my-own-token-0123456789');
    expect((await stat(appTokenPath(dir))).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['bk_job', 'line 1', /expected "app_code token"/],
    ['BK_JOB 0123456789abcdef0123', 'upper case', /expected "app_code token"/],
    ['bk_job short', 'short token', /expected "app_code token"/],
    ['bk_job 0123456789abcdef0\nbk_job 0123456789abcdef1', 'twice', /f:2: app code bk_job is listed twice/],
  ])('rejects %j (%s)', (text, _why, re) => {
    expect(() => parseAppTokens(text, 'f')).toThrow(re);
  });
});
