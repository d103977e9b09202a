import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incoming } from '../gateway';
import { installFastPath } from './install';

let server: Server;
let port: number;
let fast: { close(): void };
const crashes: string[] = [];
let release: (() => void) | undefined;

beforeAll(async () => {
  // node:http answers text; the fast path answers JSON envelopes: each reply says who served it.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => res.end(`node ${req.method} ${req.url} ${body}`));
  });
  const fn = async (inc: Incoming) => {
    if (inc.path === '/crash/') throw new Error('boom');
    if (inc.path === '/wait/') await new Promise<void>((r) => (release = r));
    return {
      status: 200,
      json: { fast: true, method: inc.method, path: inc.path, body: inc.rawBody, host: inc.headers.host },
    };
  };
  fast = installFastPath(server, [{ prefix: '/c/compapi/', fn }], (e) => crashes.push(e.message));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  fast.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Write `parts` (one write each) on a new connection; the raw replies until `n` are complete or the server closes. */
function exchange(parts: string[], n: number): Promise<{ replies: string[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let text = '';
    const replies: string[] = [];
    const done = (closed: boolean) => {
      s.destroy();
      resolve({ replies, closed });
    };
    s.on('data', (d) => {
      text += d.toString('latin1');
      for (;;) {
        const end = text.indexOf('\r\n\r\n');
        const len = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? -1);
        if (end < 0 || len < 0 || text.length < end + 4 + len) break;
        replies.push(text.slice(0, end + 4 + len));
        text = text.slice(end + 4 + len);
      }
      if (replies.length >= n) done(false);
    });
    s.on('close', () => {
      if (text !== '') replies.push(text); // a reply delimited by the close
      done(true);
    });
    s.on('error', reject);
    (async () => {
      for (const p of parts) {
        s.write(p);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
  });
}
const body = (reply: string) => reply.slice(reply.indexOf('\r\n\r\n') + 4);
const GET = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: h\r\n${extra}\r\n`;
const POST = (path: string, data: string) =>
  `POST ${path} HTTP/1.1\r\nHost: h\r\nContent-Length: ${Buffer.byteLength(data)}\r\n\r\n${data}`;

describe('fast path', () => {
  it('answers calls under its prefixes with node:http’s framing fields', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/c/compapi/v2/a/b/?x=1`);
    expect(await res.json()).toEqual({
      fast: true,
      method: 'GET',
      path: '/v2/a/b/',
      body: '',
      host: `127.0.0.1:${port}`,
    });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('date')).toMatch(/GMT$/);
    expect(res.headers.get('keep-alive')).toBe('timeout=5');
  });
  it('serves several calls on one connection, then hands it to node:http at another path', async () => {
    const r = await exchange(
      [GET('/c/compapi/a/'), POST('/c/compapi/b/', '{"é":1}'), GET('/other'), GET('/c/compapi/c/')],
      4,
    );
    expect(r.replies.map(body)).toEqual([
      expect.stringContaining('"path":"/a/"'),
      expect.stringContaining(`"body":"{\\"${Buffer.from('é').toString('latin1')}\\":1}"`),
      'node GET /other ',
      'node GET /c/compapi/c/ ',
    ]);
  });
  it('answers pipelined requests in order and requests sent a byte at a time', async () => {
    const r = await exchange([GET('/c/compapi/1/') + GET('/c/compapi/2/') + POST('/c/compapi/3/', 'x')], 3);
    expect(r.replies.map((x) => JSON.parse(body(x)).path)).toEqual(['/1/', '/2/', '/3/']);
    const big = 'x'.repeat(3_000_000);
    const large = await exchange([POST('/c/compapi/big/', big)], 1);
    expect(JSON.parse(body(large.replies[0]!)).body).toBe(big);
    const slow = await exchange([...POST('/c/compapi/slow/', 'abc')], 1);
    expect(JSON.parse(body(slow.replies[0]!))).toMatchObject({ path: '/slow/', body: 'abc' });
  });
  it('leaves chunked bodies, HTTP/1.0, duplicate and malformed fields to node:http', async () => {
    const chunked =
      'POST /c/compapi/t/ HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n';
    expect(body((await exchange([chunked], 1)).replies[0]!)).toBe('node POST /c/compapi/t/ hi');
    const old = await exchange(['GET /c/compapi/old/ HTTP/1.0\r\nHost: h\r\n\r\n'], 1);
    expect(body(old.replies[0]!)).toBe('node GET /c/compapi/old/ ');
    expect(body((await exchange([GET('/c/compapi/d/', 'X-A: 1\r\nx-a: 2\r\n')], 1)).replies[0]!)).toMatch(
      /^node/,
    );
    const bad = await exchange([GET('/c/compapi/e/', 'Bad\u0001: x\r\n')], 1);
    expect(bad.replies[0]).toMatch(/^HTTP\/1.1 400/);
  });
  it('closes after Connection: close, answers a crash with the 500 envelope', async () => {
    const c = await exchange([GET('/c/compapi/a/', 'Connection: close\r\n'), GET('/c/compapi/b/')], 2);
    expect([c.replies.length, c.closed, c.replies[0]]).toEqual([
      1,
      true,
      expect.stringContaining('Connection: close'),
    ]);
    const half = await new Promise<string>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.end(GET('/c/compapi/half/')));
      let t = '';
      sock.on('data', (d) => {
        t += d;
      });
      sock.on('close', () => resolve(t));
    });
    expect(half).toMatch(/"path":"\/half\/"/); // answered, then closed (resolve waits for the close)
    const crash = await exchange([GET('/c/compapi/crash/')], 1);
    expect(crash.replies[0]).toMatch(/^HTTP\/1.1 500 Internal Server Error/);
    expect(JSON.parse(body(crash.replies[0]!))).toEqual({
      result: false,
      code: 1306000,
      message: 'internal error',
      data: null,
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(crashes).toContain('boom');
  });
  it('closes idle connections after keepAliveTimeout, and on close() once the call in flight is answered', async () => {
    server.keepAliveTimeout = 300;
    const idle = await exchange([GET('/c/compapi/a/')], 2);
    expect([idle.replies.length, idle.closed]).toEqual([1, true]);
    server.keepAliveTimeout = 5000;
    const waiting = exchange([GET('/c/compapi/wait/')], 2);
    await new Promise((r) => setTimeout(r, 100));
    fast.close();
    release?.();
    const w = await waiting;
    expect([w.replies.length, w.closed, w.replies[0]]).toEqual([
      1,
      true,
      expect.stringContaining('Connection: close'),
    ]);
  });
});
