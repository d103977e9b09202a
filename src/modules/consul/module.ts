// The consul module: an agent on every host of install.config, servers where `consul` is listed.
import type { ModuleDef } from '../../engine/types';
import { findConsulBinary, syncSource } from './binary';
import { gatherResolvFacts } from './facts';
import { installSteps } from './install';
import { serversThenClients, startSteps, statusSteps, stopSteps } from './run';
import { consulHome } from './service';

/** Registered in src/modules/index.ts. */
export const consulModule: ModuleDef = {
  name: 'consul',
  after: [],
  hosts: (c) => [...c.allHosts],
  deploy: ['install', 'start'],
  sync: (h) => {
    const found = findConsulBinary(h.run.pkgDir);
    return [{ local: syncSource(h.run.pkgDir, h.run.controlDir, found), remote: consulHome(h.vars) }];
  },
  commands: {
    install: { prepare: gatherResolvFacts, steps: installSteps },
    start: { steps: (h) => startSteps(h.vars), waves: serversThenClients },
    stop: {
      steps: (h) => stopSteps(h.vars),
      waves: (hosts, ctx) => serversThenClients(hosts, ctx).reverse(),
    },
    status: { steps: (h) => statusSteps(h.vars) },
  },
};
