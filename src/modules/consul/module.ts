// The consul module: an agent on every host of install.config, servers where `consul` is listed;
// the host's name resolution (resolv.conf → the agent, /etc/hosts → the front door) is its too.
import { command, type ModuleDef, type RunContext } from '../../engine/types';
import { prepareTokens } from './acl/state';
import { findConsulBinary, syncSource } from './binary';
import { etcHostsStatusStep, etcHostsStep } from './etchosts';
import { gatherResolvFacts } from './facts';
import { installSteps } from './install';
import { consulManifest } from './manifest';
import { restartCommand } from './restart';
import { serversThenClients, startSteps, statusSteps, stopSteps } from './run';
import { consulHome } from './service';

/** Registered in src/modules/index.ts. */
export const consulModule: ModuleDef = {
  ...consulManifest,
  hosts: (c) => [...c.allHosts],
  sync: (h) => {
    const found = findConsulBinary(h.run.pkgDir);
    return [{ local: syncSource(h.run.pkgDir, h.run.controlDir, found), remote: consulHome(h.vars) }];
  },
  commands: {
    install: command({
      prepare: async (ctx: RunContext, hosts: readonly string[]) => ({
        tokens: await prepareTokens(ctx),
        resolv: await gatherResolvFacts(ctx, hosts),
      }),
      steps: installSteps,
    }),
    // Only /etc/hosts is rendered from variables here (PAAS_FQDN, HAS_DNS_SERVER, the nginx hosts).
    render: { steps: (h) => [etcHostsStep(h.vars, h.run)] },
    start: command({
      prepare: prepareTokens,
      steps: (h, tokens) => startSteps(h.vars, h.run, tokens),
      waves: serversThenClients,
    }),
    stop: {
      steps: (h) => stopSteps(h.vars),
      waves: (hosts, ctx) => serversThenClients(hosts, ctx).reverse(),
    },
    // Rolling (upgrade = sync, install, then this restart): DNS stays up throughout.
    restart: restartCommand,
    status: { steps: (h) => [...statusSteps(h.vars, h.run), etcHostsStatusStep(h.vars, h.run)] },
  },
};
