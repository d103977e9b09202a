// The MySQL side of app databases, shared by the controller (mysql module: it defines the
// procedures as root and grants EXECUTE) and appengine (it calls them).
import { createHash } from 'node:crypto';

/** mysql_native_password's stored form of a password: `*` + upper-case hex of SHA1(SHA1(password)). */
export function nativePasswordHash(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return `*${createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}

/**
 * How appengine gives an app its database and account without holding CREATE USER or GRANT
 * OPTION (CREATE USER alone would let it ALTER or DROP any account, root@localhost included):
 * two procedures root defines (SQL SECURITY DEFINER) that check the code and do only this. The
 * provisioning hosts get EXECUTE on them and nothing else beyond open_paas.
 */
export const PROVISION_DB = 'bkcec_provision';
const CODE_CHECK = `IF code IS NULL OR BINARY code NOT REGEXP '^[a-z][a-z0-9_-]{0,29}$' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'expected an app code (lower-case letters, digits, - or _)';
  END IF;`;
const run = 'PREPARE s FROM @bkcec_sql; EXECUTE s; DEALLOCATE PREPARE s;';
const appAcct = "QUOTE(CONCAT('app_', code)), '@''%'''";

/** Each statement alone (mysql2 sends one; the mysql client gets them between DELIMITER lines). */
export const provisionProcedures = (): string[] => [
  `CREATE DATABASE IF NOT EXISTS \`${PROVISION_DB}\``,
  `CREATE OR REPLACE DEFINER = 'root'@'localhost' PROCEDURE \`${PROVISION_DB}\`.create_app_db(IN code VARCHAR(64), IN pass_hash VARCHAR(64))
  SQL SECURITY DEFINER
  COMMENT 'bkcec: schema bkapp_<code> and account app_<code>@% with rights on it alone'
BEGIN
  ${CODE_CHECK}
  IF pass_hash IS NULL OR BINARY pass_hash NOT REGEXP '^[*][0-9A-F]{40}$' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'expected a mysql_native_password hash';
  END IF;
  IF EXISTS (SELECT 1 FROM mysql.global_priv WHERE User = CONCAT('app_', code) AND Host = '%') THEN
    SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1396, MESSAGE_TEXT = 'the account exists already';
  END IF;
  SET @bkcec_sql = CONCAT('CREATE USER ', ${appAcct}, ' IDENTIFIED BY PASSWORD ', QUOTE(pass_hash));
  ${run}
  SET @bkcec_sql = CONCAT('CREATE DATABASE IF NOT EXISTS \`bkapp_', code, '\` DEFAULT CHARACTER SET utf8mb4');
  ${run}
  SET @bkcec_sql = CONCAT('GRANT ALL PRIVILEGES ON \`bkapp\\\\_', REPLACE(code, '_', '\\\\_'), '\`.* TO ', ${appAcct});
  ${run}
END`,
  `CREATE OR REPLACE DEFINER = 'root'@'localhost' PROCEDURE \`${PROVISION_DB}\`.drop_app_db(IN code VARCHAR(64))
  SQL SECURITY DEFINER
  COMMENT 'bkcec: drop schema bkapp_<code> and account app_<code>@%'
BEGIN
  ${CODE_CHECK}
  SET @bkcec_sql = CONCAT('DROP DATABASE IF EXISTS \`bkapp_', code, '\`');
  ${run}
  SET @bkcec_sql = CONCAT('DROP USER IF EXISTS ', ${appAcct});
  ${run}
END`,
];

/** What a provisioning host's account gets besides its databases: EXECUTE on the two procedures. */
export const provisionGrants = (acct: string): string[] =>
  ['create_app_db', 'drop_app_db'].map(
    (f) => `GRANT EXECUTE ON PROCEDURE \`${PROVISION_DB}\`.${f} TO ${acct}`,
  );
