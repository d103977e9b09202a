// The front door: Debian's nginx with our nginx.conf, the PaaS vhost and the /download/ miniweb, under
// supervisord on the nginx hosts; on every host (HAS_DNS_SERVER=0) /etc/hosts maps PAAS_FQDN to it.
import { command, type HostContext, type ModuleDef, type Step } from '../../engine/types';
import { supervisedService } from '../common/supervised';
import { etcHostsStatusStep, etcHostsStep } from './etchosts';
import { nginxManifest } from './manifest';
import { miniwebSync } from './miniweb';
import { configStep, nginxService } from './steps';
import { prepareTls, tlsStep } from './tls';

type Vars = Readonly<Record<string, string>>;
const service = supervisedService(nginxService);
const isNginxHost = (h: HostContext) => h.run.hostsOf('nginx').includes(h.ip);

/** Steps for nginx hosts only; other hosts get none. */
const onNginx =
  (f: (v: Vars) => Step[] | Promise<Step[]>) =>
  (h: HostContext): Step[] | Promise<Step[]> =>
    isNginxHost(h) ? f(h.vars) : [];

/** The nginx module: its hosts() are every host (for /etc/hosts); the program runs on nginx hosts. */
export const nginxModule: ModuleDef = {
  ...nginxManifest,
  hosts: (c) => (c.hostsOf('nginx').length ? [...c.allHosts] : []),
  sync: (h) => (isNginxHost(h) ? [...service.sync(h), ...miniwebSync(h)] : []),
  commands: {
    install: command({
      prepare: prepareTls,
      steps: async (h, tls) => [
        etcHostsStep(h.vars),
        ...(isNginxHost(h) ? tlsStep(h, tls) : []),
        ...(await onNginx(service.install)(h)),
      ],
    }),
    render: {
      steps: async (h) => [etcHostsStep(h.vars), ...(await onNginx(async (v) => [await configStep(v)])(h))],
    },
    start: {
      steps: onNginx(service.start),
    },
    stop: { steps: onNginx(service.stop) },
    status: {
      steps: (h) => [...(isNginxHost(h) ? service.status(h.vars) : []), etcHostsStatusStep(h.vars)],
    },
  },
};
