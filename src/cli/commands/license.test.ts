// `bkcec license show` through the real CLI: certificates made for this machine's MACs, then shown.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/ports';
import { initControlDir } from '../../config';
import { ensureLicenseCerts } from '../../modules/license/ensure';
import { readLicenseHosts } from '../../modules/license/macs';
import { LocalTransport } from '../../transport/local';
import { main } from '../main';

const capture = () => {
  let text = '';
  const stdout = new Writable({
    write(c, _e, cb) {
      text += c.toString();
      cb();
    },
  });
  return { stdout, text: () => text };
};

describe('bkcec license show', () => {
  let dir: string;
  const open = async (h: string) => new LocalTransport(h);
  beforeAll(async () => {
    dir = await tempDir('license-show');
    await initControlDir(dir, { layout: '127.0.0.1=consul,license' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('fails clearly before any certificate exists', async () => {
    const out = capture();
    const err = process.stderr.write;
    let stderr = '';
    process.stderr.write = ((c: string) => {
      stderr += c;
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await main(['-C', dir, 'license', 'show'], { stdout: out.stdout, openTransport: open })).toBe(1);
    } finally {
      process.stderr.write = err;
    }
    expect(stderr).toMatch(/expected a platform certificate at .*platform\.cert/);
  });

  it("prints issuer, dates, bound MACs and each license host's coverage", async () => {
    const hosts = await readLicenseHosts(['127.0.0.1'], open);
    await ensureLicenseCerts({ dir: join(dir, 'cert'), hosts, validityDays: 30 });
    const out = capture();
    expect(await main(['-C', dir, 'license', 'show'], { stdout: out.stdout, openTransport: open })).toBe(0);
    const text = out.text();
    expect(text).toMatch(/^issuer: +CN=bkcec platform CA/m);
    expect(text).toMatch(/valid until: .* \((29|30) day\(s\) left\)/);
    for (const mac of hosts[0]!.macs) expect(text).toContain(mac);
    expect(text).toMatch(/^host 127\.0\.0\.1: covered \(MACs /m);
  });
});
