import type { Migration } from '../common/db/migrate';

const T = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

/** Per-app MySQL databases made by appengine, and uploaded S-mart packages with their files (reference §3.5). */
export const migration: Migration = {
  id: 15,
  name: 'engine_saas',
  statements: [
    `CREATE TABLE IF NOT EXISTS engine_app_databases (
      bk_app_id INT NOT NULL PRIMARY KEY,
      db_name VARCHAR(64) NOT NULL,
      db_user VARCHAR(80) NOT NULL,
      db_password VARCHAR(64) NOT NULL,
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      UNIQUE KEY uniq_app_db_name (db_name),
      UNIQUE KEY uniq_app_db_user (db_user)
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS engine_saas_packages (
      id INT AUTO_INCREMENT PRIMARY KEY,
      app_code VARCHAR(30) NOT NULL,
      version VARCHAR(50) NOT NULL,
      file_name VARCHAR(255) NOT NULL,
      size INT NOT NULL,
      md5 CHAR(32) NOT NULL,
      app_yml LONGTEXT NOT NULL,
      uploaded_by VARCHAR(128) NOT NULL DEFAULT '',
      created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      KEY idx_saas_app (app_code, id)
    ) ${T}`,
    // the file itself, in 4 MB pieces (below max_allowed_packet), so every appengine host serves it
    `CREATE TABLE IF NOT EXISTS engine_saas_package_chunks (
      package_id INT NOT NULL,
      seq INT NOT NULL,
      data MEDIUMBLOB NOT NULL,
      PRIMARY KEY (package_id, seq)
    ) ${T}`,
  ],
};
