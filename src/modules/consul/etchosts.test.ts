// The /etc/hosts step's real script, run by bash on a temp file.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placementOf } from '../../../test/support/placement';
import { compileScript, ScriptReader } from '../../engine/script';
import type { Step } from '../../engine/types';
import { LocalTransport } from '../../transport/local';
import { BEGIN, END, etcHostsStatusStep, etcHostsStep, removeBlockScript } from './etchosts';

let dir: string;
let file: string;
const t = new LocalTransport();
const ORIGINAL = '127.0.0.1 localhost\n10.0.0.9 other\n';

/** Runs one step; returns whether it reported a change and its exit code. */
async function run(step: Step): Promise<{ code?: number; changed: boolean; status: string[] }> {
  const reader = new ScriptReader();
  await t.run(compileScript([step]), { onStdout: (c) => reader.push(c) });
  const r = reader.results[0]!;
  return { code: r.code, changed: r.changed, status: r.status };
}

const vars = (over: Record<string, string> = {}) => ({
  HAS_DNS_SERVER: '0',
  PAAS_FQDN: 'paas.bking.com',
  ...over,
});
const nginxOn = (...ips: string[]) => placementOf({ consul: ['10.0.0.1'], nginx: ips });
const one = nginxOn('10.0.0.1');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bkcec-etchosts-'));
  file = join(dir, 'hosts');
  writeFileSync(file, ORIGINAL);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('/etc/hosts block', () => {
  it('appends the block once, rewrites it in place when nginx moves, and removes it for a DNS server', async () => {
    const inode = () => statSync(file).ino;
    const ino = inode();
    expect(await run(etcHostsStep(vars(), one, file))).toMatchObject({ code: 0, changed: true });
    expect(readFileSync(file, 'utf8')).toBe(`${ORIGINAL}${BEGIN}\n10.0.0.1 paas.bking.com\n${END}\n`);
    expect(await run(etcHostsStep(vars(), one, file))).toMatchObject({ code: 0, changed: false });
    expect((await run(etcHostsStatusStep(vars(), one, file))).code).toBe(0);

    expect(await run(etcHostsStep(vars(), nginxOn('10.0.0.2', '10.0.0.3'), file))).toMatchObject({
      changed: true,
    });
    expect(readFileSync(file, 'utf8')).toBe(
      `${ORIGINAL}${BEGIN}\n10.0.0.2 paas.bking.com\n10.0.0.3 paas.bking.com\n${END}\n`,
    );
    expect(inode()).toBe(ino);
    const stale = await run(etcHostsStatusStep(vars(), one, file));
    expect(stale.code).toBe(1);
    expect(stale.status[0]).toMatch(/expected the bkcec block mapping paas.bking.com to 10.0.0.1/);

    expect(await run(etcHostsStep(vars({ HAS_DNS_SERVER: '1' }), one, file))).toMatchObject({
      changed: true,
    });
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  it('writes no block where install.config places no nginx, and uninstall takes the block out in place', async () => {
    expect(await run(etcHostsStep(vars(), nginxOn(), file))).toMatchObject({ code: 0, changed: false });
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    await run(etcHostsStep(vars(), one, file));
    const ino = statSync(file).ino;
    const removal: Step = { id: 'x', title: 'remove', script: removeBlockScript(file) };
    expect(await run(removal)).toMatchObject({ code: 0, changed: true });
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(statSync(file).ino).toBe(ino);
    expect(await run(removal)).toMatchObject({ code: 0, changed: false });
  });
});
