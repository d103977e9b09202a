// The platform's Redis: Debian's redis-server with our config (password, persistence) under supervisord.
import type { ModuleDef } from '../../engine/types';
import { supervisedService } from '../common/supervised';
import { redisManifest } from './manifest';
import { configStep, redisService } from './steps';

const service = supervisedService(redisService);

/** The redis module. */
export const redisModule: ModuleDef = {
  ...redisManifest,
  sync: service.sync,
  commands: {
    install: { steps: ({ vars: v, run }) => service.install(v, run) },
    render: { steps: async ({ vars: v }) => [await configStep(v)] },
    start: { steps: ({ vars: v }) => service.start(v) },
    stop: { steps: ({ vars: v }) => service.stop(v) },
    status: { steps: ({ vars: v }) => service.status(v) },
  },
};
