import type { Migration } from '../common/db/migrate';

const T = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

/** ESB tables (reference §4.9) with the paas migration's seed data: systems, categories, whitelist row. */
export const migration: Migration = {
  id: 3,
  name: 'esb',
  statements: [
    `CREATE TABLE IF NOT EXISTS esb_system_doc_category (
      id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(32) NOT NULL UNIQUE, priority INT NOT NULL DEFAULT 1000
    ) ${T}`,
    `INSERT IGNORE INTO esb_system_doc_category (name, priority) VALUES
      ('默认分类', 1000), ('基础用户服务', 100), ('配置管理', 200), ('主机管控', 300), ('管理工具', 400)`,
    `CREATE TABLE IF NOT EXISTS esb_component_system (
      id INT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(64) NOT NULL UNIQUE,
      label VARCHAR(128) NOT NULL DEFAULT '',
      component_admin VARCHAR(128) NOT NULL DEFAULT '',
      interface_admin VARCHAR(128) NOT NULL DEFAULT '',
      system_link VARCHAR(1024) NOT NULL DEFAULT '',
      belong_to VARCHAR(128) NOT NULL DEFAULT '',
      remark VARCHAR(1024) NOT NULL DEFAULT '',
      execute_timeout INT NULL,
      query_timeout INT NULL,
      doc_category_id INT NULL,
      CONSTRAINT fk_system_category FOREIGN KEY (doc_category_id) REFERENCES esb_system_doc_category (id) ON DELETE SET NULL
    ) ${T}`,
    `INSERT IGNORE INTO esb_component_system (name, label) VALUES
      ('BK_LOGIN', '用户管理'), ('CC', '配置平台'), ('GSE', '管控平台'), ('JOB', '作业平台'),
      ('CMSI', '消息管理'), ('SOPS', '标准运维')`,
    `CREATE TABLE IF NOT EXISTS esb_channel (
      id INT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(64) NOT NULL,
      path VARCHAR(255) NOT NULL UNIQUE,
      method VARCHAR(32) NOT NULL DEFAULT '',
      component_system_id INT NULL,
      component_codename VARCHAR(255) NOT NULL,
      component_name VARCHAR(64) NOT NULL DEFAULT '',
      is_active TINYINT(1) NOT NULL DEFAULT 1,
      last_modified_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      timeout_time INT NULL,
      type SMALLINT NOT NULL DEFAULT 2,
      comp_conf LONGTEXT NULL,
      perm_level INT NOT NULL DEFAULT 0,
      is_hidden TINYINT(1) NOT NULL DEFAULT 0,
      rate_limit_required TINYINT(1) NOT NULL DEFAULT 0,
      rate_limit_conf LONGTEXT NULL,
      extra_info LONGTEXT NULL,
      KEY idx_channel_system (component_system_id),
      CONSTRAINT fk_channel_system FOREIGN KEY (component_system_id) REFERENCES esb_component_system (id) ON DELETE SET NULL
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS esb_function_controller (
      id INT AUTO_INCREMENT PRIMARY KEY,
      func_code VARCHAR(64) NOT NULL UNIQUE,
      func_name VARCHAR(64) NOT NULL DEFAULT '',
      switch_status TINYINT(1) NOT NULL DEFAULT 1,
      wlist LONGTEXT NULL,
      func_desc LONGTEXT NULL,
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) ${T}`,
    `INSERT IGNORE INTO esb_function_controller (func_code, func_name, switch_status, wlist, func_desc) VALUES
      ('user_auth::skip_user_auth', 'APP skips user authentication', 1, 'bk_paas_log_alert',
       'Apps listed here may call ESB with bk_username instead of a bk_token')`,
    `CREATE TABLE IF NOT EXISTS esb_app_account (
      id INT AUTO_INCREMENT PRIMARY KEY,
      app_code VARCHAR(30) NOT NULL UNIQUE,
      app_token VARCHAR(128) NOT NULL,
      introduction LONGTEXT NULL,
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS esb_app_component_perm (
      id INT AUTO_INCREMENT PRIMARY KEY,
      app_code VARCHAR(30) NOT NULL,
      component_id INT NOT NULL,
      expires DATETIME NOT NULL,
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      last_accessed_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      UNIQUE KEY uniq_app_comp (app_code, component_id)
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS esb_user_auth_token (
      id INT AUTO_INCREMENT PRIMARY KEY,
      app_code VARCHAR(30) NOT NULL,
      username VARCHAR(64) NOT NULL,
      auth_token VARCHAR(128) NOT NULL,
      expires DATETIME NOT NULL,
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      UNIQUE KEY uniq_app_user (app_code, username),
      KEY idx_auth_token (auth_token)
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS esb_buffet_component (
      id INT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(128) NOT NULL,
      system_id INT NOT NULL,
      dest_url VARCHAR(2048) NOT NULL,
      dest_http_method VARCHAR(10) NOT NULL DEFAULT 'POST',
      favor_post_ctype VARCHAR(20) NOT NULL DEFAULT 'json',
      extra_headers LONGTEXT NULL,
      extra_params LONGTEXT NULL,
      registed_path VARCHAR(255) NOT NULL,
      registed_http_method VARCHAR(10) NOT NULL DEFAULT 'POST',
      submitter VARCHAR(128) NOT NULL DEFAULT '',
      approver VARCHAR(128) NOT NULL DEFAULT '',
      status INT NOT NULL DEFAULT 0,
      mappings_input LONGTEXT NULL,
      mappings_output LONGTEXT NULL,
      timeout_time INT NULL,
      type INT NOT NULL DEFAULT 2,
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      UNIQUE KEY uniq_buffet_path (registed_path, registed_http_method)
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS esb_buffet_component_mapping (
      id INT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(128) NOT NULL,
      type INT NOT NULL DEFAULT 1,
      source_type VARCHAR(64) NOT NULL DEFAULT '',
      source LONGTEXT NULL,
      owner VARCHAR(128) NOT NULL DEFAULT '',
      is_active TINYINT(1) NOT NULL DEFAULT 1
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS esb_api_doc (
      id INT AUTO_INCREMENT PRIMARY KEY,
      component_id INT NOT NULL UNIQUE,
      doc_md LONGTEXT NULL,
      doc_html LONGTEXT NULL,
      doc_md_md5 VARCHAR(32) NOT NULL DEFAULT '',
      board VARCHAR(64) NOT NULL DEFAULT '',
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
      updated_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
    ) ${T}`,
    `CREATE TABLE IF NOT EXISTS esb_api_doc_feedback (
      id INT AUTO_INCREMENT PRIMARY KEY,
      operator VARCHAR(128) NOT NULL,
      component_id INT NOT NULL,
      content LONGTEXT NOT NULL,
      board VARCHAR(64) NOT NULL DEFAULT '',
      created_time DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) ${T}`,
  ],
};
