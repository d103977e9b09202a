// What bkcec knows of license without running it (see src/modules/index.ts). Not required: the CE
// web services never call it; it is installed only where listed.
import type { ModuleManifest } from '../../engine/types';

export const licenseManifest = {
  name: 'license',
  summary: 'the certificate service (HTTPS with client certificates)',
  ports: [
    { name: 'LICENSE_PORT', default: '8443', comment: 'license server, HTTPS with client certificates' },
  ],
  placement: { single: true },
  after: ['consul'],
  deploy: ['install', 'start'],
} as const satisfies ModuleManifest;
