// A tiny authoritative UDP DNS server for tests: A records for `*.<zone>`, NXDOMAIN for anything
// else, no data for other types of names in the zone. Stands in for a site's upstream nameserver.
import { createSocket, type Socket } from 'node:dgram';

/** A running test DNS server; `queries` counts the questions it answered. */
export interface TestDns {
  queries: string[];
  close(): Promise<void>;
}

function questionEnd(msg: Buffer): { name: string; end: number } {
  const labels: string[] = [];
  let i = 12;
  while (i < msg.length && msg[i]! > 0) {
    labels.push(msg.subarray(i + 1, i + 1 + msg[i]!).toString('latin1'));
    i += msg[i]! + 1;
  }
  return { name: labels.join('.').toLowerCase(), end: i + 5 };
}

/** Builds the answer to one query (exported for its unit test). */
export function answer(msg: Buffer, zone: string, address: string): Buffer {
  const { name, end } = questionEnd(msg);
  const qtype = msg.readUInt16BE(end - 4);
  const inZone = name === zone || name.endsWith(`.${zone}`);
  const records = inZone && qtype === 1 ? 1 : 0;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(msg.readUInt16BE(0), 0);
  // QR + AA + RD copied + RA; rcode 3 (NXDOMAIN) outside the zone.
  header.writeUInt16BE(0x8480 | (msg.readUInt16BE(2) & 0x0100) | (inZone ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records, 6);
  const rr = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, ...address.split('.').map(Number)]);
  return Buffer.concat([header, msg.subarray(12, end), ...(records ? [rr] : [])]);
}

/** Starts the server on host:port (UDP), answering `*.zone` with `address`. */
export async function startTestDns(
  host: string,
  port: number,
  zone: string,
  address: string,
): Promise<TestDns> {
  const sock: Socket = createSocket('udp4');
  const queries: string[] = [];
  sock.on('message', (msg, peer) => {
    if (msg.length < 17) return;
    queries.push(questionEnd(msg).name);
    sock.send(answer(msg, zone, address), peer.port, peer.address);
  });
  await new Promise<void>((ok, fail) => {
    sock.once('error', fail);
    sock.bind(port, host, () => ok());
  });
  return { queries, close: () => new Promise((ok) => sock.close(() => ok())) };
}
