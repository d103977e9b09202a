// Days left of real certificates (made by openssl), and the home page card in both languages.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWith } from '../../common/i18n';
import { certificateDays, licenseCertPath } from './days';
import { licenseCard } from './views';

const dir = mkdtempSync(join(tmpdir(), 'paas-license-days-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate valid for `days` from now. */
function cert(name: string, days: number): string {
  const crt = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, `${name}.key`),
      '-out',
      crt,
      '-days',
      String(days),
      '-subj',
      '/CN=platform',
    ],
    { stdio: 'ignore' },
  );
  return crt;
}

const en = <R>(fn: () => R) => runWith({ lang: 'en', timeZone: 'UTC' }, fn);
const zh = <R>(fn: () => R) => runWith({ lang: 'zh-CN', timeZone: 'UTC' }, fn);

describe('platform certificate days left', () => {
  it('counts whole days to the end, in both languages', () => {
    const d = certificateDays(cert('long', 200));
    expect(d).toMatchObject({ ok: true, daysLeft: 199, expired: false });
    expect(en(() => licenseCard(d).value)).toMatch(/valid until .*: 199 days left/);
    expect(zh(() => licenseCard(d).value)).toMatch(/剩余 199 天/);
    expect(en(() => licenseCard(d).value)).not.toMatch(/flash error/);
  });

  it('warns near the end and says when it expired', () => {
    const soon = certificateDays(cert('soon', 5));
    expect(en(() => licenseCard(soon).value)).toMatch(/flash error.*4 days left/s);
    const later = new Date(Date.now() + 7 * 86_400_000);
    const gone = certificateDays(cert('gone', 5), later);
    expect(gone).toMatchObject({ ok: true, expired: true });
    expect(en(() => licenseCard(gone).value)).toMatch(
      /expired on .* \(2 days ago\): app deploys are refused/,
    );
    expect(zh(() => licenseCard(gone).value)).toMatch(/已于 .* 过期（2 天前）/);
  });

  it('names an unreadable certificate, and reads the path from the config file', () => {
    const bad = join(dir, 'bad.crt');
    writeFileSync(bad, 'not a certificate');
    const d = certificateDays(bad);
    expect(d.ok).toBe(false);
    expect(en(() => licenseCard(d).value)).toMatch(/cannot be read .*bad\.crt/);
    expect(certificateDays(join(dir, 'missing.crt')).ok).toBe(false);
    const conf = join(dir, 'open_paas.json');
    writeFileSync(conf, JSON.stringify({ license: { url: 'https://x:8443', certPath: '/p/platform.cert' } }));
    expect(licenseCertPath(conf)).toBe('/p/platform.cert');
    writeFileSync(conf, JSON.stringify({ license: null }));
    expect(licenseCertPath(conf)).toBeUndefined();
  });
});
