// HTTP calls through the front door from the controller: a real request to the nginx host's IP with
// `Host: PAAS_FQDN`, as a browser with a hosts-file entry would send it.
import { request } from 'node:http';

/** Status, headers and body of one request. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET or POST `path` on `ip:port` with Host `host`; `json` is sent as the body when given. */
export function front(
  ip: string,
  port: number,
  host: string,
  path: string,
  o: { json?: unknown; cookie?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = o.json === undefined ? undefined : JSON.stringify(o.json);
    const req = request(
      {
        host: ip,
        port,
        path,
        method: body ? 'POST' : 'GET',
        agent: false,
        timeout: 10_000,
        headers: {
          host,
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(o.cookie ? { cookie: o.cookie } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${ip}:${port}${path} within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}
