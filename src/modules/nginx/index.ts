// The front door: Debian's nginx with our nginx.conf, the PaaS vhost and the /download/ miniweb, under
// supervisord on the nginx hosts; on every host (HAS_DNS_SERVER=0) /etc/hosts maps PAAS_FQDN to it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HostContext, ModuleDef, Step } from '../../engine/types';
import { distroServiceOffStep, packagesStep } from '../common/packages';
import { programsStep, startStep, statusStep, stopStep, supervisordSteps } from '../common/supervisor';
import { etcHostsStatusStep, etcHostsStep } from './etchosts';
import { nginxManifest } from './manifest';
import { miniwebSync, platformEnvStep } from './miniweb';
import { configStep, configTestStep, etcLinkStep, nginxConsulStep, nginxProgram, probeStep } from './steps';
import { prepareTls, tlsStep } from './tls';

type Vars = Readonly<Record<string, string>>;
const debDir = (v: Vars) => `${v.INSTALL_PATH}/src/debs/nginx`;
const supervisord = (v: Vars) => supervisordSteps(v).map((s) => ({ ...s, always: true }));
const isNginxHost = (h: HostContext) => (h.vars.NGINX_IP ?? '').split(/\s+/).includes(h.ip);

/** Steps for nginx hosts only; other hosts get none. */
const onNginx =
  (f: (v: Vars) => Step[] | Promise<Step[]>) =>
  (h: HostContext): Step[] | Promise<Step[]> =>
    isNginxHost(h) ? f(h.vars) : [];

/** The nginx module: its hosts() are every host (for /etc/hosts); the program runs on nginx hosts. */
export const nginxModule: ModuleDef = {
  ...nginxManifest,
  hosts: (c) => (c.hostsOf('nginx').length ? [...c.allHosts] : []),
  sync: (h) =>
    isNginxHost(h)
      ? [
          ...(existsSync(join(h.run.pkgDir, 'debs', 'nginx'))
            ? [{ local: 'debs/nginx', remote: debDir(h.vars) }]
            : []),
          ...miniwebSync(h),
        ]
      : [],
  commands: {
    install: {
      prepare: prepareTls,
      steps: async (h) => [
        etcHostsStep(h.vars),
        ...(isNginxHost(h) ? tlsStep(h) : []),
        ...(await onNginx(async (v) => [
          packagesStep(['nginx', 'supervisor'], v, debDir(v)),
          distroServiceOffStep(['nginx']),
          await configStep(v),
          platformEnvStep(v),
          etcLinkStep(v),
          ...supervisord(v),
          programsStep(v, 'nginx', [nginxProgram(v)]),
          nginxConsulStep(v),
        ])(h)),
      ],
    },
    render: {
      steps: async (h) => [etcHostsStep(h.vars), ...(await onNginx(async (v) => [await configStep(v)])(h))],
    },
    start: {
      steps: onNginx((v) => [
        configTestStep(v),
        ...supervisord(v),
        startStep(v, 'nginx'),
        probeStep(v, 'ready'),
      ]),
    },
    stop: { steps: onNginx((v) => [stopStep(v, 'nginx')]) },
    status: {
      steps: (h) => [
        ...(isNginxHost(h) ? [statusStep(h.vars, 'nginx'), probeStep(h.vars)] : []),
        etcHostsStatusStep(h.vars),
      ],
    },
  },
};
