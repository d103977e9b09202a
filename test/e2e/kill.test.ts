// Randomized kill test on the testbed: N times, change a config value (REDIS_PASS, which lands in
// redis.conf), start `deploy`, SIGKILL the controller at a random moment of the part of the deploy
// that handles it (from redis's install phase to the end), run `deploy` again; then
// read from the host whether the running redis has the newest config: its process started after
// redis.conf was last written, and it accepts the newest password. Every trial must converge.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events';
import { Testbed } from '../../tools/testbed/lib';
import { failureText, parseEvents } from '../support/events';
import { REPO } from './support/testbed';

const tb = new Testbed(Number(process.env.BKCEC_TESTBED_INSTANCE ?? 87));
const N = Number(process.env.BKCEC_KILL_TRIALS ?? 20);
const CLI = join(REPO, 'test', 'e2e', 'support', 'cli.ts');
const PKG = process.env.BKCEC_PKG ?? join(REPO, 'dist', 'pkg');
const REDIS = 1;

let root: string;
const ctrl = () => join(root, 'ctrl');

/** The moment the deploy starts working on the changed value: redis's install phase begins. */
const redisInstall = (e: EngineEvent) =>
  e.type === 'phase-start' && e.module === 'redis' && e.command === 'install';
const redisStart = (e: EngineEvent) =>
  e.type === 'phase-start' && e.module === 'redis' && e.command === 'start';

/**
 * bkcec --json; with `killAfterMs`, SIGKILLed that long after the redis install phase began (the
 * part of the deploy that writes the changed redis.conf and restarts redis). `spanMs` is how long
 * that part took in a run that was not killed.
 */
function bkcec(args: string[], killAfterMs?: number) {
  return new Promise<{
    events: EngineEvent[];
    code: number | null;
    killed: boolean;
    stderr: string;
    spanMs: number;
    installMs: number;
  }>((resolve) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, '-C', ctrl(), '--pkg', PKG, '--json', ...args],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let stderr = '';
    let killed = false;
    let from = 0;
    let installMs = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (from && !installMs && parseEvents(out).some(redisStart)) installMs = Date.now() - from;
      if (from || !parseEvents(out).some(redisInstall)) return;
      from = Date.now();
      if (killAfterMs !== undefined)
        timer = setTimeout(() => {
          killed = child.exitCode === null;
          child.kill('SIGKILL');
        }, killAfterMs);
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({
        events: parseEvents(out),
        code,
        killed,
        stderr,
        spanMs: from ? Date.now() - from : 0,
        installMs,
      });
    });
  });
}

const sh = async (i: number, script: string): Promise<string> => {
  const r = await tb.ssh(i, script);
  if (r.code !== 0) throw new Error(`host ${i}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
};

function setRedisPass(pass: string): void {
  const path = join(ctrl(), 'globals.env');
  const text = readFileSync(path, 'utf8').replace(
    /^(export )?REDIS_PASS=.*$/m,
    `export REDIS_PASS='${pass}'`,
  );
  writeFileSync(path, text, { mode: 0o600 });
}

/**
 * From the host: seconds (epoch) when the redis process started and when redis.conf was last
 * written, and whether redis answers PING with `pass` (the password travels in the script, on stdin).
 */
async function redisState(pass: string): Promise<{ started: number; written: number; pong: boolean }> {
  const out = await sh(
    REDIS,
    `c=/data/bkce/etc/supervisord.conf
pid=$(supervisorctl -c $c pid redis:redis-redis)
st=$(awk '{print $22}' /proc/$pid/stat); hz=$(getconf CLK_TCK); up=$(cut -d' ' -f1 /proc/uptime); now=$(date +%s.%N)
mt=$(stat -c %.9Y /data/bkce/etc/redis.conf)
ip=$(awk '$1 == "bind" {print $2}' /data/bkce/etc/redis.conf); port=$(awk '$1 == "port" {print $2}' /data/bkce/etc/redis.conf)
pong=$(REDISCLI_AUTH='${pass}' redis-cli -h "$ip" -p "$port" PING 2>&1 || true)
awk -v st="$st" -v hz="$hz" -v up="$up" -v now="$now" -v mt="$mt" -v pong="$pong" 'BEGIN { printf "%.3f %.3f %s\\n", now - up + st / hz, mt, pong }'`,
  );
  const [started, written, pong] = out.trim().split(' ');
  return { started: Number(started), written: Number(written), pong: pong === 'PONG' };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bkcec-kill-'));
  await tb.up(1);
  await tb.ctrl(ctrl(), '1=consul,redis');
}, 300_000);

afterAll(async () => {
  await tb.down();
  rmSync(root, { recursive: true, force: true });
}, 300_000);

describe(`randomized kill test (${N} trials)`, () => {
  it('after every SIGKILL mid-deploy, the next deploy leaves redis running the newest config', async () => {
    const first = await bkcec(['deploy']);
    expect(first.code, failureText(first.events) || first.stderr).toBe(0);
    // How long the deploy works on a changed value (redis install to the end): the kills' window.
    setRedisPass(randomBytes(12).toString('hex'));
    const probe = await bkcec(['deploy']);
    const window = probe.spanMs;
    expect(probe.code, failureText(probe.events)).toBe(0);
    expect(window).toBeGreaterThan(0);
    expect(probe.installMs).toBeGreaterThan(0);

    const started = Date.now();
    const trials: string[] = [];
    for (let trial = 1; trial <= N; trial++) {
      const pass = randomBytes(12).toString('hex');
      setRedisPass(pass);
      // Odd trials: anywhere in redis's phases; even trials: within its install phase (the config is
      // written there, and a controller dying after it used to lose the restart).
      const at = Math.floor(Math.random() * (trial % 2 ? window : probe.installMs + 100));
      const killedRun = await bkcec(['deploy'], at);
      const last = killedRun.events.filter((e) => e.type === 'step').at(-1);
      const where = killedRun.killed
        ? `killed ${at} ms into redis's phases, after ${last && last.type === 'step' ? `${last.module} ${last.command} ${last.step}` : 'no step'}`
        : `ended before the kill at ${at} ms (exit ${killedRun.code})`;
      const again = await bkcec(['deploy']);
      expect(again.code, `trial ${trial} (${where}): ${failureText(again.events) || again.stderr}`).toBe(0);
      const s = await redisState(pass);
      trials.push(
        `${trial}: ${where}; redis started ${(s.started - s.written).toFixed(2)} s after redis.conf changed, newest password ${s.pong ? 'accepted' : 'REFUSED'}`,
      );
      expect(s.pong, trials.at(-1)).toBe(true);
      expect(s.started, trials.at(-1)).toBeGreaterThan(s.written);
    }
    const ms = Date.now() - started;
    console.log(
      `kill test: N=${N} trials in ${(ms / 1000).toFixed(1)} s (kill window ${window} ms)\n${trials.join('\n')}`,
    );
  }, 900_000);
});
