// `bkcec rotate <secret>`: a new value for one secret of globals.env, taken by every host and
// program in an order that keeps the platform serving: whatever must accept the new value does so
// before anything starts presenting it. Each plan ends with a deploy, so a rotation that stopped
// half-way is finished by running `bkcec deploy` (globals.env already holds the new value).
import type { ControlConfig } from '../../config';
import { hostsOf } from '../../config';
import { generateSecrets } from '../../config/secrets';
import { hostVars } from '../../config/vars';
import type { RunSummary } from '../../engine/engine';
import type { Command } from '../../engine/types';
import type { Transport } from '../../transport/transport';
import { runOk } from '../backup/host';
import { consulKeyringScript, redisAddPasswordScript, setAdminPasswordScript } from './hosts';

export const ROTATABLE = [
  'MYSQL_PASS',
  'REDIS_PASS',
  'PAAS_ADMIN_PASS',
  'ESB_TOKEN',
  'ESB_SECRET_KEY',
  'CONSUL_ENCRYPT',
] as const;
export type Rotatable = (typeof ROTATABLE)[number];

/** One engine run of the plan, after globals.env holds the new value. */
export type EngineStep = { command: Command; module: string } | 'deploy';

export interface RotationPlan {
  /** What is done before globals.env changes, for the operator. */
  before?: string;
  /** Host work done before globals.env changes (the old value still in force). */
  prepare?: (
    cfg: ControlConfig,
    open: (ip: string) => Promise<Transport>,
    current: string,
    next: string,
  ) => Promise<void>;
  after: EngineStep[];
}

/** The first host of `module`, or an error naming install.config. */
function firstHost(cfg: ControlConfig, module: string): string {
  const ip = hostsOf(cfg.inventory, module as never)[0];
  if (!ip) throw new Error(`${cfg.dir}/install.config: expected a host running ${module}, found none`);
  return ip;
}

export const PLANS: Record<Rotatable, RotationPlan> = {
  // MariaDB keeps one password per account: paas gets the new one rendered (restart owed), the
  // accounts change, then paas restarts at once; open connections keep working meanwhile.
  MYSQL_PASS: {
    after: [
      { command: 'render', module: 'paas' },
      { command: 'initdata', module: 'mysql' },
      { command: 'restart', module: 'paas' },
      'deploy',
    ],
  },
  // Redis takes the new password next to the old one, paas restarts with it, and the deploy's
  // redis restart (redis.conf changed) leaves only the new one.
  REDIS_PASS: {
    before: 'redis accepts the new password next to the old one',
    prepare: async (cfg, open, current, next) => {
      for (const ip of hostsOf(cfg.inventory, 'redis'))
        await runOk(
          await open(ip),
          'redis ACL SETUSER',
          redisAddPasswordScript(hostVars(cfg, ip), current, next),
        );
    },
    after: [{ command: 'render', module: 'paas' }, { command: 'restart', module: 'paas' }, 'deploy'],
  },
  // The admin account's password lives in the database: one paas host changes it (stdin only)
  // before globals.env records it, so a failure leaves both on the old one.
  PAAS_ADMIN_PASS: {
    before: 'the admin account takes the new password (manage set-admin-password on one paas host)',
    prepare: async (cfg, open, _current, next) => {
      const ip = firstHost(cfg, 'paas');
      await runOk(
        await open(ip),
        'manage set-admin-password',
        setAdminPasswordScript(hostVars(cfg, ip), next),
      );
    },
    after: [],
  },
  // Every program that presents or checks the token is re-rendered and restarted by the deploy.
  ESB_TOKEN: { after: ['deploy'] },
  ESB_SECRET_KEY: { after: ['deploy'] },
  // Install the new gossip key on every member, use it, remove the old one; the rendered configs
  // then name the new key, so hosts that join later (or start without a keyring) can join.
  CONSUL_ENCRYPT: {
    before: 'consul keyring: install the new key, use it, remove the old one',
    prepare: async (cfg, open, current, next) => {
      // Hosts listing consul are its servers: any one of them changes every member's keyring.
      const ip = firstHost(cfg, 'consul');
      await runOk(await open(ip), 'consul keyring', consulKeyringScript(hostVars(cfg, ip), current, next));
    },
    after: ['deploy'],
  },
};

export const isRotatable = (s: string): s is Rotatable => (ROTATABLE as readonly string[]).includes(s);

/** A fresh value of the kind `bkcec init` makes. */
export const newValue = (name: Rotatable): string => generateSecrets()[name];

/** Words for a plan (dry runs and the start of a real one). */
export function describePlan(name: Rotatable): string[] {
  const p = PLANS[name];
  return [
    ...(p.before ? [p.before] : []),
    `globals.env: ${name} gets a new value`,
    ...p.after.map((s) =>
      s === 'deploy'
        ? 'deploy (re-render, owed restarts, rolling where the module rolls)'
        : `${s.command} ${s.module}`,
    ),
  ];
}

/** Runs the engine part of a plan; stops at the first run that failed. */
export async function runAfter(
  steps: readonly EngineStep[],
  engine: { run(c: Command, m: string): Promise<RunSummary>; deploy(): Promise<RunSummary> },
): Promise<RunSummary | undefined> {
  let last: RunSummary | undefined;
  for (const s of steps) {
    last = s === 'deploy' ? await engine.deploy() : await engine.run(s.command, s.module);
    if (!last.ok) return last;
  }
  return last;
}
