// The license in use on a deployed platform: one testbed host with the whole platform (no app
// agent), appengine asked through its API as paas asks it. A deploy gets past the license check
// while the license service runs, and is refused once it is stopped. Needs root and tools/testbed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHeaders, call, finalEvent } from '../../../test/support/agent/engine';
import { waitFor } from '../../../test/support/ports';
import { bkcec, globalValue } from '../../../test/support/testbed-cli';
import { Testbed } from '../../../tools/testbed/lib';

const root = process.getuid?.() === 0;
const tb = new Testbed();
let dir: string;
let base: string;

function ok(...args: string[]) {
  const r = bkcec(dir, ...args);
  expect(
    r.code,
    `bkcec ${args.join(' ')}: ${JSON.stringify(r.events.filter((e) => e.type === 'failure'))}`,
  ).toBe(0);
  return r;
}

/** Creates an app through appengine and asks for a test deploy; returns the final event's log. */
async function deploy(code: string): Promise<string> {
  const admin = { 'x-app-code': 'bk_paas', 'x-app-token': globalValue(dir, 'ESB_TOKEN') };
  const created = await call(base, '/v1/apps/', { json: { app_code: code, name: code }, headers: admin });
  expect(created.body.result, JSON.stringify(created.body)).toBe(true);
  const token = created.body.data.token as string;
  const r = await call(base, `/v1/apps/${code}/test/releases/`, {
    json: { envs: {} },
    headers: appHeaders(code, token),
  });
  return (await finalEvent(base, code, token, r.body.data.event_id)).logs as string;
}

beforeAll(async () => {
  if (!root) return;
  await tb.up(1);
  dir = mkdtempSync(join(tmpdir(), 'bkcec-lic-'));
  await tb.ctrl(dir, '1=consul,license,mysql,redis,nginx,paas');
  ok('deploy');
  base = `http://${tb.hostIp(1)}:8000`;
}, 600_000);
afterAll(async () => {
  if (!root) return;
  await tb.down();
  rmSync(dir, { recursive: true, force: true });
}, 300_000);

describe.skipIf(!root)('license in use on a deployed platform', () => {
  it('lets a deploy past the license check, refuses it with the service stopped', async () => {
    expect(await deploy('licok')).toMatch(/no test server available/);
    ok('stop', 'license');
    ok('restart', 'paas', 'appengine'); // a valid answer is reused for a minute
    // The first request after the restart may meet a pooled connection the old process closed.
    await waitFor('appengine after its restart', () =>
      fetch(`${base}/v1/healthz/`).then(
        (r) => r.ok,
        () => false,
      ),
    );
    expect(await deploy('licdown')).toMatch(/deploy refused: license service unreachable/);
    ok('start', 'license');
  }, 120_000);
});
