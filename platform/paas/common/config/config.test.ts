import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configPath, loadConfig, parseConfig, publicUrl } from './config';

const good = {
  db: { host: 'db', user: 'u', password: 'p' },
  redis: { host: 'r' },
  domains: {
    PAAS_DOMAIN: 'paas.bking.com',
    PAAS_INNER_DOMAIN: 'paas.bking.com',
    BK_COOKIE_DOMAIN: '.bking.com',
  },
  secrets: { SECRET_KEY: 'k'.repeat(20), ESB_TOKEN: 't'.repeat(20) },
};

describe('config', () => {
  it('fills defaults', () => {
    const c = parseConfig(good, 'x');
    expect(c.db).toMatchObject({ port: 3306, database: 'open_paas' });
    expect(c.listen.ports).toEqual({ appengine: 8000, paas: 8001, esb: 8002, login: 8003 });
    expect(c.urls.login).toBe('http://127.0.0.1:8003');
    expect(c.domains.HTTP_SCHEMA).toBe('http');
    expect(publicUrl(c)).toBe('http://paas.bking.com');
  });

  it.each([
    [{ ...good, db: { ...good.db, port: 70000 } }, /db\.port/],
    [
      { ...good, secrets: { SECRET_KEY: 'short', ESB_TOKEN: 't'.repeat(20) } },
      /secrets\.SECRET_KEY: expected at least 16/,
    ],
    [
      { ...good, domains: { ...good.domains, BK_COOKIE_DOMAIN: 'not a domain' } },
      /BK_COOKIE_DOMAIN: expected a domain/,
    ],
    [{ ...good, domains: { ...good.domains, HTTP_SCHEMA: 'ftp' } }, /HTTP_SCHEMA/],
    [{ ...good, urls: { login: 'http://127.0.0.1:8003/login' } }, /urls\.login: expected a base URL/],
    [{ ...good, db: undefined }, /db:/],
    [{ ...good, db: { ...good.db, database: 'open-paas;drop' } }, /db\.database: expected letters/],
  ])('rejects bad input %#', (raw, re) => {
    expect(() => parseConfig(raw, 'file.json')).toThrow(ConfigError);
    expect(() => parseConfig(raw, 'file.json')).toThrow(re);
  });

  it('finds the path in argv, then the environment', () => {
    expect(configPath(['--config', '/a.json'], {})).toBe('/a.json');
    expect(configPath(['--config=/b.json'], {})).toBe('/b.json');
    expect(configPath([], { BKCEC_CONFIG: '/c.json' })).toBe('/c.json');
    expect(() => configPath([], {})).toThrow(
      /expected --config PATH or the environment variable BKCEC_CONFIG/,
    );
  });

  it('loads a file and names it in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
    const f = join(dir, 'paas.json');
    await writeFile(f, JSON.stringify(good));
    expect(loadConfig(['--config', f], {}).db.host).toBe('db');
    await writeFile(f, '{nope');
    expect(() => loadConfig(['--config', f], {})).toThrow(`config file ${f} is not valid JSON`);
    expect(() => loadConfig(['--config', join(dir, 'missing.json')], {})).toThrow(/cannot read config file/);
  });
});
