// The license HTTPS server: mutual TLS with the platform CA, POST /certificate and GET /healthz.

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeAnswer, RESULT } from '../../lib/license/codes';
import { checkPlatformCertificate } from '../../lib/license/verify';
import { parseCheckRequest, readBody } from './body';
import type { LicenseConfig } from './config';
import { readHostMacs } from './host-macs';
import type { JsonLog } from './log';

/** A running service. */
export interface LicenseServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function peerName(req: IncomingMessage): string {
  const peer = (req.socket as TLSSocket).getPeerCertificate();
  return peer?.subject?.CN ?? '';
}

/** Starts the service; MACs are read once now (a failure stops start-up) and again on every check. */
export async function startLicenseServer(config: LicenseConfig, log: JsonLog): Promise<LicenseServer> {
  const hostMacs = async () => config.macs ?? (await readHostMacs(config.netClassDir));
  const caPem = readFileSync(config.caCert, 'utf8');
  const ca = new X509Certificate(caPem);
  const startMacs = await hostMacs();

  async function check(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req, config.maxBodyBytes);
    const client = peerName(req);
    if (text === null) {
      res.setHeader('connection', 'close');
      log.write({ event: 'check', client, result: RESULT.tooLarge });
      return send(
        res,
        413,
        makeAnswer(RESULT.tooLarge, `expected a body of at most ${config.maxBodyBytes} bytes`),
      );
    }
    const parsed = parseCheckRequest(text);
    if (typeof parsed === 'string') {
      log.write({ event: 'check', client, result: RESULT.badRequest });
      return send(res, 400, makeAnswer(RESULT.badRequest, parsed));
    }
    let macs: string[];
    try {
      macs = await hostMacs();
    } catch (err) {
      log.write({ event: 'check', client, platform: parsed.platform, result: RESULT.hostMacsUnreadable });
      return send(
        res,
        500,
        makeAnswer(RESULT.hostMacsUnreadable, `cannot read this host's MACs: ${(err as Error).message}`),
      );
    }
    const out = checkPlatformCertificate(parsed.certificate, ca, macs);
    log.write({ event: 'check', client, platform: parsed.platform, result: out.result });
    send(res, 200, makeAnswer(out.result, out.detail, out.validFrom, out.validTo));
  }

  const server = createServer(
    {
      cert: readFileSync(config.serverCert),
      key: readFileSync(config.serverKey),
      ca: caPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/healthz' && req.method === 'GET') return send(res, 200, { ok: true });
      if (path === '/certificate' && req.method === 'POST') {
        check(req, res).catch((err: Error) => {
          log.write({ event: 'error', message: err.message });
          if (!res.headersSent) send(res, 500, { ok: false, error: 'internal error' });
        });
        return;
      }
      if (path === '/certificate' || path === '/healthz')
        return send(res, 405, { ok: false, error: `method ${req.method} not allowed` });
      send(res, 404, { ok: false, error: `no route ${path}; expected POST /certificate or GET /healthz` });
    },
  );
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.listen, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  log.write({ event: 'listening', address: addr.address, port: addr.port, macs: startMacs });
  return {
    address: addr.address,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
