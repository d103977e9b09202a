// The install steps' bash, run for real on this machine (no Consul agent needed).
import { createSocket, type Socket } from 'node:dgram';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileScript, ScriptReader, type StepResult } from '../../engine/script';
import type { Step } from '../../engine/types';
import { LocalTransport } from '../../transport/local';
import { dnsPortStep, resolvStep } from './install';
import { editResolvConf } from './resolv';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bkcec-consul-install-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function run(step: Step): Promise<StepResult> {
  const reader = new ScriptReader();
  await new LocalTransport().run(compileScript([step]), { onStdout: (c) => reader.push(c) });
  const r = reader.results[0];
  if (!r) throw new Error('expected one step result, found none');
  return r;
}

describe('dnsPortStep', () => {
  let sock: Socket | undefined;
  afterEach(() => new Promise<void>((ok) => (sock ? sock.close(() => ok()) : ok())));

  it('passes when the port is free and names the process holding it otherwise', async () => {
    sock = createSocket('udp4');
    await new Promise<void>((ok) => sock!.bind(0, '127.0.0.1', () => ok()));
    const port = String(sock.address().port);
    const taken = await run(dnsPortStep({ CONSUL_DNS_PORT: port }));
    expect(taken.code).toBe(1);
    expect(taken.output.join('\n')).toContain(
      `expected port ${port} (UDP and TCP) on 127.0.0.1 to be free for Consul DNS, found it taken`,
    );
    expect(taken.output.join('\n')).toMatch(/users:\(\("(node|vitest)/);
    await new Promise<void>((ok) => sock!.close(() => ok()));
    sock = undefined;
    const free = await run(dnsPortStep({ CONSUL_DNS_PORT: port }));
    expect([free.code, free.changed]).toEqual([0, false]);
  });
});

describe('resolvStep', () => {
  const original = 'nameserver 10.9.0.1\noptions rotate\n';
  const vars = () => ({ INSTALL_PATH: join(root, 'bk') });

  it('writes through a symlink in place, saves the original once, and is ok the second time', async () => {
    mkdirSync(join(root, 'run'));
    const target = join(root, 'run', 'resolv.conf');
    const link = join(root, 'resolv.conf');
    writeFileSync(target, original);
    symlinkSync(target, link);
    const wanted = editResolvConf(original);
    const first = await run(resolvStep(vars(), wanted, link));
    expect([first.code, first.changed]).toEqual([0, true]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('nameserver 127.0.0.1\nnameserver 10.9.0.1\n');
    const saved = join(root, 'bk', 'etc', 'resolv.conf.bkcec-orig');
    expect(readFileSync(saved, 'utf8')).toBe(original);

    const again = await run(resolvStep(vars(), wanted, link));
    expect([again.code, again.changed]).toEqual([0, false]);
    expect(readFileSync(saved, 'utf8')).toBe(original);
  });

  it('puts our line back when something rewrote the file', async () => {
    const f = join(root, 'resolv.conf');
    writeFileSync(f, original);
    const wanted = editResolvConf(original);
    await run(resolvStep(vars(), wanted, f));
    writeFileSync(f, original);
    const fixed = await run(resolvStep(vars(), wanted, f));
    expect([fixed.code, fixed.changed]).toEqual([0, true]);
    expect(readFileSync(f, 'utf8')).toBe(wanted);
  });
});
