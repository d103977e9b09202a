import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placementOf } from '../../../test/support/placement';
import { defaultPkgDir } from '../../cli/options';
import { findConsulBinary } from './binary';
import { agentConfig, agentConfigJson, datacenter, isServer } from './config';
import { serviceDefinition } from './service';

const KEY = randomBytes(32).toString('base64');
const vars = (ip: string, extra: Record<string, string> = {}) => ({
  INSTALL_PATH: '/data/bkce',
  LAN_IP: ip,
  CONSUL_ENCRYPT: KEY,
  CONSUL_HTTP_PORT: '8500',
  CONSUL_DNS_PORT: '53',
  ...extra,
});
const three = placementOf({ consul: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] });

describe('agentConfig', () => {
  it('makes hosts listing consul servers expecting all of them', () => {
    const c = agentConfig(vars('10.0.0.2'), three, ['10.9.0.1']);
    expect(c).toMatchObject({
      server: true,
      bootstrap_expect: 3,
      bind_addr: '10.0.0.2',
      advertise_addr: '10.0.0.2',
      client_addr: '127.0.0.1',
      data_dir: '/data/bkce/public/consul',
      retry_join: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      ports: { dns: 53, http: 8500 },
      recursors: ['10.9.0.1'],
      encrypt: KEY,
      datacenter: 'dc1',
      leave_on_terminate: false,
      skip_leave_on_interrupt: true,
      rejoin_after_leave: true,
      disable_update_check: true,
    });
    expect(isServer(three, '10.0.0.2')).toBe(true);
  });

  it('makes every other host a client joining the servers', () => {
    const c = agentConfig(vars('10.0.0.4'), three, []);
    expect(c.server).toBe(false);
    expect(c).not.toHaveProperty('bootstrap_expect');
    expect(c.retry_join).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(c).not.toHaveProperty('recursors');
    expect(isServer(three, '10.0.0.4')).toBe(false);
  });

  it('gives a single host one server that bootstraps alone', () => {
    expect(agentConfig(vars('10.0.0.1'), placementOf({ consul: ['10.0.0.1'] }), [])).toMatchObject({
      server: true,
      bootstrap_expect: 1,
    });
  });

  it('gives every host a distinct node name whatever its hostname', () => {
    const names = ['10.0.0.1', '10.0.0.4'].map((ip) => agentConfig(vars(ip), three, []).node_name);
    expect(names).toEqual(['bk-10-0-0-1', 'bk-10-0-0-4']);
  });

  it.each([
    ['no gossip key', { CONSUL_ENCRYPT: '' }, 'expected CONSUL_ENCRYPT in globals.env'],
    ['bad port', { CONSUL_DNS_PORT: '5x3' }, "expected CONSUL_DNS_PORT to be a port 1-65535, found '5x3'"],
    [
      'bad datacenter',
      { CONSUL_DATACENTER: 'dc 1' },
      "expected CONSUL_DATACENTER to be letters, digits, - or _ (at most 63), found 'dc 1'",
    ],
  ])('refuses %s', (_n, extra, message) => {
    expect(() => agentConfig(vars('10.0.0.1', extra), three, [])).toThrow(message);
  });

  it('refuses no servers', () => {
    expect(() => agentConfig(vars('10.0.0.1'), placementOf({}), [])).toThrow(
      'expected a host listing consul in install.config',
    );
  });

  it('takes the datacenter from globals when set', () => {
    expect(datacenter({ CONSUL_DATACENTER: 'bk-sz' })).toBe('bk-sz');
  });

  it('renders byte-identical JSON for the same inputs', () => {
    expect(agentConfigJson(vars('10.0.0.1'), three, ['1.1.1.1'])).toBe(
      agentConfigJson(vars('10.0.0.1'), three, ['1.1.1.1']),
    );
  });
});

describe('consul validate accepts what we generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bkcec-consul-cfg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bin = findConsulBinary(defaultPkgDir()).path;
  const validate = (files: Record<string, string>) => {
    const d = mkdtempSync(join(dir, 'case-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
    return execFileSync(bin, ['validate', d], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };

  it.each(['10.0.0.1', '10.0.0.4'])('config of %s with a TCP and an HTTP service', (ip) => {
    const v = vars(ip, { INSTALL_PATH: dir });
    const out = validate({
      'consul.json': agentConfigJson(v, three, ['10.9.0.1', '10.9.0.2']),
      'service-mysql.json': serviceDefinition(v, { name: 'mysql', port: 3306, check: { tcp: true } }),
      'service-paas.json': serviceDefinition(v, {
        name: 'paas',
        port: 8001,
        check: { http: `http://${ip}:8001/healthz/` },
      }),
    });
    expect(out).toContain('Configuration is valid!');
  });

  it('is refused by consul validate when broken (the check can fail)', () => {
    const v = vars('10.0.0.1', { INSTALL_PATH: dir });
    const broken = agentConfigJson(v, three, []).replace('"retry_join"', '"retry_joinx"');
    expect(() => validate({ 'consul.json': broken })).toThrow();
  });
});

describe('serviceDefinition', () => {
  it('checks the service on its port at the host address', () => {
    const s = JSON.parse(
      serviceDefinition(vars('10.0.0.2'), {
        name: 'redis',
        port: 6379,
        check: { tcp: true },
        interval: '2s',
      }),
    );
    expect(s.service).toMatchObject({
      name: 'redis',
      address: '10.0.0.2',
      port: 6379,
      check: { tcp: '10.0.0.2:6379', interval: '2s' },
    });
  });
  it.each([
    ['Bad_Name', 80, 'expected a Consul service name'],
    ['ok', 0, 'expected service ok to have a port 1-65535, found 0'],
  ])('refuses name %s port %d', (name, port, message) => {
    expect(() => serviceDefinition(vars('10.0.0.2'), { name, port, check: { tcp: true } })).toThrow(message);
  });
});
