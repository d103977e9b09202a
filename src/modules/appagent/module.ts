// The app agent modules: appo (production apps, /o/) and appt (test apps, /t/) share everything
// but the environment they serve.
import { command, type ModuleDef } from '../../engine/types';
import { nodeSync } from '../paas/runtime';
import { agentManifest } from './manifest';
import { type AgentModule, agentPaths } from './paths';
import { initdataSteps, installSteps, prepareCredentials, startSteps, statusSteps, stopSteps } from './steps';

/** The module definition for appo or appt. */
export function appAgentModule(name: AgentModule): ModuleDef {
  return {
    ...agentManifest(name),
    sync: (h) => [nodeSync(h.vars), { local: 'agent', remote: `${agentPaths(h.vars).home}/bin` }],
    commands: {
      install: command({ prepare: prepareCredentials(name), steps: installSteps(name) }),
      render: command({
        prepare: prepareCredentials(name),
        steps: (h, creds) =>
          installSteps(name)(h, creds).filter((s) => s.id === 'config' || s.id === 'nginx-config'),
      }),
      start: { steps: startSteps(name) },
      stop: { steps: stopSteps(name) },
      // One host at a time: the module's apps never go down on every host together.
      restart: {
        steps: (h) => [...stopSteps(name)(h), ...startSteps(name)(h)],
        waves: (hosts) => hosts.map((h) => [h]),
      },
      status: { steps: statusSteps(name) },
      // one active server per environment: the first host of the module is the one activated
      initdata: { steps: initdataSteps(name), once: true },
    },
  };
}
