import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDns, type TestDns } from './dns-server';

let dns: TestDns;
const port = 20000 + Math.floor(Math.random() * 20000);
// Async: the server runs in this process, so a blocking child would starve it.
const dig = async (...args: string[]) =>
  (await promisify(execFile)('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args]))
    .stdout;

beforeAll(async () => {
  dns = await startTestDns('127.0.0.1', port, 'example.test', '10.1.2.3');
});
afterAll(() => dns.close());

describe('test DNS server', () => {
  it('answers A records in its zone', async () => {
    expect((await dig('+short', 'www.example.test', 'A')).trim()).toBe('10.1.2.3');
    expect(dns.queries).toContain('www.example.test');
  });
  it('answers NXDOMAIN outside its zone and no data for other types', async () => {
    expect(await dig('nothing.invalid', 'A')).toContain('status: NXDOMAIN');
    const aaaa = await dig('www.example.test', 'AAAA');
    expect(aaaa).toContain('status: NOERROR');
    expect(aaaa).toContain('ANSWER: 0');
  });
});
