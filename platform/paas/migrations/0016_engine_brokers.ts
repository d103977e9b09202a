import type { Migration } from '../common/db/migrate';

const T = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

/** Per app and environment Celery brokers: a Redis ACL user limited to its key prefix (appengine/releases/broker.ts). */
export const migration: Migration = {
  id: 16,
  name: 'engine_brokers',
  statements: [
    `CREATE TABLE IF NOT EXISTS engine_app_brokers (
      bk_app_id INT NOT NULL,
      mode VARCHAR(20) NOT NULL,
      username VARCHAR(80) NOT NULL,
      password VARCHAR(64) NOT NULL,
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      PRIMARY KEY (bk_app_id, mode),
      UNIQUE KEY uniq_app_broker_user (username)
    ) ${T}`,
  ],
};
