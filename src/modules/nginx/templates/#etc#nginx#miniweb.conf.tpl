# miniweb: files for hosts to download (agent install scripts …), at http://<nginx host>/download/.
# The default server of its port: a request naming no known site lands here.
server {
    listen __DEFAULT_HTTP_PORT__ default_server;
    server_name _;

    location = /download/platform.env {
        alias __INSTALL_PATH__/miniweb/platform.env;
        default_type text/plain;
    }

    location /download/ {
        alias __INSTALL_PATH__/miniweb/download/;
        autoindex on;
    }

    location / {
        return 404;
    }
}
