import { describe, expect, it } from 'vitest';
import { parseInstallConfig } from '../inventory/parse';
import { parseEnvFile } from './envfile';
import type { ControlConfig } from './types';
import { generatedNameProblem, hostVars } from './vars';

function config(installConfig: string, globals: string, ports: string): ControlConfig {
  const parsed = parseInstallConfig(installConfig);
  expect(parsed.issues).toEqual([]);
  const g = parseEnvFile(globals, 'globals.env');
  const p = parseEnvFile(ports, 'ports.env', g.vars);
  expect([...g.issues, ...p.issues]).toEqual([]);
  return {
    dir: '/ctl',
    inventory: parsed.inventory,
    globals: g.vars,
    ports: p.vars,
    ssh: { user: 'root', port: 22 },
  };
}

const THREE = [
  '[bkce-basic]',
  '10.0.0.3 paas,license,redis,consul',
  '10.0.0.1 nginx,appo,consul',
  '10.0.0.2 mysql,consul,paas(esb-login)',
].join('\n');
const GLOBALS =
  'BK_DOMAIN=bking.com\nPAAS_FQDN=paas.$BK_DOMAIN\nHTTP_SCHEMA=http\nINSTALL_PATH=/data/bkce\n' +
  'NTP=( a b )\nBK_SSH_KEY=/root/key\nMYSQL_PASS=s3cret';
const PORTS = 'PAAS_HTTP_PORT=80\nPAAS_HTTPS_PORT=443\nPAASAGENT_PORT=4245\nAPP_NGINX_PORT=8010';

describe('hostVars', () => {
  it('generates inventory names in file order, per host LAN_IP, globals and ports', () => {
    const cfg = config(THREE, GLOBALS, PORTS);
    const v = hostVars(cfg, '10.0.0.1');
    expect(v).toMatchObject({
      LAN_IP: '10.0.0.1',
      ALL_IP: '10.0.0.3 10.0.0.1 10.0.0.2',
      ALL_IP_COMMA: '10.0.0.3,10.0.0.1,10.0.0.2',
      CONSUL_IP: '10.0.0.3 10.0.0.1 10.0.0.2',
      CONSUL_IP0: '10.0.0.3',
      CONSUL_IP2: '10.0.0.2',
      PAAS_IP: '10.0.0.3 10.0.0.2',
      PAAS_IP_COMMA: '10.0.0.3,10.0.0.2',
      PAAS_IP1: '10.0.0.2',
      PAAS_ESB_IP: '10.0.0.3 10.0.0.2',
      PAAS_APPENGINE_IP: '10.0.0.3',
      PAAS_APPENGINE_IP_COMMA: '10.0.0.3',
      MYSQL_IP0: '10.0.0.2',
      REDIS_IP0: '10.0.0.3',
      NGINX_IP: '10.0.0.1',
      APPO_IP0: '10.0.0.1',
      MYSQL_HOST: 'mysql.service.consul',
      REDIS_HOST: 'redis.service.consul',
      NGINX_HOST: 'nginx.service.consul',
      LICENSE_HOST: 'license.service.consul',
      PAAS_HOST: 'paas.service.consul',
      CONSUL_HOST: 'consul.service.consul',
      APPT_HOST: 'appt.service.consul',
      INSTALL_PATH: '/data/bkce',
      BK_HOME: '/data/bkce',
      CERT_PATH: '/data/bkce/cert',
      BK_COOKIE_DOMAIN: '.bking.com',
      PAAS_FQDN: 'paas.bking.com',
      PAAS_DOMAIN: 'paas.bking.com',
      PAAS_INNER_DOMAIN: 'paas.service.consul:80',
      PAAS_URL: 'http://paas.bking.com',
      NTP: 'a b',
      MYSQL_PASS: 's3cret',
      PAAS_AGENT_PORT: '4245',
      APP_NGXPROXY_PORT: '8010',
    });
    expect(v.PAAS_IP2).toBeUndefined();
    expect(v.APPT_IP).toBeUndefined();
    expect(v.BK_SSH_KEY).toBeUndefined();
    expect(hostVars(cfg, '10.0.0.2').LAN_IP).toBe('10.0.0.2');
  });

  it.each([
    ['http', '8080', '443', 'paas.bking.com:8080'],
    ['https', '80', '443', 'paas.bking.com'],
    ['https', '80', '8443', 'paas.bking.com:8443'],
  ])('PAAS_DOMAIN for %s with http %s / https %s is %s', (schema, http, https, domain) => {
    const globals = GLOBALS.replace('HTTP_SCHEMA=http', `HTTP_SCHEMA=${schema}`);
    const ports = `PAAS_HTTP_PORT=${http}\nPAAS_HTTPS_PORT=${https}`;
    const v = hostVars(config(THREE, globals, ports), '10.0.0.3');
    expect(v.PAAS_DOMAIN).toBe(domain);
    expect(v.PAAS_URL).toBe(`${schema}://${domain}`);
  });

  it('refuses an IP that is not in install.config', () => {
    expect(() => hostVars(config(THREE, GLOBALS, PORTS), '10.0.0.9')).toThrow(
      'expected a host IP listed in install.config, found 10.0.0.9',
    );
  });
});

describe('generatedNameProblem', () => {
  it.each([
    'LAN_IP',
    'ALL_IP',
    'ALL_IP_COMMA',
    'MYSQL_IP',
    'MYSQL_IP12',
    'APPO_IP_COMMA',
    'PAAS_ESB_IP0',
    'REDIS_HOST',
    'BK_COOKIE_DOMAIN',
    'PAAS_DOMAIN',
  ])('%s is reserved', (name) =>
    expect(generatedNameProblem(name)).toContain(`expected ${name} to be left to bkcec`),
  );
  it.each(['MYSQL_PORT', 'BK_DOMAIN', 'GSE_IP0', 'MYSQL_IPX', 'PAAS_FQDN', 'PAAS_AGENT_PORT'])(
    '%s is free',
    (name) => expect(generatedNameProblem(name)).toBeUndefined(),
  );
});
