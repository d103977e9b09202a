import type { Migration } from '../common/db/migrate';

/** paas: local user copy, apps, developers, secure info, env vars, audit log (reference §3.7). */
export const migration: Migration = {
  id: 2,
  name: 'paas',
  statements: [
    `CREATE TABLE IF NOT EXISTS account_bkuser (
      id INT AUTO_INCREMENT PRIMARY KEY,
      username VARCHAR(128) NOT NULL UNIQUE,
      chname VARCHAR(254) NOT NULL DEFAULT '',
      company VARCHAR(128) NOT NULL DEFAULT '',
      qq VARCHAR(32) NOT NULL DEFAULT '',
      phone VARCHAR(64) NOT NULL DEFAULT '',
      email VARCHAR(254) NOT NULL DEFAULT '',
      is_staff TINYINT(1) NOT NULL DEFAULT 0,
      is_superuser TINYINT(1) NOT NULL DEFAULT 0,
      role VARCHAR(32) NOT NULL DEFAULT '0',
      password VARCHAR(128) NOT NULL DEFAULT '',
      date_joined DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS paas_apptags (
      id INT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(20) NOT NULL UNIQUE,
      code VARCHAR(30) NOT NULL UNIQUE,
      \`index\` INT NOT NULL DEFAULT 0
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `INSERT IGNORE INTO paas_apptags (name, code, \`index\`) VALUES
      ('Operations', 'OpsTools', 1), ('Monitoring', 'MonitorAlarm', 2), ('Configuration', 'ConfManage', 3),
      ('Development', 'DevTools', 4), ('Other', 'Other', 5)`,
    `CREATE TABLE IF NOT EXISTS paas_app (
      id INT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(20) NOT NULL UNIQUE,
      code VARCHAR(30) NOT NULL UNIQUE,
      introduction LONGTEXT NOT NULL,
      creater VARCHAR(20) NOT NULL,
      created_date DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      state SMALLINT NOT NULL DEFAULT 1,
      tags_id INT NULL,
      is_already_test TINYINT(1) NOT NULL DEFAULT 0,
      is_already_online TINYINT(1) NOT NULL DEFAULT 0,
      first_test_time DATETIME NULL,
      first_online_time DATETIME NULL,
      language VARCHAR(50) NOT NULL DEFAULT 'python',
      is_use_celery TINYINT(1) NOT NULL DEFAULT 0,
      is_use_celery_beat TINYINT(1) NOT NULL DEFAULT 0,
      auth_token VARCHAR(36) NOT NULL DEFAULT '',
      deploy_token LONGTEXT NULL,
      is_saas TINYINT(1) NOT NULL DEFAULT 0,
      logo VARCHAR(100) NOT NULL DEFAULT '',
      CONSTRAINT fk_app_tags FOREIGN KEY (tags_id) REFERENCES paas_apptags (id) ON DELETE SET NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS paas_app_developer (
      id INT AUTO_INCREMENT PRIMARY KEY,
      app_id INT NOT NULL,
      bkuser_id INT NOT NULL,
      UNIQUE KEY uniq_app_dev (app_id, bkuser_id),
      CONSTRAINT fk_dev_app FOREIGN KEY (app_id) REFERENCES paas_app (id) ON DELETE CASCADE,
      CONSTRAINT fk_dev_user FOREIGN KEY (bkuser_id) REFERENCES account_bkuser (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS paas_app_secureinfo (
      id INT AUTO_INCREMENT PRIMARY KEY,
      app_code VARCHAR(30) NOT NULL UNIQUE,
      vcs_type SMALLINT NOT NULL DEFAULT 0,
      vcs_url VARCHAR(1024) NOT NULL DEFAULT '',
      vcs_username VARCHAR(128) NOT NULL DEFAULT '',
      vcs_password VARCHAR(128) NOT NULL DEFAULT '',
      db_type VARCHAR(20) NOT NULL DEFAULT 'mysql',
      db_host VARCHAR(128) NOT NULL DEFAULT '',
      db_port INT NULL,
      db_name VARCHAR(64) NOT NULL DEFAULT '',
      db_username VARCHAR(128) NOT NULL DEFAULT '',
      db_password VARCHAR(128) NOT NULL DEFAULT ''
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS paas_app_envvars (
      id INT AUTO_INCREMENT PRIMARY KEY,
      app_code VARCHAR(30) NOT NULL,
      mode VARCHAR(20) NOT NULL DEFAULT 'all',
      name VARCHAR(50) NOT NULL,
      value VARCHAR(1024) NOT NULL,
      intro LONGTEXT NULL,
      UNIQUE KEY uniq_env (app_code, mode, name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS paas_audit_log (
      id BIGINT AUTO_INCREMENT PRIMARY KEY,
      operator VARCHAR(128) NOT NULL,
      action VARCHAR(64) NOT NULL,
      target VARCHAR(255) NOT NULL,
      detail TEXT NOT NULL,
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      KEY idx_audit_time (created_time)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
