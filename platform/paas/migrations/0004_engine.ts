import type { Migration } from '../common/db/migrate';

const T = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

/** appengine tables (reference §5.1). */
export const migration: Migration = {
  id: 4,
  name: 'engine',
  statements: [
    `CREATE TABLE IF NOT EXISTS engine_apps (
      id INT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(20) NOT NULL,
      logo VARCHAR(100) NOT NULL DEFAULT '',
      app_code VARCHAR(30) NOT NULL UNIQUE,
      app_lang VARCHAR(50) NOT NULL DEFAULT 'python',
      app_type VARCHAR(20) NOT NULL DEFAULT 'django',
      is_active TINYINT(1) NOT NULL DEFAULT 1,
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS engine_app_tokens (
      id INT AUTO_INCREMENT PRIMARY KEY,
      bk_app_id INT NOT NULL UNIQUE,
      \`key\` CHAR(32) NOT NULL UNIQUE,
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
      CONSTRAINT fk_token_app FOREIGN KEY (bk_app_id) REFERENCES engine_apps (id) ON DELETE CASCADE
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS engine_servers (
      id INT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(64) NOT NULL DEFAULT '',
      s_id CHAR(36) NOT NULL UNIQUE,
      token CHAR(36) NOT NULL,
      ip_address VARCHAR(64) NOT NULL,
      ip_port INT NOT NULL DEFAULT 4245,
      app_port INT NOT NULL DEFAULT 8085,
      category VARCHAR(16) NOT NULL,
      info LONGTEXT NULL,
      is_active TINYINT(1) NOT NULL DEFAULT 0,
      mac VARCHAR(64) NOT NULL DEFAULT '',
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS engine_hosting_ships (
      id INT AUTO_INCREMENT PRIMARY KEY,
      bk_app_id INT NOT NULL,
      bk_server_id INT NOT NULL,
      is_active TINYINT(1) NOT NULL DEFAULT 1,
      is_master TINYINT(1) NOT NULL DEFAULT 1,
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      UNIQUE KEY uniq_ship (bk_app_id, bk_server_id)
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS engine_app_envs (
      id INT AUTO_INCREMENT PRIMARY KEY,
      bk_app_id INT NOT NULL,
      mode VARCHAR(20) NOT NULL,
      \`key\` VARCHAR(255) NOT NULL,
      value VARCHAR(1024) NOT NULL,
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      UNIQUE KEY uniq_app_env (bk_app_id, mode, \`key\`)
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS engine_app_events (
      id CHAR(36) PRIMARY KEY,
      bk_app_id INT NOT NULL,
      event_type VARCHAR(64) NOT NULL,
      status VARCHAR(16) NOT NULL DEFAULT 'READY',
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
      KEY idx_event_app (bk_app_id)
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS engine_app_event_logs (
      id BIGINT AUTO_INCREMENT PRIMARY KEY,
      bk_app_event_id CHAR(36) NOT NULL,
      log LONGTEXT NOT NULL,
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      KEY idx_log_event (bk_app_event_id)
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS engine_third_servers (
      id INT AUTO_INCREMENT PRIMARY KEY,
      category VARCHAR(32) NOT NULL,
      server_info LONGTEXT NOT NULL,
      info LONGTEXT NULL,
      is_active TINYINT(1) NOT NULL DEFAULT 0,
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) ${T}`,
  ],
};
