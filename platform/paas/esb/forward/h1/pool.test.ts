import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { H1Error } from './conn';
import { BadRequestError } from './head';
import { h1Request } from './pool';

/** A raw TCP server: `reply(request head, index of the request on its connection, socket)`. */
async function rawServer(reply: (head: string, nth: number, s: Socket) => void) {
  const heads: string[] = [];
  let connections = 0;
  const server: Server = createServer((s) => {
    connections++;
    let nth = 0;
    let buf = '';
    s.on('error', () => {});
    s.on('data', (d) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        const head = buf.slice(0, end);
        const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        heads.push(buf.slice(0, end + 4 + len));
        buf = buf.slice(end + 4 + len);
        reply(head, nth++, s);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  servers.push(server);
  return { origin: `http://127.0.0.1:${port}`, heads, connections: () => connections };
}
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.close();
  }
});

const ok = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const get = (origin: string, path = '/x', timeoutMs = 2000) =>
  h1Request(origin, { method: 'GET', path, headers: { 'x-a': 'b' }, timeoutMs }, 1024);

describe('h1Request', () => {
  it('sends a well-formed request and reuses the kept-alive connection', async () => {
    const srv = await rawServer((_h, _n, s) => s.write(ok('{"n":1}', 'Content-Type: application/json\r\n')));
    const r = await get(srv.origin, '/a?b=1');
    expect([r.status, r.headers['content-type'], r.body.toString()]).toEqual([
      200,
      'application/json',
      '{"n":1}',
    ]);
    await h1Request(
      srv.origin,
      { method: 'POST', path: '/p', headers: {}, body: 'é=1', timeoutMs: 2000 },
      1024,
    );
    expect(srv.connections()).toBe(1);
    expect(srv.heads[0]).toBe(`GET /a?b=1 HTTP/1.1\r\nx-a: b\r\nhost: ${srv.origin.slice(7)}\r\n\r\n`);
    expect(srv.heads[1]).toBe(
      `POST /p HTTP/1.1\r\nhost: ${srv.origin.slice(7)}\r\ncontent-length: 4\r\n\r\n${Buffer.from('é=1').toString('latin1')}`,
    );
  });
  it('reads chunked and close-delimited replies from the network', async () => {
    const srv = await rawServer((h, _n, s) => {
      if (h.includes('/chunked'))
        s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
      else s.end('HTTP/1.1 200 OK\r\n\r\nuntil close');
    });
    expect((await get(srv.origin, '/chunked')).body.toString()).toBe('abc');
    expect((await get(srv.origin, '/close')).body.toString()).toBe('until close');
  });
  it('sends a GET again on a new connection when a kept-alive one was closed under it, not a POST', async () => {
    const srv = await rawServer((_h, nth, s) => (nth === 0 ? s.write(ok('first')) : s.destroy()));
    await get(srv.origin);
    expect((await get(srv.origin)).body.toString()).toBe('first');
    expect(srv.connections()).toBe(2);
    const post = h1Request(
      srv.origin,
      { method: 'POST', path: '/p', headers: {}, body: '{}', timeoutMs: 2000 },
      1024,
    );
    await expect(post).rejects.toThrow(/before an answer/);
  });
  it('opens a new connection once the server’s Keep-Alive timeout has run out, and after Connection: close', async () => {
    const srv = await rawServer((h, _n, s) =>
      s.write(ok('x', h.includes('/close') ? 'Connection: close\r\n' : 'Keep-Alive: timeout=1\r\n')),
    );
    await get(srv.origin);
    await get(srv.origin);
    expect(srv.connections()).toBe(2);
    await get(srv.origin, '/close');
    await get(srv.origin, '/close');
    expect(srv.connections()).toBe(4);
  });
  it('fails with a timeout when no byte comes, and with a size error past the limit', async () => {
    const srv = await rawServer((h, _n, s) => {
      if (h.includes('/big')) s.write(ok('y'.repeat(2000)));
    });
    const started = Date.now();
    const err = await get(srv.origin, '/silent', 300).catch((e: H1Error) => e);
    expect(err).toBeInstanceOf(H1Error);
    expect([(err as H1Error).kind, Date.now() - started < 1500]).toEqual(['timeout', true]);
    expect(await get(srv.origin, '/big').catch((e: H1Error) => e.kind)).toBe('size');
  });
  it('refuses requests it cannot put on the wire, and fails on a refused connection', async () => {
    const srv = await rawServer(() => {});
    const bad = { method: 'GET', path: '/x', headers: { 'x-a': 'b\r\nInjected: 1' }, timeoutMs: 1000 };
    expect(() => h1Request(srv.origin, bad, 1024)).toThrow(BadRequestError);
    expect(() => h1Request(srv.origin, { ...bad, headers: {}, path: '/a b' }, 1024)).toThrow(
      /invalid request path/,
    );
    servers[0]!.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(get('http://127.0.0.1:1')).rejects.toThrow(/ECONNREFUSED/);
  });
});
