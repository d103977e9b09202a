// What bkcec knows of consul without running it (see src/modules/index.ts).
import type { ModuleManifest } from '../../engine/types';

export const consulManifest = {
  name: 'consul',
  summary: 'service discovery and DNS; the hosts listing it are the servers, every host runs an agent',
  ports: [
    { name: 'CONSUL_HTTP_PORT', default: '8500', comment: 'Consul HTTP API, on 127.0.0.1 of every host' },
    {
      name: 'CONSUL_DNS_PORT',
      default: '53',
      comment: 'Consul DNS (<name>.service.consul); every host uses it as first nameserver',
    },
  ],
  placement: { counts: [1, 3, 5, 7], countsWhy: 'its servers' },
  after: [],
  deploy: ['install', 'start'],
} as const satisfies ModuleManifest;
