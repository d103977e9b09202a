// Cache invalidation across programs and hosts over Redis pub/sub: paas announces that an app's
// secret changed, every ESB worker forgets its cached copy before the next call. While Redis is
// down announcements are lost, so a subscriber that (re)connects drops its whole cache (`onGap`),
// and the caches' own time-to-live (ESB `cacheSec`, default 5 s) bounds staleness meanwhile.
import type { PaasConfig } from '../config/config';
import { openRedis, type RedisHandle } from './redis';

/** App codes whose secrets changed (rotation, deletion, a new app). */
export const APP_SECRETS = 'bkcec:invalidate:app-secrets';

/** Announce `key` on `channel`; the number of subscribers reached (0 when Redis is down). */
export async function announce(redis: RedisHandle, channel: string, key: string): Promise<number> {
  if (!redis.ready()) return 0;
  try {
    return await redis.client.publish(channel, key);
  } catch {
    return 0;
  }
}

/**
 * Listen on `channel` over a connection of its own: `onKey` per announcement, `onGap` whenever
 * the subscription starts or restarts (announcements in between were missed).
 */
export function subscribe(
  cfg: PaasConfig['redis'],
  channel: string,
  onKey: (key: string) => void,
  onGap: () => void,
  onError: (e: Error) => void = () => {},
): { close(): Promise<void> } {
  const h = openRedis(cfg, onError);
  h.client.on('ready', () => {
    onGap();
    h.client
      .unsubscribe(channel)
      .then(() => h.client.subscribe(channel, (message) => onKey(message)))
      .catch((e: Error) => onError(e));
  });
  return { close: () => h.close() };
}
