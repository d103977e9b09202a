import { maxHeaderSize, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { FastConn, type FastEnv, type FastRoute } from './conn';

const SWEEP_MS = 1_000;

/** Close connections idle past `keepAliveTimeout`, or sending a request slower than node:http allows. */
function sweep(env: FastEnv, server: Server): void {
  const now = Date.now();
  for (const c of env.conns) {
    if (c.busy) continue;
    const limit = c.partialSince === 0 ? 0 : c.inBody ? server.requestTimeout : server.headersTimeout;
    if (
      c.partialSince !== 0
        ? limit > 0 && now - c.partialSince > limit
        : server.keepAliveTimeout > 0 && now - c.idleSince > server.keepAliveTimeout
    )
      c.socket.destroy();
  }
}

/**
 * Put the ESB fast path in front of a node:http server: each new connection is read by a
 * FastConn, which answers GET/POST calls under the `routes` prefixes itself (no IncomingMessage,
 * no ServerResponse) and hands the connection to node:http at the first request it does not
 * serve (other paths, chunked bodies, odd or malformed heads). Timeouts follow the server's
 * keepAliveTimeout, headersTimeout and requestTimeout. `close()` ends idle connections and lets
 * the others finish their call first; call it before closing the server.
 */
export function installFastPath(
  server: Server,
  routes: readonly FastRoute[],
  crash: (e: Error) => void,
): { close(): void } {
  const nodeListeners = server.listeners('connection') as ((s: Socket) => void)[];
  server.removeAllListeners('connection');
  const env: FastEnv = {
    routes,
    prefixes: routes.map((r) => r.prefix),
    maxHead: maxHeaderSize,
    keepAliveSec: () => Math.floor(server.keepAliveTimeout / 1000),
    closing: false,
    crash,
    handOff: (s) => {
      for (const l of nodeListeners) l.call(server, s);
    },
    conns: new Set(),
  };
  server.on('connection', (s: Socket) => {
    if (env.closing) env.handOff(s);
    else env.conns.add(new FastConn(s, env));
  });
  const timer = setInterval(() => sweep(env, server), SWEEP_MS).unref();
  return {
    close() {
      env.closing = true;
      clearInterval(timer);
      for (const c of env.conns) c.closeIfIdle();
    },
  };
}
