// The README's main job on one machine: `bkcec init` then `bkcec deploy` brings the whole platform up
// (local transport), `status all` shows everything running, the front door answers, and a second
// deploy changes nothing. Runs in a private namespace (support/solo.sh) so this machine is untouched.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events';
import { changedSteps, failureText, parseEvents, runEnd } from './support/events';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');
const DIR = `/srv/bkcec-e2e-single-${process.pid}`;

/** Inside the namespace: build, init, deploy, status all, the front door, deploy again. */
const SCRIPT = `set -u
cd ${REPO}
BKCEC_PKG=/data/pkg node scripts/build.mjs > /data/build.log 2>&1 || { cat /data/build.log; exit 3; }
b() { node --import tsx test/e2e/support/cli.ts -C /data/ctrl --pkg /data/pkg "$@"; }
b init > /data/init.log 2>&1 || { cat /data/init.log; exit 3; }
b --json deploy > /data/deploy1.jsonl 2> /data/deploy1.err; echo $? > /data/deploy1.rc
b --json status all > /data/status.jsonl 2>&1; echo $? > /data/status.rc
ip=$(awk '/^[0-9]/ {print $1; exit}' /data/ctrl/install.config)
fqdn=$(sed -n "s/^export PAAS_FQDN=//p" /data/ctrl/globals.env | sed "s/\\$BK_DOMAIN/$(sed -n 's/^export BK_DOMAIN=//p' /data/ctrl/globals.env)/")
for p in /healthz/ /login/healthz/ /api/healthz/ /v1/healthz/; do
  printf '%s %s\\n' "$p" "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $fqdn" "http://$ip$p")"
done > /data/front.txt
b --json deploy > /data/deploy2.jsonl 2>&1; echo $? > /data/deploy2.rc
`;

describe('single machine: init, deploy, status all, re-deploy', () => {
  const read = (f: string) => readFile(join(DIR, 'data', f), 'utf8');
  let deploy1: EngineEvent[];

  beforeAll(async () => {
    await rm(DIR, { recursive: true, force: true });
    await run(join(REPO, 'test', 'e2e', 'support', 'solo.sh'), [DIR, 'bash', '-c', SCRIPT], {
      timeout: 900_000,
      maxBuffer: 64 << 20,
    });
    deploy1 = parseEvents(await read('deploy1.jsonl'));
  }, 960_000);
  afterAll(() => rm(DIR, { recursive: true, force: true }));

  it('deploys the whole chain from nothing', async () => {
    expect(failureText(deploy1) + (await read('deploy1.err'))).toBe('');
    expect(runEnd(deploy1)?.ok).toBe(true);
    const phases = deploy1.flatMap((e) => (e.type === 'phase-end' ? [`${e.command} ${e.module}`] : []));
    expect(phases).toEqual([
      'sync all',
      'install consul',
      'start consul',
      'install license',
      'start license',
      'install mysql',
      'start mysql',
      'initdata mysql',
      'install redis',
      'start redis',
      'install nginx',
      'start nginx',
      'install paas',
      'initdata paas',
      'start paas',
    ]);
  });

  it('shows every module running in status all', async () => {
    const events = parseEvents(await read('status.jsonl'));
    expect(failureText(events)).toBe('');
    expect((await read('status.rc')).trim()).toBe('0');
    const lines = events.flatMap((e) => (e.type === 'status' ? [`${e.module}: ${e.text}`] : []));
    for (const p of ['appengine', 'paas', 'esb', 'login'])
      expect(lines.some((l) => l.startsWith(`paas: paas:paas-${p} `) && l.includes(' RUNNING '))).toBe(true);
    for (const m of ['license', 'mysql', 'redis', 'nginx'])
      expect(lines.some((l) => l.startsWith(`${m}: `) && l.includes('RUNNING'))).toBe(true);
    expect(lines.some((l) => /^license: license: certificate valid until/.test(l))).toBe(true);
  });

  it('answers every health URL through the front door', async () => {
    expect((await read('front.txt')).trim().split('\n')).toEqual([
      '/healthz/ 200',
      '/login/healthz/ 200',
      '/api/healthz/ 200',
      '/v1/healthz/ 200',
    ]);
  });

  it('changes nothing on a second deploy', async () => {
    const events = parseEvents(await read('deploy2.jsonl'));
    expect(failureText(events)).toBe('');
    expect((await read('deploy2.rc')).trim()).toBe('0');
    expect(changedSteps(events)).toEqual([]);
  });
});
