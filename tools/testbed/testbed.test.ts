// The testbed for real (root): isolation, networking, faults, teardown, and a ready control dir.
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Testbed } from './lib';
import { testbedBin } from './run';
import { sh } from './testutil';

// Its own instance (10.77.7.0/24 unless set), so this suite never tears down another suite's testbed.
const tb = new Testbed(Number(process.env.BKCEC_TESTBED_INSTANCE ?? '7'));
const machineFiles = ['/etc/resolv.conf', '/etc/hosts', '/etc/hostname'];
const sums = () => machineFiles.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex'));
const before = sums();
const tag = randomBytes(6).toString('hex');
const port = 20_000 + Math.floor(Math.random() * 20_000);

beforeAll(async () => {
  const t0 = performance.now();
  const hosts = await tb.up(3);
  console.log(`testbed up 3 (instance ${tb.instance}): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  expect(hosts.map((h) => h.ip)).toEqual([1, 2, 3].map((i) => tb.hostIp(i)));
});

afterAll(async () => {
  await tb.down();
  expect(sums()).toEqual(before);
});

describe('three hosts', () => {
  it('answers ssh with the testbed key on each host, with its own hostname, and passes exit codes', async () => {
    for (const i of [1, 2, 3]) {
      const r = await tb.ssh(i, 'hostname; hostname -I; cat /proc/1/cmdline | tr "\\0" " "');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^bkt${i}\\n${tb.hostIp(i).replaceAll('.', '\\.')} \\n.*hostinit`));
    }
    expect((await tb.ssh(2, 'exit 42')).code).toBe(42);
    expect(statSync(tb.keyPath).mode & 0o777).toBe(0o600);
    const known = readFileSync(tb.knownHostsPath, 'utf8');
    for (const i of [1, 2, 3]) expect(known).toContain(`${tb.hostIp(i)} ssh-ed25519 `);
  });

  it('keeps /data, /var/log, /root and /tmp private to each host', async () => {
    const w = await tb.ssh(
      1,
      `echo ${tag} > /data/${tag}; echo x > /var/log/${tag}; touch /root/${tag} /tmp/${tag}`,
    );
    expect(w.code, w.stderr).toBe(0);
    const r = await tb.ssh(2, `ls /data /var/log /root /tmp | grep -c ${tag}; stat -c %a /tmp`);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['0', '1777']);
    for (const d of ['/data', '/var/log', '/root', '/tmp']) expect(existsSync(join(d, tag))).toBe(false);
    expect((await tb.ssh(1, `cat /data/${tag}`)).stdout.trim()).toBe(tag);
  });

  it('keeps an edit of /etc/resolv.conf and /etc/hosts inside the host', async () => {
    const w = await tb.ssh(
      1,
      `echo "nameserver 10.9.9.9 # ${tag}" > /etc/resolv.conf; echo "10.9.9.9 ${tag}" >> /etc/hosts`,
    );
    expect(w.code, w.stderr).toBe(0);
    expect((await tb.ssh(1, 'cat /etc/resolv.conf /etc/hosts')).stdout).toContain(tag);
    expect((await tb.ssh(2, 'cat /etc/resolv.conf /etc/hosts')).stdout).not.toContain(tag);
    expect(sums()).toEqual(before);
  });

  it('lets host 2 reach a listener on host 1, not while host 1 is cut, and again once healed', async () => {
    const server = `require("http").createServer((q, s) => s.end(require("os").hostname())).listen(${port}, "${tb.hostIp(1)}")`;
    const start = await tb.ssh(1, `nohup node -e '${server}' >/dev/null 2>&1 &`);
    expect(start.code, start.stderr).toBe(0);
    const get = `curl -s -m 2 --retry 20 --retry-connrefused --retry-delay 0 http://${tb.hostIp(1)}:${port}/`;
    expect((await tb.ssh(2, get)).stdout).toBe('bkt1');
    await tb.cut(1);
    expect((await tb.list())[0]).toMatchObject({ index: 1, cut: true, running: true });
    const cutOff = await tb.ssh(2, `curl -s -m 2 http://${tb.hostIp(1)}:${port}/`);
    expect(cutOff.code).not.toBe(0);
    expect((await tb.exec(1, 'hostname')).stdout.trim()).toBe('bkt1');
    await tb.heal(1);
    expect((await tb.ssh(2, get)).stdout).toBe('bkt1');
  });

  it('kills every process of host 2 and restarts it with its disk', async () => {
    const bg = await tb.ssh(2, `echo ${tag} > /data/keep; sh -c 'exec sleep 4${port} >/dev/null 2>&1 &'`);
    expect(bg.code, bg.stderr).toBe(0);
    expect(sh(`pgrep -f '[s]leep 4${port}'`).code).toBe(0);
    await tb.kill(2);
    expect(sh(`pgrep -f '[s]leep 4${port}'`).code).toBe(1);
    expect(sh(`ip netns pids bk${tb.instance === 0 ? '' : tb.instance}t2`).stdout).toBe('');
    expect((await tb.list())[1]).toMatchObject({ index: 2, running: false });
    expect((await tb.ssh(2, 'true')).code).not.toBe(0);
    await tb.restart(2);
    const r = await tb.ssh(2, 'cat /data/keep; hostname');
    expect(r.stdout).toBe(`${tag}\nbkt2\n`);
    expect((await tb.ssh(1, 'hostname')).stdout).toBe('bkt1\n');
  });

  it('makes a control dir that bkcec uses to reach the hosts', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tb-ctrl-')), 'ctl');
    try {
      await tb.ctrl(dir, { 1: ['nginx', 'consul'], 2: ['mysql'], 3: ['redis'] });
      const globals = readFileSync(join(dir, 'globals.env'), 'utf8');
      expect(globals).toContain(`\nexport BK_SSH_KEY=${tb.keyPath}\n`);
      expect(globals).toContain(`\nexport BK_SSH_KNOWN_HOSTS=${tb.knownHostsPath}\n`);
      expect(statSync(join(dir, 'globals.env')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'install.config'), 'utf8')).toContain(`${tb.hostIp(2)} mysql`);
      const check = sh(`node bin/bkcec.mjs -C ${dir} check`);
      for (const i of [1, 2, 3]) expect(check.stdout).toMatch(new RegExp(`OK \\] ${tb.hostIp(i)} +ssh`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad HOST or layout with exit 2 and says what it expected', async () => {
    for (const args of [
      ['ssh', '10.1.2.3', 'true'],
      ['cut', 'x'],
      ['ctrl', '/tmp/x', '1nginx'],
      ['up', '0'],
    ]) {
      const r = sh(`${testbedBin} ${args.map((a) => `'${a}'`).join(' ')}`, tb.instance);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/expected/);
    }
  });
});

describe('lifecycle', () => {
  it('keeps running hosts on a repeated up, adds hosts on a larger one', async () => {
    const bg = await tb.ssh(1, `sh -c 'exec sleep 5${port} >/dev/null 2>&1 &'`);
    expect(bg.code, bg.stderr).toBe(0);
    expect(await tb.up(3, { fresh: false })).toHaveLength(3);
    expect((await tb.up(5, { fresh: false })).map((h) => h.running)).toEqual([true, true, true, true, true]);
    expect(sh(`pgrep -f '[s]leep 5${port}'`).code).toBe(0);
    expect((await tb.ssh(5, 'hostname')).stdout).toBe('bkt5\n');
  });

  it('leaves no namespace, link, mount, process or state after up 8 and down', async () => {
    expect(await tb.up(8, { fresh: false })).toHaveLength(8);
    expect((await tb.ssh(8, 'hostname')).stdout).toBe('bkt8\n');
    await tb.down();
    expect(leftovers(tb)).toEqual([]);
  });

  it('cleans up after an up killed halfway', async () => {
    const other = new Testbed(tb.instance === 8 ? 9 : 8);
    const upRun = sh(`timeout -s KILL 0.6 ${testbedBin} up 6`, other.instance);
    expect(upRun.code, upRun.stderr).toBe(137);
    expect(leftovers(other).length).toBeGreaterThan(0);
    await other.down();
    expect(leftovers(other)).toEqual([]);
  });

  it('keeps host writes off the machine when /etc/resolv.conf is a bind mount and /etc/hosts a symlink', () => {
    const other = new Testbed(tb.instance === 8 ? 9 : 8);
    const dir = mkdtempSync(join(tmpdir(), 'tb-etc-'));
    writeFileSync(join(dir, 'resolv'), 'nameserver 10.8.8.8\n');
    writeFileSync(join(dir, 'hosts'), '127.0.0.1 localhost\n');
    mkdirSync(join(dir, 'upper'));
    mkdirSync(join(dir, 'work'));
    symlinkSync(join(dir, 'hosts'), join(dir, 'upper', 'hosts'));
    // A private mount namespace of the machine where /etc looks like a container's.
    const script = [
      `mount -t overlay tb-etc -o lowerdir=/etc,upperdir=${dir}/upper,workdir=${dir}/work /etc`,
      `mount --bind ${dir}/resolv /etc/resolv.conf`,
      `${testbedBin} up 1 >/dev/null`,
      `${testbedBin} ssh 1 'cat /etc/resolv.conf; echo nameserver 10.1.1.1 > /etc/resolv.conf; echo 10.1.1.1 x >> /etc/hosts; cat /etc/resolv.conf'`,
      `${testbedBin} down`,
    ].join(' && ');
    try {
      const r = sh(
        `unshare --mount --propagation private bash -c '${script.replaceAll("'", "'\\''")}'`,
        other.instance,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('nameserver 10.8.8.8\nnameserver 10.1.1.1\n');
      expect(readFileSync(join(dir, 'resolv'), 'utf8')).toBe('nameserver 10.8.8.8\n');
      expect(readFileSync(join(dir, 'hosts'), 'utf8')).toBe('127.0.0.1 localhost\n');
    } finally {
      sh(`${testbedBin} down`, other.instance);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(leftovers(other)).toEqual([]);
  });
});

/** What a testbed instance left on the machine: namespaces, links, mounts, processes, state. */
function leftovers(t: Testbed): string[] {
  const tag = `bk${t.instance === 0 ? '' : t.instance}`;
  const found = [
    ...sh('ip netns list')
      .stdout.split('\n')
      .filter((l) => new RegExp(`^${tag}t\\d`).test(l)),
    ...sh('ip -o link show')
      .stdout.split('\n')
      .filter((l) => new RegExp(`: ${tag}(v\\d|br0)`).test(l)),
    ...sh('findmnt -rn -o TARGET')
      .stdout.split('\n')
      .filter((l) => l.startsWith(`/run/netns/${tag}t`)),
    // A mount namespace anywhere still holding a host's overlay or private dirs.
    ...sh(`grep -l '${t.stateDir}/' /proc/[0-9]*/mountinfo`).stdout.split('\n'),
    ...sh('ps -eo pid,args')
      .stdout.split('\n')
      .filter((l) => l.includes(`${t.stateDir}/`) && !l.includes('grep')),
  ].filter((l) => l.trim() !== '');
  return existsSync(t.stateDir) ? [...found, t.stateDir] : found;
}
