// The generated parts of the PaaS vhost: upstream blocks listing every host of each paas project,
// and the /o/ /t/ app routes when appo/appt hosts exist. They fill placeholders of paas.conf.tpl.

import { frontDoorValue } from '../../../lib/front-door';
import type { Placement } from '../../engine/types';
import { tlsPaths } from './tls';

type Vars = Readonly<Record<string, string>>;

/** Upstream name, paas project, port variable: the legacy names of paas.conf. */
export const PAAS_UPSTREAMS = [
  ['OPEN_PAAS_APPENGINE', 'appengine', 'APPENGINE_PORT'],
  ['OPEN_PAAS', 'paas', 'PAAS_PORT'],
  ['OPEN_PAAS_ESB', 'esb', 'ESB_PORT'],
  ['OPEN_PAAS_LOGIN', 'login', 'LOGIN_PORT'],
] as const;

const APP_ROUTES = [
  ['PAAS_AGENT_PROD', 'appo', '/o/', 'production apps (appo)'],
  ['PAAS_AGENT_TEST', 'appt', '/t/', 'test apps (appt)'],
] as const;

function port(v: Vars, name: string): string {
  const p = v[name];
  if (!p || !/^[0-9]+$/.test(p))
    throw new Error(`expected ${name} to be a port number, found ${JSON.stringify(p ?? '')}`);
  return p;
}

/** One upstream block; with no host it holds a `down` server, so its routes answer 502. */
export function upstream(name: string, ips: readonly string[], p: string, none: string): string {
  const servers = ips.length
    ? ips.map((ip) => `    server ${ip}:${p} max_fails=3 fail_timeout=10s;`)
    : [`    server 127.0.0.1:${p} down; # ${none}`];
  return [`upstream ${name} {`, ...servers, '    keepalive 32;', '}'].join('\n');
}

/** The /api/ line that proves to ESB a call came through this nginx (no ESB_TOKEN: never proven). */
function esbFrontDoor(v: Vars): string {
  const t = v.ESB_TOKEN;
  return t
    ? `        proxy_set_header X-Bkcec-Front-Door ${frontDoorValue(t)};`
    : '        proxy_set_header X-Bkcec-Front-Door ""; # no ESB_TOKEN: ESB will not trust X-Request-Uri';
}

/**
 * How the PaaS site listens: http on PAAS_HTTP_PORT; with https also PAAS_HTTPS_PORT with the
 * certificate, PAAS_FQDN over http answered with a redirect (the internal consul name PAAS_HOST
 * stays on http: apps reach the platform by it, as BK_PAAS_INNER_HOST).
 */
function listenVars(v: Vars, https: boolean): Record<string, string> {
  const http = port(v, 'PAAS_HTTP_PORT');
  if (!https)
    return {
      NGINX_PAAS_LISTEN: `    listen ${http};`,
      NGINX_PAAS_REDIRECT_MAP: '# HTTP_SCHEMA=http: no redirect to https',
    };
  const t = tlsPaths(v);
  const fqdn = (v.PAAS_FQDN ?? '').toLowerCase();
  return {
    NGINX_PAAS_LISTEN: [
      `    listen ${http};`,
      `    listen ${port(v, 'PAAS_HTTPS_PORT')} ssl;`,
      `    ssl_certificate ${t.cert};`,
      `    ssl_certificate_key ${t.key};`,
      '    ssl_protocols TLSv1.2 TLSv1.3;',
      '    ssl_session_cache shared:bk_paas_tls:10m;',
      '    ssl_session_timeout 1h;',
      `    if ($bk_paas_to_https) { return 301 https://${v.PAAS_DOMAIN ?? fqdn}$request_uri; }`,
    ].join('\n'),
    NGINX_PAAS_REDIRECT_MAP: `map "$scheme://$host" $bk_paas_to_https {\n    "http://${fqdn}" 1;\n    default 0;\n}`,
  };
}

/** The values of __NGINX_PAAS_UPSTREAMS__, __NGINX_APP_UPSTREAMS__, __NGINX_APP_LOCATIONS__, __NGINX_ESB_FRONT_DOOR__. */
export function vhostVars(v: Vars, p: Placement): Record<string, string> {
  const schema = v.HTTP_SCHEMA ?? 'http';
  if (schema !== 'http' && schema !== 'https') {
    throw new Error(`expected HTTP_SCHEMA=http or https, found ${JSON.stringify(v.HTTP_SCHEMA)}`);
  }
  const paas = PAAS_UPSTREAMS.map(([name, proj, portVar]) =>
    upstream(name, p.hostsOf('paas', proj), port(v, portVar), `no host runs paas(${proj}) in install.config`),
  );
  const apps = APP_ROUTES.filter(([, module]) => p.hostsOf(module).length > 0);
  const none = '# no appo/appt host in install.config: /o/ and /t/ are not routed';
  return {
    ...listenVars(v, schema === 'https'),
    NGINX_ESB_FRONT_DOOR: esbFrontDoor(v),
    NGINX_PAAS_UPSTREAMS: paas.join('\n'),
    NGINX_APP_UPSTREAMS: apps.length
      ? apps
          .map(([name, module]) => upstream(name, p.hostsOf(module), port(v, 'APP_NGINX_PORT'), ''))
          .join('\n')
      : none,
    NGINX_APP_LOCATIONS: apps.length
      ? apps
          .map(
            ([name, , path, what]) =>
              // apps take what the agent's nginx takes (appagent/config.ts)
              `    # ${what}\n    location ${path} {\n        client_max_body_size 512m;\n        proxy_pass http://${name};\n    }`,
          )
          .join('\n\n')
      : `    ${none}`,
  };
}
