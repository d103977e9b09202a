// What bkcec knows of appo and appt without running them (see src/modules/index.ts): one agent host
// per environment, driven by paas's appengine; the two may not share a host.
import type { ModuleManifest } from '../../engine/types';
import type { AgentModule } from './paths';

export const agentManifest = (name: AgentModule) =>
  ({
    name,
    summary: name === 'appo' ? 'the agent of production apps (/o/)' : 'the agent of test apps (/t/)',
    ports: [
      { name: 'PAASAGENT_PORT', default: '4245', comment: 'app agent on appo/appt hosts' },
      { name: 'APP_NGINX_PORT', default: '8010', comment: 'app entry (/o/, /t/) on appo/appt hosts' },
    ],
    placement: { single: true, needs: ['paas'], apart: name === 'appo' ? ['appt'] : [] },
    after: ['consul', 'license', 'mysql', 'redis', 'nginx', 'paas'],
    deploy: ['install', 'start', 'initdata'],
  }) as const satisfies ModuleManifest;
