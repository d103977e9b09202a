// What bkcec knows of paas without running it (see src/modules/index.ts). It may run on several
// hosts, each with some of its projects; every project must run somewhere.
import type { ModuleManifest } from '../../engine/types';

export const paasManifest = {
  name: 'paas',
  summary: 'the platform programs',
  // in start order (login and appengine first: paas's health depends on them)
  projects: ['appengine', 'paas', 'esb', 'login'],
  ports: [
    { name: 'APPENGINE_PORT', default: '8000', comment: 'paas project appengine' },
    { name: 'PAAS_PORT', default: '8001', comment: 'paas project paas (developer center)' },
    { name: 'ESB_PORT', default: '8002', comment: 'paas project esb (API gateway)' },
    { name: 'LOGIN_PORT', default: '8003', comment: 'paas project login' },
  ],
  placement: { needs: ['mysql', 'redis', 'nginx'] },
  after: ['consul', 'license', 'mysql', 'redis', 'nginx'],
  deploy: ['install', 'initdata', 'start'],
} as const satisfies ModuleManifest;
