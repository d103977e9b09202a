# The platform's MariaDB instance (written by bkcec, mysql module; /etc/my.cnf links here).
# Started by supervisord as: mariadbd --defaults-file=__INSTALL_PATH__/etc/my.cnf

[client]
port = __MYSQL_PORT__
socket = __INSTALL_PATH__/run/mysql/mysql.sock
default-character-set = utf8mb4

[mysqld]
user = mysql
bind-address = __LAN_IP__
port = __MYSQL_PORT__
socket = __INSTALL_PATH__/run/mysql/mysql.sock
pid-file = __INSTALL_PATH__/run/mysql/mysqld.pid
datadir = __INSTALL_PATH__/public/mysql
# Accounts are granted by IP (initdata): no reverse DNS lookups on connect.
skip-name-resolve

character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
max_connections = 3000
max_connect_errors = 100000
max_allowed_packet = 64M
event_scheduler = ON
default-storage-engine = InnoDB
innodb_file_per_table = 1
innodb_buffer_pool_size = 256M
innodb_flush_log_at_trx_commit = 1

# Binary log in the data dir, kept 7 days.
log-bin = mysql-bin
binlog_format = ROW
server-id = 1
binlog_expire_logs_seconds = 604800
sync_binlog = 1
