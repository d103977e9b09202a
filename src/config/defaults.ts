// Default ports (ports.env) and which module binds which of them: shared by init and validation.
import type { ModuleName } from '../inventory/modules';

/** A ports.env entry: name, default value (may reference an earlier one), what it is for. */
export type PortDefault = readonly [name: string, value: string, comment: string];

/** Every port ports.env must define, in file order; legacy names so templates read naturally. */
export const PORT_DEFAULTS: readonly PortDefault[] = [
  ['CONSUL_HTTP_PORT', '8500', 'Consul HTTP API, on 127.0.0.1 of every host'],
  ['CONSUL_DNS_PORT', '53', 'Consul DNS (<name>.service.consul); every host uses it as first nameserver'],
  ['LICENSE_PORT', '8443', 'license server, HTTPS with client certificates'],
  ['MYSQL_PORT', '3306', 'the platform MariaDB instance'],
  ['REDIS_PORT', '6379', 'the platform Redis instance'],
  ['DEFAULT_HTTP_PORT', '80', 'nginx: the front door and the /download/ miniweb'],
  ['DEFAULT_HTTPS_PORT', '443', 'nginx when HTTP_SCHEMA=https'],
  ['PAAS_HTTP_PORT', '$DEFAULT_HTTP_PORT', 'browser-facing port of the PaaS site (http)'],
  ['PAAS_HTTPS_PORT', '$DEFAULT_HTTPS_PORT', 'browser-facing port of the PaaS site (https)'],
  ['APPENGINE_PORT', '8000', 'paas project appengine'],
  ['PAAS_PORT', '8001', 'paas project paas (developer center)'],
  ['ESB_PORT', '8002', 'paas project esb (API gateway)'],
  ['LOGIN_PORT', '8003', 'paas project login'],
  ['PAASAGENT_PORT', '4245', 'app agent on appo/appt hosts'],
  ['APP_NGINX_PORT', '8010', 'app entry (/o/, /t/) on appo/appt hosts'],
];

/** The ports each module listens on, to find two modules of one host wanting the same port. */
export const MODULE_PORTS: Record<ModuleName, readonly string[]> = {
  consul: ['CONSUL_HTTP_PORT', 'CONSUL_DNS_PORT'],
  license: ['LICENSE_PORT'],
  mysql: ['MYSQL_PORT'],
  redis: ['REDIS_PORT'],
  nginx: ['DEFAULT_HTTP_PORT', 'DEFAULT_HTTPS_PORT', 'PAAS_HTTP_PORT', 'PAAS_HTTPS_PORT'],
  paas: ['APPENGINE_PORT', 'PAAS_PORT', 'ESB_PORT', 'LOGIN_PORT'],
  appo: ['PAASAGENT_PORT', 'APP_NGINX_PORT'],
  appt: ['PAASAGENT_PORT', 'APP_NGINX_PORT'],
};
