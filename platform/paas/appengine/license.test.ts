import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHeaders, call, finalEvent } from '../../../test/support/agent/engine';
import { makePki, type Pki, startService } from '../../../test/support/license';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { buildAppengineApp } from './app';
import { gateFromSection, licenseSection } from './license';

const MAC = 'aa:bb:cc:dd:ee:01';
let deps: PaasDeps;
let pki: Pki;
const closers: (() => Promise<unknown>)[] = [];

/** An appengine whose license service sees `hostMac`; returns its base URL. */
async function engineWithLicense(hostMac: string): Promise<string> {
  const svc = await startService(pki, { macs: [hostMac] });
  closers.push(() => svc.close());
  const file = join(pki.dir, `paas-${hostMac}.json`);
  const license = {
    url: `https://localhost:${svc.port}`,
    caPath: pki.files.ca,
    certPath: pki.files.platformCert,
    keyPath: pki.files.platformKey,
  };
  await writeFile(file, JSON.stringify({ license }));
  const app: FastifyInstance = buildAppengineApp({
    config: deps.config,
    db: deps.db,
    log: false,
    license: gateFromSection(licenseSection(file)),
  });
  closers.push(() => app.close());
  return app.listen({ host: '127.0.0.1', port: 0 });
}

beforeAll(async () => {
  deps = await startPaasDeps();
  pki = await makePki([MAC]);
});
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  await pki?.cleanup();
  await deps?.stop();
});

describe('license check before a deploy', () => {
  it('refuses the deploy with a failed event when the license service says the certificate is invalid', async () => {
    const base = await engineWithLicense('aa:bb:cc:dd:ee:99');
    const admin = { 'x-app-code': 'bk_paas', 'x-app-token': deps.config.secrets.ESB_TOKEN };
    const { token } = (
      await call(base, '/v1/apps/', { json: { app_code: 'lic', name: 'Lic' }, headers: admin })
    ).body.data;
    const r = await call(base, '/v1/apps/lic/test/releases/', {
      json: { envs: {} },
      headers: appHeaders('lic', token),
    });
    expect(r.body).toMatchObject({ result: false, data: { error_code: 20101 } });
    const ev = await finalEvent(base, 'lic', token, r.body.data.event_id);
    expect(ev.status).toBe('FAILURE');
    expect(ev.logs).toMatch(
      /certificate verification failed, deploy refused: license invalid \(result 1006\)/,
    );
  });

  it('lets a deploy through when the certificate is valid (it then needs a server)', async () => {
    const base = await engineWithLicense(MAC);
    const admin = { 'x-app-code': 'bk_paas', 'x-app-token': deps.config.secrets.ESB_TOKEN };
    const { token } = (
      await call(base, '/v1/apps/', { json: { app_code: 'lic2', name: 'Lic2' }, headers: admin })
    ).body.data;
    const r = await call(base, '/v1/apps/lic2/prod/releases/', {
      json: { envs: { APP_ID: 'lic2' } },
      headers: appHeaders('lic2', token),
    });
    expect(r.body).toMatchObject({ result: false, data: { error_code: 1 } });
    expect((await finalEvent(base, 'lic2', token, r.body.data.event_id)).logs).toMatch(
      /no prod server available/,
    );
  });

  it('rejects a bad license section with the field named', async () => {
    const file = join(pki.dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({ license: { url: 'http://x', caPath: 'a', certPath: 'b', keyPath: 'c' } }),
    );
    expect(() => licenseSection(file)).toThrow(/license\.url: expected https:\/\/host:port/);
    await writeFile(file, JSON.stringify({}));
    expect(licenseSection(file)).toBeUndefined();
  });
});
