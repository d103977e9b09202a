{
  "db": {
    "host": "__MYSQL_HOST__",
    "port": __MYSQL_PORT__,
    "user": "__MYSQL_USER__",
    "password": "__MYSQL_PASS__",
    "database": "open_paas"
  },
  "redis": { "host": "__REDIS_HOST__", "port": __REDIS_PORT__, "password": "__REDIS_PASS__" },
  "domains": {
    "PAAS_DOMAIN": "__PAAS_DOMAIN__",
    "PAAS_INNER_DOMAIN": "__PAAS_INNER_DOMAIN__",
    "BK_COOKIE_DOMAIN": "__BK_COOKIE_DOMAIN__",
    "HTTP_SCHEMA": "__HTTP_SCHEMA__"
  },
  "secrets": { "SECRET_KEY": "__ESB_SECRET_KEY__", "ESB_TOKEN": "__ESB_TOKEN__" },
  "listen": {
    "host": "__LAN_IP__",
    "ports": { "appengine": __APPENGINE_PORT__, "paas": __PAAS_PORT__, "esb": __ESB_PORT__, "login": __LOGIN_PORT__ }
  },
  "urls": {
    "appengine": "__INNER_APPENGINE_URL__",
    "paas": "__INNER_PAAS_URL__",
    "esb": "__INNER_ESB_URL__",
    "login": "__INNER_LOGIN_URL__"
  },
  "trustProxy": __TRUST_PROXY_JSON__,
  "license": __LICENSE_JSON__,
  "logDir": "__LOGS_HOME__",
  "i18n": { "language": "__BK_LANGUAGE__" },
  "admin": { "PAAS_ADMIN_USER": "__PAAS_ADMIN_USER__" }
}
