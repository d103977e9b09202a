// The config files the controller writes for our host programs are what those programs accept:
// each writer's output, as JSON text, parses with the host's schema from lib/config.
import { describe, expect, it } from 'vitest';
import { AgentConfigSchema } from '../../../lib/config/agent';
import { LicenseConfigSchema } from '../../../lib/config/license';
import { ConfigSchema } from '../../../lib/config/open-paas';
import { placementOf } from '../../../test/support/placement';
import { agentConfig } from '../appagent/config';
import { licenseConfig } from '../license/install';
import { configStep } from '../paas/config';
import type { PaasHost } from '../paas/paths';

const vars: Record<string, string> = {
  INSTALL_PATH: '/data/bkce',
  CERT_PATH: '/data/bkce/cert',
  LAN_IP: '10.0.0.2',
  NGINX_IP: '10.0.0.1',
  MYSQL_HOST: 'mysql.service.consul',
  MYSQL_PORT: '3306',
  MYSQL_USER: 'bk "paas"',
  MYSQL_PASS: 'p\\a"ss\nword',
  REDIS_HOST: 'redis.service.consul',
  REDIS_PORT: '6379',
  REDIS_PASS: 'r3dis',
  PAAS_DOMAIN: 'paas.bking.com',
  PAAS_INNER_DOMAIN: 'paas.service.consul:80',
  BK_COOKIE_DOMAIN: '.bking.com',
  HTTP_SCHEMA: 'http',
  ESB_SECRET_KEY: 'k'.repeat(40),
  ESB_TOKEN: 't'.repeat(40),
  PAAS_ADMIN_USER: 'admin',
  BK_LANGUAGE: 'en',
  APPENGINE_PORT: '8000',
  PAAS_PORT: '8001',
  ESB_PORT: '8002',
  LOGIN_PORT: '8003',
  LICENSE_PORT: '8443',
  LICENSE_HOST: 'license.service.consul',
  PAASAGENT_PORT: '4245',
  APP_NGINX_PORT: '8010',
};

const placement: Record<string, string[]> = {
  paas: ['10.0.0.2', '10.0.0.3'],
  license: ['10.0.0.4'],
  nginx: ['10.0.0.1'],
};
const host = {
  ip: '10.0.0.2',
  vars,
  run: {
    hostsOf: (m: string, p?: string) => (p === 'login' ? ['10.0.0.3'] : (placement[m] ?? [])),
    projectsOf: (ip: string, m: string) =>
      m === 'paas' && ip === '10.0.0.2' ? ['appengine', 'paas', 'esb'] : [],
  },
} as unknown as PaasHost;

const written = (content: string | Buffer | undefined): unknown => JSON.parse(String(content));

describe('host program configs written on the controller', () => {
  it("open_paas.json parses with the programs' schema, secrets with quotes and newlines intact", () => {
    const file = configStep(host).files![0]!;
    const cfg = ConfigSchema.parse(written(file.content));
    expect(cfg.db).toMatchObject({ user: 'bk "paas"', password: 'p\\a"ss\nword', port: 3306 });
    expect(cfg.urls.login).toBe('http://10.0.0.3:8003');
    expect(cfg.urls.esb).toBe('http://10.0.0.2:8002');
    expect(cfg.trustProxy).toEqual(['10.0.0.1', '127.0.0.1', '::1']);
    expect(cfg.license?.url).toBe('https://license.service.consul:8443');
    expect(cfg.i18n.language).toBe('en');
  });

  it('open_paas.json names the variables it lacks instead of writing a file the programs refuse', () => {
    const { ESB_TOKEN: _t, MYSQL_HOST: _h, ...rest } = vars;
    expect(() => configStep({ ...host, vars: rest })).toThrow(
      /open_paas\.json: expected values for MYSQL_HOST, ESB_TOKEN/,
    );
    expect(() => configStep({ ...host, vars: { ...vars, REDIS_PORT: '63a' } })).toThrow(
      /expected REDIS_PORT to be a port number, found "63a"/,
    );
  });

  it("license.json parses with the license service's schema", () => {
    const cfg = LicenseConfigSchema.parse(written(JSON.stringify(licenseConfig(vars))));
    expect(cfg).toMatchObject({ listen: '10.0.0.2', port: 8443, caCert: '/data/bkce/cert/ca.crt' });
  });

  it("agent.json parses with the agent's schema", () => {
    const cfg = AgentConfigSchema.parse(
      written(
        agentConfig(vars, placementOf({ 'paas:appengine': ['10.0.0.2'] }), 'appt', {
          sid: 's'.repeat(16),
          token: 'x'.repeat(32),
        }),
      ),
    );
    expect(cfg).toMatchObject({
      mode: 'test',
      nodeBin: '/data/bkce/service/node/bin/node',
      allowFrom: ['10.0.0.2'],
    });
  });
});
