import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configPathFrom, loadConfig } from './config';

describe('license config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bkcec-lcfg-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, body: unknown) => {
    const p = join(dir, name);
    await writeFile(p, typeof body === 'string' ? body : JSON.stringify(body));
    return p;
  };

  it('fills defaults and resolves paths against the config folder', async () => {
    const c = loadConfig(
      await write('ok.json', {
        serverCert: 's.crt',
        serverKey: '/abs/s.key',
        caCert: 'ca.crt',
        macs: ['AA-BB-CC-DD-EE-FF'],
      }),
    );
    expect(c).toMatchObject({
      listen: '0.0.0.0',
      port: 8443,
      serverCert: join(dir, 's.crt'),
      serverKey: '/abs/s.key',
    });
    expect(c.macs).toEqual(['aa:bb:cc:dd:ee:ff']);
    expect(c.netClassDir).toBe('/sys/class/net');
    expect(c.logFile).toBeUndefined();
  });

  it('names the file and the key that is wrong', async () => {
    const p = await write('bad.json', {
      serverCert: 's',
      serverKey: 'k',
      caCert: 'c',
      port: 'x',
      macs: ['nope'],
      extra: 1,
    });
    expect(() => loadConfig(p)).toThrow(
      new RegExp(`${p}: invalid license config: .*port.*macs.0: expected a MAC`),
    );
    expect(() => loadConfig(p)).toThrow(/extra/);
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(/expected a readable JSON file/);
    const junk = await write('junk.json', '{');
    expect(() => loadConfig(junk)).toThrow(/expected a readable JSON file/);
  });

  it('takes the path from --config, --config=, then BKCEC_CONFIG', () => {
    expect(configPathFrom(['--config', '/a.json'], { BKCEC_CONFIG: '/b.json' })).toBe('/a.json');
    expect(configPathFrom(['--config=/c.json'], {})).toBe('/c.json');
    expect(configPathFrom([], { BKCEC_CONFIG: '/b.json' })).toBe('/b.json');
    expect(() => configPathFrom([], {})).toThrow(/expected --config PATH or env BKCEC_CONFIG/);
    expect(() => configPathFrom(['--config'], {})).toThrow(/expected a path after --config/);
  });
});
