# The platform's nginx (written by bkcec, nginx module; /etc/nginx/nginx.conf links here).
# Run by supervisord in the foreground; `nginx -t` is run before every start.
user www-data;
worker_processes auto;
worker_rlimit_nofile 65535;
daemon off;
pid __INSTALL_PATH__/run/nginx.pid;
error_log __INSTALL_PATH__/logs/nginx/error.log warn;

events {
    worker_connections 4096;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # No secret in a log: requests are logged with secret query values redacted (never $request);
    # the error log keeps only crit and worse, as lower levels quote the raw request line (upstream
    # failures show in the access log's $upstream_status instead).
__NGINX_LOG_MAPS__
    __NGINX_LOG_FORMAT__
    access_log __INSTALL_PATH__/logs/nginx/access.log main;
    error_log __INSTALL_PATH__/logs/nginx/error.log crit;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;
    underscores_in_headers on;
    client_body_temp_path __INSTALL_PATH__/tmp/nginx/client_body;
    proxy_temp_path __INSTALL_PATH__/tmp/nginx/proxy;
    fastcgi_temp_path __INSTALL_PATH__/tmp/nginx/fastcgi;
    uwsgi_temp_path __INSTALL_PATH__/tmp/nginx/uwsgi;
    scgi_temp_path __INSTALL_PATH__/tmp/nginx/scgi;

    include __INSTALL_PATH__/etc/nginx/*.conf;
}
