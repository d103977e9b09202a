import type { Migration } from '../common/db/migrate';

/** login: users, roles, tokens, login log, user info (reference §2.4). */
export const migration: Migration = {
  id: 1,
  name: 'login',
  statements: [
    `CREATE TABLE IF NOT EXISTS bkaccount_bkuser (
      id INT AUTO_INCREMENT PRIMARY KEY,
      password VARCHAR(128) NOT NULL,
      last_login DATETIME NULL,
      is_superuser TINYINT(1) NOT NULL DEFAULT 0,
      username VARCHAR(128) NOT NULL UNIQUE,
      chname VARCHAR(254) NOT NULL DEFAULT '',
      qq VARCHAR(32) NOT NULL DEFAULT '',
      phone VARCHAR(64) NOT NULL DEFAULT '',
      email VARCHAR(254) NOT NULL DEFAULT '',
      date_joined DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS login_bkrole (
      id INT AUTO_INCREMENT PRIMARY KEY,
      code INT NOT NULL UNIQUE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    'INSERT IGNORE INTO login_bkrole (code) VALUES (0), (1), (2), (3), (4)',
    `CREATE TABLE IF NOT EXISTS login_bkuser_role (
      id INT AUTO_INCREMENT PRIMARY KEY,
      user_id INT NOT NULL,
      role_id INT NOT NULL,
      create_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      UNIQUE KEY uniq_user_role (user_id, role_id),
      CONSTRAINT fk_bkuser_role_user FOREIGN KEY (user_id) REFERENCES bkaccount_bkuser (id) ON DELETE CASCADE,
      CONSTRAINT fk_bkuser_role_role FOREIGN KEY (role_id) REFERENCES login_bkrole (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS login_bktoken (
      id BIGINT AUTO_INCREMENT PRIMARY KEY,
      token VARCHAR(255) NOT NULL UNIQUE COMMENT 'sha256 hex of the cookie value',
      is_logout TINYINT(1) NOT NULL DEFAULT 0,
      inactive_expire_time INT NOT NULL DEFAULT 0,
      username VARCHAR(128) NOT NULL,
      expire_time BIGINT NOT NULL COMMENT 'unix seconds',
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      KEY idx_bktoken_expire (expire_time)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS login_bklog (
      id BIGINT AUTO_INCREMENT PRIMARY KEY,
      user_id INT NOT NULL,
      login_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      login_browser VARCHAR(200) NOT NULL DEFAULT '',
      login_ip VARCHAR(50) NOT NULL DEFAULT '',
      login_host VARCHAR(100) NOT NULL DEFAULT '',
      app_id VARCHAR(30) NOT NULL DEFAULT '',
      KEY idx_bklog_user (user_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS login_userinfo (
      id INT AUTO_INCREMENT PRIMARY KEY,
      user_id INT NOT NULL UNIQUE,
      wx_userid VARCHAR(64) NOT NULL DEFAULT '',
      bind_time DATETIME NULL,
      language VARCHAR(32) NOT NULL DEFAULT 'zh-cn',
      time_zone VARCHAR(32) NOT NULL DEFAULT 'Asia/Shanghai',
      CONSTRAINT fk_userinfo_user FOREIGN KEY (user_id) REFERENCES bkaccount_bkuser (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
