// What bkcec knows of mysql without running it (see src/modules/index.ts).
import type { ModuleManifest } from '../../engine/types';

export const mysqlManifest = {
  name: 'mysql',
  summary: 'the platform MariaDB',
  ports: [{ name: 'MYSQL_PORT', default: '3306', comment: 'the platform MariaDB instance' }],
  // templates address it as MYSQL_IP0
  placement: { single: true },
  after: ['consul'],
  deploy: ['install', 'start', 'initdata'],
} as const satisfies ModuleManifest;
