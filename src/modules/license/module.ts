// The license module: our certificate service (HTTPS with client certificates on LICENSE_PORT).
import { command, type ModuleDef } from '../../engine/types';
import { nodeSync } from '../paas/runtime';
import { configStep, installSteps, prepareCerts } from './install';
import { licenseManifest } from './manifest';
import { licensePaths } from './paths';
import { prepareStatus, startSteps, statusSteps, stopSteps } from './run';

/** Registered in src/modules/index.ts. */
export const licenseModule: ModuleDef = {
  ...licenseManifest,
  sync: (h) => [nodeSync(h.vars), { local: 'license', remote: licensePaths(h.vars).home }],
  commands: {
    install: command({ prepare: prepareCerts, steps: installSteps }),
    render: { steps: async (h) => [await configStep(h.vars)] },
    start: { steps: (h) => startSteps(h.vars) },
    stop: { steps: (h) => stopSteps(h.vars) },
    status: command({ prepare: prepareStatus, steps: statusSteps }),
  },
};
