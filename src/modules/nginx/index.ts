// The front door: Debian's nginx with our nginx.conf, the PaaS vhost and the /download/ miniweb, under
// supervisord on the nginx hosts (/etc/hosts naming it on every host is consul's: consul/etchosts.ts).
import { command, type ModuleDef } from '../../engine/types';
import { supervisedService } from '../common/supervised';
import { nginxManifest } from './manifest';
import { miniwebSync } from './miniweb';
import { configStep, nginxService } from './steps';
import { prepareTls, tlsStep } from './tls';

const service = supervisedService(nginxService);

/** The nginx module (registered in src/modules/index.ts): it runs on the hosts listing it. */
export const nginxModule: ModuleDef = {
  ...nginxManifest,
  sync: (h) => [...service.sync(h), ...miniwebSync(h)],
  commands: {
    install: command({
      prepare: prepareTls,
      steps: async (h, tls) => [...tlsStep(h, tls), ...(await service.install(h.vars, h.run))],
    }),
    render: { steps: async (h) => [await configStep(h.vars, h.run)] },
    start: { steps: (h) => service.start(h.vars) },
    stop: { steps: (h) => service.stop(h.vars) },
    status: { steps: (h) => service.status(h.vars) },
  },
};
