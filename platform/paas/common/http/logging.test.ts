// What the programs write to their own log files: no secret from a query string, a form, a JSON
// body quoted in an error, whatever logs it; files 0640 in a 0750 folder.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/ports';
import { openJsonLog } from '../../../license/log';
import { parseConfig } from '../config/config';
import { createApp } from './server';

const S = 'Zq9-secret-value-77';

describe('program logs carry no secrets', async () => {
  const dir = join(await tempDir('bkcec-logs-'), 'logs');
  const config = parseConfig(
    {
      db: { host: 'db', user: 'u', password: 'p' },
      redis: { host: 'r' },
      domains: {
        PAAS_DOMAIN: 'p.bking.com',
        PAAS_INNER_DOMAIN: 'p.bking.com',
        BK_COOKIE_DOMAIN: '.bking.com',
      },
      secrets: { SECRET_KEY: 'k'.repeat(20), ESB_TOKEN: 't'.repeat(20) },
      logDir: dir,
    },
    't',
  );
  const app = createApp({ program: 'paas', config, guards: { guards: {}, routes: { '/*': 'public' } } });
  app.get('/echo/', async (req) => {
    req.log.info({ url: req.url, headers: req.headers }, 'seen');
    return 'ok';
  });
  app.get('/boom/', async () => {
    throw new Error(`upstream GET http://esb/c/compapi/x/?bk_app_secret=${S} failed: {"bk_token":"${S}"}`);
  });
  afterAll(() => app.close());

  it('redacts query strings, headers and error text in the paas/login/appengine log', async () => {
    const q = `bk_app_code=demo&bk_app_secret=${S}&bk_token=${S}&bk_signature=${S}&app_secret=${S}`;
    expect((await app.inject({ url: `/echo/?${q}`, headers: { 'x-app-token': S } })).statusCode).toBe(200);
    expect((await app.inject({ url: `/boom/?${q}` })).statusCode).toBe(500);
    expect((await app.inject({ url: `/nowhere/?${q}` })).statusCode).toBe(404);
    await new Promise((r) => setTimeout(r, 200)); // buffered appends
    const text = readFileSync(join(dir, 'paas.log'), 'utf8');
    expect(text).toContain('bk_app_code=demo'); // the line is there…
    expect(text).toContain('upstream GET');
    expect(text).not.toContain(S); // …without the secrets
    expect(statSync(join(dir, 'paas.log')).mode & 0o777).toBe(0o640);
    expect(statSync(dir).mode & 0o777).toBe(0o750);
  });

  it('redacts the license service log', async () => {
    const file = join(dir, 'license', 'license.log');
    const log = openJsonLog(file);
    log.write({ event: 'error', message: `bad request /certificate?app_secret=${S}`, body: { bk_token: S } });
    await log.close();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('bad request');
    expect(text).not.toContain(S);
    expect(statSync(join(dir, 'license')).mode & 0o777).toBe(0o750);
  });
});
