// The testbed from TypeScript (vitest beforeAll/afterAll): a thin wrapper over tools/testbed/testbed.
import { type RunResult, runTestbed } from './run';

export type { RunResult } from './run';

/** One testbed host as `testbed list` reports it. */
export interface TestbedHost {
  index: number;
  name: string;
  ip: string;
  running: boolean;
  cut: boolean;
}

/** Parses `testbed list` lines: "index name ip running|stopped [cut]". */
function parseList(out: string): TestbedHost[] {
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [index = '', name = '', ip = '', ...state] = l.trim().split(/\s+/);
      return {
        index: Number(index),
        name,
        ip,
        running: state.includes('running'),
        cut: state.includes('cut'),
      };
    });
}

/**
 * One testbed instance: 0 is the design's 10.77.0.0/24; instance K uses 10.77.K.0/24 with its own
 * bridge, names and state dir, so a suite can own a testbed without touching another's.
 */
export class Testbed {
  readonly stateDir: string;
  readonly keyPath: string;
  readonly knownHostsPath: string;
  readonly controllerIp: string;

  constructor(readonly instance = Number(process.env.BKCEC_TESTBED_INSTANCE ?? '0')) {
    if (!Number.isInteger(instance) || instance < 0 || instance > 255) {
      throw new Error(`testbed instance: expected an integer 0..255, found ${instance}`);
    }
    const suffix = instance === 0 ? '' : `-${instance}`;
    this.stateDir = process.env.BKCEC_TESTBED_DIR ?? `/srv/bkcec-testbed${suffix}`;
    this.keyPath = `${this.stateDir}/id_ed25519`;
    this.knownHostsPath = `${this.stateDir}/known_hosts`;
    this.controllerIp = `10.77.${instance}.1`;
  }

  /** IP of host i (1-based): 10.77.K.(10+i). */
  hostIp(i: number): string {
    return `10.77.${this.instance}.${10 + i}`;
  }

  /** Runs the testbed command; rejects with its stderr when it exits non-zero. */
  async must(...args: string[]): Promise<string> {
    const r = await runTestbed(this.instance, args);
    if (r.code !== 0) {
      throw new Error(
        `expected 'testbed ${args.join(' ')}' to succeed, it exited ${r.code}: ${r.stderr.trim()}`,
      );
    }
    return r.stdout;
  }

  /** Makes hosts 1..n; with fresh (the default) everything from before is removed first. */
  async up(n: number, { fresh = true }: { fresh?: boolean } = {}): Promise<TestbedHost[]> {
    if (fresh) await this.down();
    return parseList(await this.must('up', String(n)));
  }

  /** Removes every host, process, namespace, link, the bridge and the state dir. */
  async down(): Promise<void> {
    await this.must('down');
  }

  /** The hosts that exist now. */
  async list(): Promise<TestbedHost[]> {
    return parseList(await this.must('list'));
  }

  /** Runs a shell command on host i over ssh with the testbed key; never rejects on a non-zero exit. */
  ssh(i: number, cmd: string): Promise<RunResult> {
    return runTestbed(this.instance, ['ssh', String(i), cmd]);
  }

  /** Runs a shell command inside host i's namespaces with nsenter (works while cut). */
  exec(i: number, cmd: string): Promise<RunResult> {
    return runTestbed(this.instance, ['exec', String(i), '/bin/bash', '-c', cmd]);
  }

  /** Takes host i's link down. */
  async cut(i: number): Promise<void> {
    await this.must('cut', String(i));
  }

  /** Brings host i's link back up. */
  async heal(i: number): Promise<void> {
    await this.must('heal', String(i));
  }

  /** SIGKILLs every process of host i (power loss); its disk stays. */
  async kill(i: number): Promise<void> {
    await this.must('kill', String(i));
  }

  /** Kills host i and boots it again with the same disk; resolves once its sshd answers. */
  async restart(i: number): Promise<void> {
    await this.must('restart', String(i));
  }

  /** Makes control dir `dir` with `bkcec init` for a layout such as {1: ['nginx','consul'], 2: ['mysql']}. */
  async ctrl(dir: string, layout: string | Record<number, string[]>): Promise<void> {
    const text =
      typeof layout === 'string'
        ? layout
        : Object.entries(layout)
            .map(([i, mods]) => `${i}=${mods.join(',')}`)
            .join(' ');
    await this.must('ctrl', dir, text);
  }
}

/** The testbed selected by BKCEC_TESTBED_INSTANCE (default 0, the design's 10.77.0.0/24). */
export const testbed = new Testbed();
export const keyPath = testbed.keyPath;
export const knownHostsPath = testbed.knownHostsPath;
export const hostIp = (i: number) => testbed.hostIp(i);
export const up = (n: number, opts?: { fresh?: boolean }) => testbed.up(n, opts);
export const down = () => testbed.down();
export const list = () => testbed.list();
export const ssh = (i: number, cmd: string) => testbed.ssh(i, cmd);
export const exec = (i: number, cmd: string) => testbed.exec(i, cmd);
export const cut = (i: number) => testbed.cut(i);
export const heal = (i: number) => testbed.heal(i);
export const kill = (i: number) => testbed.kill(i);
export const restart = (i: number) => testbed.restart(i);
export const ctrl = (dir: string, layout: string | Record<number, string[]>) => testbed.ctrl(dir, layout);
