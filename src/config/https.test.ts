// The https settings' up-front checks with real certificates (made with the license module's issuer).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueCa, issueLeaf, validityFor } from '../../lib/license/issue';
import { parseEnvFile } from './envfile';
import { checkHttps } from './https';

const dir = mkdtempSync(join(tmpdir(), 'bkcec-https-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ports = parseEnvFile('export PAAS_HTTP_PORT=80\nexport PAAS_HTTPS_PORT=443\n', 'ports.env');
const check = (globals: string, p = ports) =>
  checkHttps(parseEnvFile(globals, 'globals.env'), 'globals.env', p, 'ports.env', dir).then((l) =>
    l.map((i) => `${i.line}:${i.col}: ${i.message}`),
  );

describe('HTTP_SCHEMA=https settings', () => {
  it('accepts a pair naming PAAS_FQDN, or none (bkcec makes one); refuses what would break mid-deploy', async () => {
    const ca = await issueCa('test CA', validityFor(30));
    const leaf = (name: string, days = 30, now = new Date()) =>
      issueLeaf(ca, {
        commonName: name,
        usage: 'server',
        san: [{ type: 'dns', value: name }],
        validity: validityFor(days, now),
      });
    const good = await leaf('paas.bking.com');
    const other = await leaf('other.bking.com');
    const old = await leaf('paas.bking.com', 1, new Date(Date.now() - 5 * 86_400_000));
    writeFileSync(join(dir, 'good.crt'), good.certPem);
    writeFileSync(join(dir, 'good.key'), good.keyPem);
    writeFileSync(join(dir, 'other.crt'), other.certPem);
    writeFileSync(join(dir, 'old.crt'), old.certPem);
    writeFileSync(join(dir, 'old.key'), old.keyPem);
    const g = (cert?: string, key?: string) =>
      `export HTTP_SCHEMA=https\nexport PAAS_FQDN=paas.bking.com\n${cert ? `export HTTPS_CERT_FILE=${cert}\n` : ''}${key ? `export HTTPS_KEY_FILE=${key}\n` : ''}`;

    expect(await check(g())).toEqual([]);
    expect(await check(g('good.crt', join(dir, 'good.key')))).toEqual([]);
    expect(await check(g('other.crt', 'good.key'))).toEqual([
      '3:24: HTTPS_CERT_FILE: expected the key of this certificate, found another key',
    ]);
    expect(await check(g('old.crt', 'old.key'))).toEqual([
      expect.stringMatching(
        /^3:24: HTTPS_CERT_FILE: expected a certificate valid now, found one that expired/,
      ),
    ]);
    writeFileSync(join(dir, 'other.key'), other.keyPem);
    expect(await check(g('other.crt', 'other.key'))).toEqual([
      expect.stringMatching(
        /^3:24: HTTPS_CERT_FILE: expected a certificate naming paas.bking.com \(PAAS_FQDN\), found DNS:other.bking.com/,
      ),
    ]);
    expect(await check(g('missing.crt', 'good.key'))).toEqual([
      `3:24: HTTPS_CERT_FILE: expected a readable file, found nothing at ${join(dir, 'missing.crt')}`,
    ]);
    expect(await check(g('good.crt'))).toEqual([
      '3:24: HTTPS_CERT_FILE: expected HTTPS_KEY_FILE too (both, or neither for a certificate bkcec makes), found none',
    ]);
    writeFileSync(join(dir, 'junk.key'), 'not a key');
    expect(await check(g('good.crt', 'junk.key'))).toEqual([
      '3:24: HTTPS_CERT_FILE: expected a PEM private key, found something that does not parse',
    ]);
    const same = parseEnvFile('export PAAS_HTTP_PORT=8080\nexport PAAS_HTTPS_PORT=8080\n', 'ports.env');
    expect(await check(g(), same)).toEqual([
      '2:24: PAAS_HTTPS_PORT: expected a port other than PAAS_HTTP_PORT, found both 8080',
    ]);
    expect(await check('export HTTP_SCHEMA=http\nexport HTTPS_CERT_FILE=good.crt\n')).toEqual([
      '2:24: HTTPS_CERT_FILE: expected HTTP_SCHEMA=https with a certificate, found HTTP_SCHEMA=http',
    ]);
  });
});
