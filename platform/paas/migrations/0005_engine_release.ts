import type { Migration } from '../common/db/migrate';

const T = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

/** Deploy records and released versions of the developer center (reference §3.4, §3.7). */
export const migration: Migration = {
  id: 5,
  name: 'engine_release',
  statements: [
    `CREATE TABLE IF NOT EXISTS paas_release_record (
      id INT AUTO_INCREMENT PRIMARY KEY,
      app_code VARCHAR(30) NOT NULL,
      operate_id SMALLINT NOT NULL,
      operate_user VARCHAR(128) NOT NULL,
      app_old_state SMALLINT NOT NULL,
      operate_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      is_success TINYINT(1) NOT NULL DEFAULT 0,
      is_done TINYINT(1) NOT NULL DEFAULT 0,
      is_tips TINYINT(1) NOT NULL DEFAULT 0,
      is_version TINYINT(1) NOT NULL DEFAULT 0,
      version VARCHAR(50) NOT NULL DEFAULT '',
      message LONGTEXT NULL,
      event_id VARCHAR(36) NULL,
      extra_data LONGTEXT NULL,
      KEY idx_release_app (app_code, id)
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS paas_release_version (
      id INT AUTO_INCREMENT PRIMARY KEY,
      app_code VARCHAR(30) NOT NULL,
      version VARCHAR(50) NOT NULL,
      operate_user VARCHAR(128) NOT NULL,
      features LONGTEXT NULL,
      bugs LONGTEXT NULL,
      release_record_id INT NOT NULL,
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      KEY idx_version_app (app_code)
    ) ${T}`,
  ],
};
