# The platform's Redis instance (written by bkcec, redis module). Run by supervisord in the foreground.
bind __REDIS_BIND__
port __REDIS_PORT__
protected-mode yes
requirepass __REDIS_PASS__
daemonize no
supervised no
tcp-backlog 511
timeout 0
tcp-keepalive 300
loglevel notice
logfile ""
databases 16

# Persistence: AOF fsynced every second, plus RDB snapshots.
dir __INSTALL_PATH__/public/redis
dbfilename dump.rdb
save 900 1
save 300 10
save 60 10000
stop-writes-on-bgsave-error yes
appendonly yes
appendfilename "appendonly.aof"
appendfsync everysec
auto-aof-rewrite-percentage 100
auto-aof-rewrite-min-size 64mb
