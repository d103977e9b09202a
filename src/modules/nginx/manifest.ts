// What bkcec knows of nginx without running it (see src/modules/index.ts).
import type { ModuleManifest } from '../../engine/types';

export const nginxManifest = {
  name: 'nginx',
  summary: 'the front door and the /download/ miniweb',
  ports: [
    { name: 'DEFAULT_HTTP_PORT', default: '80', comment: 'nginx: the front door and the /download/ miniweb' },
    { name: 'DEFAULT_HTTPS_PORT', default: '443', comment: 'nginx when HTTP_SCHEMA=https' },
    {
      name: 'PAAS_HTTP_PORT',
      default: '$DEFAULT_HTTP_PORT',
      comment: 'browser-facing port of the PaaS site (http)',
    },
    {
      name: 'PAAS_HTTPS_PORT',
      default: '$DEFAULT_HTTPS_PORT',
      comment: 'browser-facing port of the PaaS site (https)',
    },
  ],
  // the vhost points PAAS_AGENT_PROD/TEST at single agents and /etc/hosts at one front door
  placement: { single: true },
  after: ['consul'],
} as const satisfies ModuleManifest;
