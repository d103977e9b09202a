import { createClient } from 'redis';
import type { PaasConfig } from '../config/config';

/** Endless bounded-backoff reconnects, no offline queue, a short per-command timeout. */
function makeClient(cfg: PaasConfig['redis'], commandTimeoutMs: number) {
  return createClient({
    socket: {
      host: cfg.host,
      port: cfg.port,
      connectTimeout: 1_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2_000),
    },
    password: cfg.password || undefined,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
  });
}
export type RedisClient = ReturnType<typeof makeClient>;

/** A Redis client that never blocks callers: commands fail fast while Redis is down. */
export interface RedisHandle {
  client: RedisClient;
  /** True while connected; callers skip Redis (and fall back) when false. */
  ready(): boolean;
  close(): Promise<void>;
}

/**
 * Connect in the background, so a Redis outage (at start or later) costs callers at most
 * `commandTimeoutMs` and they can fall back to MySQL. `onError` is called at most every 10 s.
 */
export function openRedis(
  cfg: PaasConfig['redis'],
  onError: (e: Error) => void = () => {},
  commandTimeoutMs = 250,
): RedisHandle {
  const client = makeClient(cfg, commandTimeoutMs);
  let lastLog = 0;
  client.on('error', (e: Error) => {
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      onError(e);
    }
  });
  client.connect().catch(() => {});
  return {
    client,
    ready: () => client.isReady,
    close: async () => {
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}
