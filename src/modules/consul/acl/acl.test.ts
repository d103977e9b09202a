// The ACL token file and what each host gets of it (files, acl.json), and the policies' reach.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placementOf } from '../../../../test/support/placement';
import { aclConfigJson, tokenFiles } from './files';
import { agentPolicy, servicePolicy, servicesOf, tokenNames } from './policies';
import { consulTokensPath, ensureConsulTokens, parseConsulTokens } from './tokens';

const dir = mkdtempSync(join(tmpdir(), 'bkcec-acl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const v = (ip: string) => ({ INSTALL_PATH: '/data/bkce', LAN_IP: ip });
// paas: the paas project on 10.0.0.3, only appengine on 10.0.0.4 (no paas service there).
const placed = placementOf({
  consul: ['10.0.0.1'],
  mysql: ['10.0.0.2'],
  redis: ['10.0.0.3'],
  paas: ['10.0.0.3', '10.0.0.4'],
  'paas:paas': ['10.0.0.3'],
  'paas:appengine': ['10.0.0.4'],
});

describe('consul ACL tokens', () => {
  it('makes each token once (0600), keeps them across runs, and refuses a bad file', async () => {
    const names = tokenNames(placed, ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
    expect(names).toEqual([
      'management',
      'default',
      'agent:10.0.0.1',
      'agent:10.0.0.2',
      'agent:10.0.0.3',
      'agent:10.0.0.4',
      'service:mysql',
      'service:redis',
      'service:paas',
    ]);
    const first = await ensureConsulTokens(dir, names);
    expect(statSync(consulTokensPath(dir)).mode & 0o777).toBe(0o600);
    const again = await ensureConsulTokens(dir, [...names, 'service:nginx']);
    for (const n of names) expect(again.get(n)).toEqual(first.get(n));
    expect(new Set([...again.values()].map((t) => t.secret)).size).toBe(names.length + 1);
    writeFileSync(join(dir, 'bad'), 'service:mysql not-a-uuid x\n');
    expect(() => parseConsulTokens(readFileSync(join(dir, 'bad'), 'utf8'), 'bad')).toThrow(
      /^bad:1: expected/,
    );
    await expect(ensureConsulTokens(dir, ['service:Bad Name'])).rejects.toThrow(
      /expected a Consul token name/,
    );
  });

  it('gives a host its agent token, the read token, management on servers only, and its own services only', async () => {
    const tokens = await ensureConsulTokens(dir, tokenNames(placed, ['10.0.0.1', '10.0.0.3']));
    const server = JSON.parse(aclConfigJson(v('10.0.0.1'), placed, tokens)).acl;
    expect(server).toMatchObject({ enabled: true, default_policy: 'deny' });
    expect(server.tokens).toEqual({
      agent: tokens.get('agent:10.0.0.1')!.secret,
      default: tokens.get('default')!.secret,
      initial_management: tokens.get('management')!.secret,
    });
    const client = JSON.parse(aclConfigJson(v('10.0.0.3'), placed, tokens)).acl;
    expect(client.tokens).not.toHaveProperty('initial_management');
    expect(servicesOf(placed, '10.0.0.3')).toEqual(['redis', 'paas']);
    const files = tokenFiles(v('10.0.0.3'), placed, tokens);
    expect(files.map((f) => [f.path, f.mode])).toEqual([
      ['/data/bkce/etc/consul/tokens/cli.token', 0o600],
      ['/data/bkce/etc/consul/tokens/service-redis.token', 0o600],
      ['/data/bkce/etc/consul/tokens/service-paas.token', 0o600],
    ]);
    expect(files[0]!.content).toBe(`${tokens.get('agent:10.0.0.3')!.secret}\n`);
  });

  it('lets an agent write its own node only and a service token one service name only', () => {
    expect(agentPolicy('10.0.0.3').rules).toContain('node "bk-10-0-0-3" { policy = "write" }');
    expect(agentPolicy('10.0.0.3').rules).not.toMatch(/service[^_]* \{ policy = "write"/);
    expect(servicePolicy('mysql').rules).toBe('service "mysql" { policy = "write" }\n');
  });
});
