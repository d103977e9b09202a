import { describe, expect, it } from 'vitest';
import { clashes, clockItem, hostItems, portsToCheck } from './items';
import { type HostFacts, parseFacts } from './probe';

const facts = (over: Partial<HostFacts> = {}): HostFacts => ({
  uid: 0,
  nofileSoft: '1048576',
  nofileHard: '1048576',
  installed: [],
  nameservers: ['10.0.0.2'],
  rotate: false,
  tcp: [],
  udp: [],
  diskPath: '/data',
  diskFreeKb: 50 * 1024 * 1024,
  ...over,
});
const v = {
  LAN_IP: '10.0.0.5',
  INSTALL_PATH: '/data/bkce',
  LICENSE_PORT: '8443',
  CONSUL_HTTP_PORT: '8500',
  CONSUL_DNS_PORT: '53',
  MYSQL_PORT: '3306',
  DEFAULT_HTTP_PORT: '80',
  DEFAULT_HTTPS_PORT: '443',
  PAAS_HTTP_PORT: '80',
  PAAS_HTTPS_PORT: '443',
  HTTP_SCHEMA: 'http',
};
const level = (items: ReturnType<typeof hostItems>, item: string) =>
  items.find((i) => i.item === item)?.level;

describe('check items', () => {
  it.each([
    [0.5, 'ok'],
    [-1.9, 'ok'],
    [2.5, 'warn'],
    [-59, 'warn'],
    [61, 'fail'],
    [-3600, 'fail'],
  ] as const)('clock skew %d s is %s', (skew, want) => {
    expect(clockItem('h', skew, 0.01).level).toBe(want);
  });

  it.each([
    ['0.0.0.0:8443', '10.0.0.5', '8443', true],
    ['[::]:8443', '10.0.0.5', '8443', true],
    ['10.0.0.5:8443', '10.0.0.5', '8443', true],
    ['10.0.0.9:8443', '10.0.0.5', '8443', false],
    ['127.0.0.1:53', '127.0.0.1', '53', true],
    ['10.77.0.1:53', '127.0.0.1', '53', false],
    ['127.0.0.53%lo:53', '*', '53', true],
    ['0.0.0.0:8444', '10.0.0.5', '8443', false],
  ] as const)('socket %s vs bind %s port %s clashes: %s', (s, bind, port, want) => {
    expect(clashes(s, bind, port)).toBe(want);
  });

  it('checks only the ports of modules not installed yet, https ports only with https', () => {
    expect(portsToCheck(v, ['consul', 'license', 'nginx'], ['consul']).map(([n]) => n)).toEqual([
      'LICENSE_PORT',
      'DEFAULT_HTTP_PORT',
      'PAAS_HTTP_PORT',
    ]);
  });

  it('fails a port taken on the bind address and passes one taken elsewhere', () => {
    expect(level(hostItems('h', v, ['license'], facts({ tcp: ['10.0.0.5:8443'] })), 'ports')).toBe('fail');
    expect(level(hostItems('h', v, ['license'], facts({ tcp: ['192.168.1.1:8443'] })), 'ports')).toBe('ok');
    expect(
      level(
        hostItems('h', v, ['license'], facts({ tcp: ['0.0.0.0:8443'], installed: ['license'] })),
        'ports',
      ),
    ).toBe('ok');
    expect(level(hostItems('h', v, ['consul'], facts({ udp: ['127.0.0.1:53'] })), 'ports')).toBe('fail');
  });

  it.each([
    [{ uid: 1000 }, 'root', 'fail'],
    [{ nofileHard: '1024', nofileSoft: '1024' }, 'ulimit -n', 'fail'],
    [{ nofileSoft: '1024' }, 'ulimit -n', 'warn'],
    [{ nofileSoft: 'unlimited', nofileHard: 'unlimited' }, 'ulimit -n', 'ok'],
    [{ rotate: true }, 'resolv.conf', 'fail'],
    [{ installed: ['consul'], nameservers: ['10.0.0.2', '127.0.0.1'] }, 'resolv.conf', 'fail'],
    [{ installed: ['consul'], nameservers: ['127.0.0.1', '10.0.0.2'] }, 'resolv.conf', 'ok'],
    [{ nameservers: [] }, 'resolv.conf', 'fail'],
    [{ diskFreeKb: 512 * 1024 }, 'disk', 'fail'],
    [{ diskFreeKb: 3 * 1024 * 1024 }, 'disk', 'warn'],
  ] as const)('%j → %s %s', (over, item, want) => {
    expect(level(hostItems('h', v, ['consul'], facts(over as Partial<HostFacts>)), item)).toBe(want);
  });

  it('parses the probe output and names a missing key', () => {
    const f = parseFacts(
      'uid=0\nnofile_soft=1024\nnofile_hard=4096\ninstalled=consul license \nnameservers=127.0.0.1 \nrotate=0\ntcp=0.0.0.0:22 \nudp=\ndisk_path=/data\ndisk_free_kb=100\n',
    );
    expect(f).toMatchObject({
      uid: 0,
      installed: ['consul', 'license'],
      tcp: ['0.0.0.0:22'],
      udp: [],
      diskFreeKb: 100,
    });
    expect(() => parseFacts('uid=0\n')).toThrow(/expected the host probe to print nofile_soft=/);
  });
});
