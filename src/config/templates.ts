// The text of the files `bkcec init` writes, with a comment on every setting.
import { manifests } from '../modules';
import { PORT_DEFAULTS } from './defaults';
import type { generateSecrets } from './secrets';

/** install.config with a header explaining the syntax, then `[bkce-basic]` and the host lines. */
export function installConfigText(hostLines: string[]): string {
  return [
    '# install.config: which host runs which module (written by bkcec init).',
    '# One host per line: IP module,module(project). Commas without spaces; an IP may repeat (merged).',
    ...modulesHeader(),
    '[bkce-basic]',
    ...hostLines,
    '',
  ].join('\n');
}

/** The header lines naming every module, its projects and its placement limits, from the manifests. */
function modulesHeader(): string[] {
  const lines = [`# Modules: ${manifests.map((m) => m.name).join(' ')}.`];
  for (const m of manifests) {
    const p = m.projects ?? [];
    if (p.length > 1)
      lines.push(
        `# ${m.name} projects: ${p.join(' ')}; e.g. ${m.name}(${p.slice(-2).join('-')}) runs only those two on that host.`,
      );
  }
  for (const m of manifests) {
    const { counts, countsWhy, single, needs, apart } = m.placement ?? {};
    const rules = [
      counts && `on ${counts.join(', ')} hosts${countsWhy ? ` (${countsWhy})` : ''}`,
      single && 'on one host at most',
      needs?.length && `needs ${needs.join(', ')}`,
      apart?.length && `not on a host with ${apart.join(', ')}`,
    ].filter(Boolean);
    if (rules.length) lines.push(`#   ${m.name}: ${m.summary ? `${m.summary}; ` : ''}${rules.join('; ')}.`);
  }
  return lines;
}

/** globals.env: platform settings, secrets (single-quoted, literal) and SSH settings. */
export function globalsText(secrets: ReturnType<typeof generateSecrets>): string {
  const q = (v: string) => `'${v}'`;
  return `# globals.env: platform settings and secrets (written by bkcec init). Keep it mode 0600.
# Syntax as in a shell: export NAME=value, quotes, # comments, X=( a b ) arrays; $NAME refers to a name
# defined above. Nothing that needs a shell: no $(...), backticks, ; or |.

# Root domain; must contain a dot. The login cookie is set on .BK_DOMAIN.
export BK_DOMAIN=bking.com
# Browser-facing name of the PaaS site; every *_FQDN must end with .$BK_DOMAIN.
export PAAS_FQDN=paas.$BK_DOMAIN
# http or https for the whole site. With https, HTTPS_CERT_FILE and HTTPS_KEY_FILE (paths, relative to
# this folder) name your certificate for PAAS_FQDN; without them bkcec makes one (trust cert/https/front-ca.crt).
export HTTP_SCHEMA=http
# Install root on every host (absolute path).
export INSTALL_PATH=/data/bkce
# 0: bkcec maps PAAS_FQDN to the nginx host in /etc/hosts of every host; 1: your own DNS does it.
export HAS_DNS_SERVER=0
# Language of the platform's pages for a browser that has not chosen one: zh-cn (Simplified Chinese) or en.
export BK_LANGUAGE=zh-cn

# MySQL account of the platform (granted open_paas from the paas hosts) and its password.
export MYSQL_USER=bkcec
export MYSQL_PASS=${q(secrets.MYSQL_PASS)}
# Redis password (requirepass).
export REDIS_PASS=${q(secrets.REDIS_PASS)}
# First PaaS super-user. The password counts only at the first initdata; later change it in the web UI
# and here. Rule: 8-20 characters with upper, lower and digit; symbols from !@#$%^*()_-+=.
export PAAS_ADMIN_USER=admin
export PAAS_ADMIN_PASS=${q(secrets.PAAS_ADMIN_PASS)}
# ESB token of the platform's own apps, and the secret key (Django SECRET_KEY) shared by the paas projects.
export ESB_TOKEN=${q(secrets.ESB_TOKEN)}
export ESB_SECRET_KEY=${q(secrets.ESB_SECRET_KEY)}
# Consul gossip encryption key: base64 of 32 random bytes, the same on every node.
export CONSUL_ENCRYPT=${q(secrets.CONSUL_ENCRYPT)}

# How bkcec reaches hosts over SSH (this machine itself needs no SSH).
export BK_SSH_USER=root
export BK_SSH_PORT=22
# Private key file (relative paths are inside this directory) and known_hosts file to verify hosts with.
# export BK_SSH_KEY=/root/.ssh/id_ed25519
# export BK_SSH_KNOWN_HOSTS=/root/.ssh/known_hosts
`;
}

/** ports.env: every port with what listens on it. */
export function portsText(): string {
  const lines = PORT_DEFAULTS.flatMap(([name, value, comment]) => [
    `# ${comment}`,
    `export ${name}=${value}`,
  ]);
  return [
    '# ports.env: ports of the platform (written by bkcec init); $NAME refers to a port above.',
    ...lines,
    '',
  ].join('\n');
}
