# The PaaS front door (open_paas): upstreams list every host of each paas project, with failover.
__NGINX_PAAS_UPSTREAMS__
__NGINX_APP_UPSTREAMS__
__NGINX_PAAS_REDIRECT_MAP__

server {
__NGINX_PAAS_LISTEN__
    server_name __PAAS_FQDN__ __PAAS_HOST__;

    # Bodies up to what each upstream takes (platform/paas/common/http/limits.ts); 1m elsewhere.
    client_max_body_size 1m;
    proxy_read_timeout 600s;
    proxy_connect_timeout 5s;
    proxy_next_upstream error timeout http_502 http_503;
    proxy_next_upstream_tries 3;
    proxy_http_version 1.1;
    # Headers for every location (a location that set its own would drop all of these).
    proxy_set_header Host $http_host;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Forwarded-Host $http_host;
    proxy_set_header X-Scheme $scheme;
    proxy_set_header X-Request-Uri $request_uri;
    proxy_set_header Connection "";

    # login: the /login prefix is removed.
    location /login/ {
        client_max_body_size 1m;
        proxy_pass http://OPEN_PAAS_LOGIN/;
    }

    # esb: the /api prefix is removed; X-Request-Uri keeps the original for signatures. ESB trusts
    # it only with the front-door header, set here (a client's own is replaced) and on no other
    # location. A location with its own proxy_set_header drops the server's, so all are repeated.
    location /api/ {
        proxy_set_header Host $http_host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $http_host;
        proxy_set_header X-Scheme $scheme;
        proxy_set_header X-Request-Uri $request_uri;
        proxy_set_header Connection "";
__NGINX_ESB_FRONT_DOOR__
        client_max_body_size 8m;
        # Too large: the ESB envelope (ESB's own code and status), not nginx's HTML page.
        error_page 413 = @esb_too_large;
        proxy_pass http://OPEN_PAAS_ESB/;
    }
    location @esb_too_large {
        default_type "application/json; charset=utf-8";
        return 413 '{"result":false,"code":1306000,"message":"Request body larger than 8388608 bytes","data":null,"request_id":"$request_id"}';
    }

    # appengine: the path as is (agents reach it through this site).
    location /v1 {
        client_max_body_size 4m;
        proxy_pass http://OPEN_PAAS_APPENGINE;
    }

    # S-mart packages: up to 200 MiB (+ the form around it) to the developer center and appengine.
    location /saas/upload/ {
        client_max_body_size 201m;
        proxy_pass http://OPEN_PAAS;
    }

    location /v1/saas/packages/ {
        client_max_body_size 201m;
        proxy_pass http://OPEN_PAAS_APPENGINE;
    }

    location /doc/ {
        proxy_pass http://OPEN_PAAS/static/doc/;
    }

    location /console/ {
        client_max_body_size 4m;
        proxy_pass http://OPEN_PAAS;
    }

__NGINX_APP_LOCATIONS__

    location / {
        client_max_body_size 4m;
        proxy_pass http://OPEN_PAAS;
    }
}
