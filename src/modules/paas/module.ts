// The paas module: the four platform programs (appengine, paas, esb, login) behind the front nginx.
import { command, type ModuleDef } from '../../engine/types';
import { configStep } from './config';
import { verifyFrontDoor } from './health';
import { initdataSteps, prepareTokens } from './initdata';
import { installSteps } from './install';
import { paasManifest } from './manifest';
import { restartSteps, startSteps, statusSteps, stopSteps } from './run';
import { paasSync, upgradeCommand } from './upgrade';

/** One host at a time. */
const rolling = (hosts: readonly string[]): string[][] => hosts.map((h) => [h]);

/** Registered in src/modules/index.ts. */
export const paasModule: ModuleDef = {
  ...paasManifest,
  sync: (h) => paasSync(h.vars),
  commands: {
    install: { steps: installSteps },
    render: { steps: async (h) => [await configStep(h)] },
    initdata: command({ prepare: prepareTokens, steps: initdataSteps, once: true }),
    start: { steps: startSteps, verify: verifyFrontDoor },
    stop: { steps: stopSteps },
    restart: { steps: restartSteps, waves: rolling, verify: verifyFrontDoor },
    status: { steps: statusSteps },
    upgrade: upgradeCommand,
  },
};
