// The one JSON config file the four programs share (root:<service user> 0640: it holds the database
// and Redis passwords, the secret key and the ESB token), written through the schema the programs
// read it with (lib/config/open-paas.ts).

import type { PaasConfigInput } from '../../../lib/config/open-paas';
import type { Step } from '../../engine/types';
import { needVars, portVar } from '../common/config-vars';
import { secretFilesScript, serviceLogDirScript } from '../common/service-user';
import { restartUnits } from '../common/supervisor';
import { licenseSection } from './license';
import { innerUrl, type PaasHost, PORT_VAR, paasPaths, projectsHere } from './paths';

/** The config of this host's programs, from its variables and the run's placement. */
export function openPaasConfig(h: PaasHost): PaasConfigInput {
  const v = h.vars;
  const s = needVars(v, 'open_paas.json', [
    'MYSQL_HOST',
    'MYSQL_USER',
    'MYSQL_PASS',
    'REDIS_HOST',
    'REDIS_PASS',
    'PAAS_DOMAIN',
    'PAAS_INNER_DOMAIN',
    'BK_COOKIE_DOMAIN',
    'HTTP_SCHEMA',
    'ESB_SECRET_KEY',
    'ESB_TOKEN',
    'LAN_IP',
    'PAAS_ADMIN_USER',
  ]);
  const proxies = [...new Set([...h.run.hostsOf('nginx'), '127.0.0.1', '::1'])];
  return {
    db: {
      host: s.MYSQL_HOST,
      port: portVar(v, 'MYSQL_PORT'),
      user: s.MYSQL_USER,
      password: s.MYSQL_PASS,
      database: 'open_paas',
    },
    redis: { host: s.REDIS_HOST, port: portVar(v, 'REDIS_PORT'), password: s.REDIS_PASS },
    domains: {
      PAAS_DOMAIN: s.PAAS_DOMAIN,
      PAAS_INNER_DOMAIN: s.PAAS_INNER_DOMAIN,
      BK_COOKIE_DOMAIN: s.BK_COOKIE_DOMAIN,
      HTTP_SCHEMA: s.HTTP_SCHEMA as 'http' | 'https',
    },
    secrets: { SECRET_KEY: s.ESB_SECRET_KEY, ESB_TOKEN: s.ESB_TOKEN },
    listen: {
      host: s.LAN_IP,
      ports: {
        appengine: portVar(v, PORT_VAR.appengine!),
        paas: portVar(v, PORT_VAR.paas!),
        esb: portVar(v, PORT_VAR.esb!),
        login: portVar(v, PORT_VAR.login!),
      },
    },
    urls: {
      appengine: innerUrl(h, 'appengine'),
      paas: innerUrl(h, 'paas'),
      esb: innerUrl(h, 'esb'),
      login: innerUrl(h, 'login'),
    },
    trustProxy: proxies,
    license: licenseSection(h),
    logDir: paasPaths(v).logs,
    // control dirs from before BK_LANGUAGE default to Chinese
    i18n: { language: v.BK_LANGUAGE === 'en' ? 'en' : 'zh-cn' },
    admin: { PAAS_ADMIN_USER: s.PAAS_ADMIN_USER },
  };
}

/** The written config file; a change makes a restart owed of every paas program on this host. */
export function configStep(h: PaasHost): Step {
  const v = h.vars;
  const p = paasPaths(v);
  return {
    id: 'config',
    title: `render ${p.conf}`,
    files: [{ path: p.conf, content: `${JSON.stringify(openPaasConfig(h), null, 2)}\n`, mode: 0o640 }],
    notify: restartUnits('paas', projectsHere(h)),
    script: `${serviceLogDirScript(v, p.logs)}\n${secretFilesScript(v, [p.conf])}`,
  };
}
