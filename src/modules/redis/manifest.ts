// What bkcec knows of redis without running it (see src/modules/index.ts).
import type { ModuleManifest } from '../../engine/types';

export const redisManifest = {
  name: 'redis',
  summary: 'the platform Redis',
  ports: [{ name: 'REDIS_PORT', default: '6379', comment: 'the platform Redis instance' }],
  placement: { single: true },
  after: ['consul'],
} as const satisfies ModuleManifest;
