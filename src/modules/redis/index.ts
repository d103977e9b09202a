// The platform's Redis: Debian's redis-server with our config (password, persistence) under supervisord.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleDef } from '../../engine/types';
import { distroServiceOffStep, packagesStep } from '../common/packages';
import { programsStep, startStep, statusStep, stopStep, supervisordSteps } from '../common/supervisor';
import { redisManifest } from './manifest';
import { configStep, pingStep, redisConsulStep, redisProgram, sysctlStep } from './steps';

type Vars = Readonly<Record<string, string>>;
const debDir = (v: Vars) => `${v.INSTALL_PATH}/src/debs/redis`;
const supervisord = (v: Vars) => supervisordSteps(v).map((s) => ({ ...s, always: true }));

/** The redis module. */
export const redisModule: ModuleDef = {
  ...redisManifest,
  sync: (h) =>
    existsSync(join(h.run.pkgDir, 'debs', 'redis')) ? [{ local: 'debs/redis', remote: debDir(h.vars) }] : [],
  commands: {
    install: {
      steps: async ({ vars: v }) => [
        packagesStep(['redis-server', 'redis-tools', 'supervisor'], v, debDir(v)),
        distroServiceOffStep(['redis-server']),
        await configStep(v),
        sysctlStep(),
        ...supervisord(v),
        programsStep(v, 'redis', [redisProgram(v)]),
        redisConsulStep(v),
      ],
    },
    render: { steps: async ({ vars: v }) => [await configStep(v)] },
    start: { steps: ({ vars: v }) => [...supervisord(v), startStep(v, 'redis'), pingStep(v, 'ready')] },
    stop: { steps: ({ vars: v }) => [stopStep(v, 'redis')] },
    status: { steps: ({ vars: v }) => [statusStep(v, 'redis'), pingStep(v)] },
  },
};
