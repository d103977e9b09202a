import { describe, expect, it } from 'vitest';
import { placementOf } from '../../../test/support/placement';
import { upstream, vhostVars } from './vhost';

const base = {
  HTTP_SCHEMA: 'http',
  PAAS_HTTP_PORT: '80',
  PAAS_HTTPS_PORT: '443',
  INSTALL_PATH: '/data/bkce',
  APPENGINE_PORT: '8000',
  PAAS_PORT: '8001',
  ESB_PORT: '8002',
  LOGIN_PORT: '8003',
  APP_NGINX_PORT: '8010',
};
const none = placementOf({});

describe('paas vhost generation', () => {
  it('lists every host of each paas project with failover settings', () => {
    const v = vhostVars(
      base,
      placementOf({
        paas: ['10.0.0.3', '10.0.0.4'],
        'paas:appengine': ['10.0.0.3', '10.0.0.4'],
        'paas:paas': ['10.0.0.3', '10.0.0.4'],
        'paas:esb': ['10.0.0.4'],
        'paas:login': ['10.0.0.3'],
      }),
    );
    expect(v.NGINX_PAAS_UPSTREAMS).toContain(
      'upstream OPEN_PAAS {\n    server 10.0.0.3:8001 max_fails=3 fail_timeout=10s;\n    server 10.0.0.4:8001 max_fails=3 fail_timeout=10s;\n',
    );
    expect(v.NGINX_PAAS_UPSTREAMS).toContain('upstream OPEN_PAAS_ESB {\n    server 10.0.0.4:8002 ');
    expect(v.NGINX_PAAS_UPSTREAMS).toContain('upstream OPEN_PAAS_LOGIN {\n    server 10.0.0.3:8003 ');
    expect(v.NGINX_PAAS_UPSTREAMS).toContain('upstream OPEN_PAAS_APPENGINE {\n    server 10.0.0.3:8000 ');
    expect(v.NGINX_APP_LOCATIONS).toMatch(/^\s*# no appo\/appt host/);
    expect(v.NGINX_APP_UPSTREAMS).toMatch(/^# no appo\/appt host/);
  });

  it('routes /o/ and /t/ only to the app hosts that exist', () => {
    const v = vhostVars(base, placementOf({ appo: ['10.0.0.7', '10.0.0.8'] }));
    expect(v.NGINX_APP_UPSTREAMS).toContain(
      'upstream PAAS_AGENT_PROD {\n    server 10.0.0.7:8010 max_fails=3 fail_timeout=10s;\n    server 10.0.0.8:8010',
    );
    expect(v.NGINX_APP_UPSTREAMS).not.toContain('PAAS_AGENT_TEST');
    expect(v.NGINX_APP_LOCATIONS).toContain(
      'location /o/ {\n        client_max_body_size 512m;\n        proxy_pass http://PAAS_AGENT_PROD;',
    );
    expect(v.NGINX_APP_LOCATIONS).not.toContain('/t/');
  });

  it('proves /api/ calls to ESB with a header derived from ESB_TOKEN, never the token itself', () => {
    const v = vhostVars({ ...base, ESB_TOKEN: 'e'.repeat(32) }, none);
    expect(v.NGINX_ESB_FRONT_DOOR).toMatch(/^ {8}proxy_set_header X-Bkcec-Front-Door [0-9a-f]{64};$/);
    expect(v.NGINX_ESB_FRONT_DOOR).not.toContain('e'.repeat(32));
    expect(vhostVars(base, none).NGINX_ESB_FRONT_DOOR).toContain('X-Bkcec-Front-Door ""');
  });

  it('keeps a valid upstream (a down server) for a project no host runs', () => {
    expect(upstream('OPEN_PAAS_ESB', [], '8002', 'no host runs paas(esb)')).toBe(
      'upstream OPEN_PAAS_ESB {\n    server 127.0.0.1:8002 down; # no host runs paas(esb)\n    keepalive 32;\n}',
    );
  });

  it('listens on http only, or on both with the certificate and a redirect of PAAS_FQDN to https', () => {
    expect(vhostVars(base, none).NGINX_PAAS_LISTEN).toBe('    listen 80;');
    const v = vhostVars(
      {
        ...base,
        HTTP_SCHEMA: 'https',
        PAAS_FQDN: 'PaaS.bking.com',
        PAAS_DOMAIN: 'paas.bking.com',
      },
      none,
    );
    expect(v.NGINX_PAAS_LISTEN).toContain(
      '    listen 80;\n    listen 443 ssl;\n    ssl_certificate /data/bkce/etc/nginx/ssl/paas.crt;',
    );
    expect(v.NGINX_PAAS_LISTEN).toContain('return 301 https://paas.bking.com$request_uri;');
    expect(v.NGINX_PAAS_REDIRECT_MAP).toBe(
      'map "$scheme://$host" $bk_paas_to_https {\n    "http://paas.bking.com" 1;\n    default 0;\n}',
    );
  });

  it('says what it expected when a setting is unusable', () => {
    expect(() => vhostVars({ ...base, HTTP_SCHEMA: 'ftp' }, none)).toThrow(
      /expected HTTP_SCHEMA=http or https, found "ftp"/,
    );
    expect(() => vhostVars({ ...base, ESB_PORT: 'x' }, none)).toThrow(
      /expected ESB_PORT to be a port number, found "x"/,
    );
  });
});
