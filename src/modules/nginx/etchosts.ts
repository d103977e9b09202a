// With HAS_DNS_SERVER=0, every host's /etc/hosts maps PAAS_FQDN to the nginx hosts, in a marked block
// bkcec owns: rewritten in place (the file may be a bind mount), removed when a DNS server takes over.
import { shQuote } from '../../engine/script';
import type { Step } from '../../engine/types';

type Vars = Readonly<Record<string, string>>;

export const BEGIN = '# BEGIN bkcec front door (managed by bkcec; edits inside are lost)';
export const END = '# END bkcec front door';

/** The block's lines for a host, or none when a DNS server answers for PAAS_FQDN. */
export function hostsBlock(v: Vars): string[] {
  if ((v.HAS_DNS_SERVER ?? '0') !== '0') return [];
  const nginx = (v.NGINX_IP ?? '').split(/\s+/).filter(Boolean);
  if (!v.PAAS_FQDN) throw new Error('expected PAAS_FQDN to be set, found it empty');
  return [BEGIN, ...nginx.map((ip) => `${ip} ${v.PAAS_FQDN}`), END];
}

/** Strips any old block, appends the new one, and writes /etc/hosts only when that differs. */
export function etcHostsStep(v: Vars, file = '/etc/hosts'): Step {
  const block = hostsBlock(v).join('\n');
  const f = shQuote(file);
  return {
    id: 'etc-hosts',
    title: block
      ? `${file}: ${v.PAAS_FQDN} → nginx`
      : `${file}: no bkcec block (HAS_DNS_SERVER=${v.HAS_DNS_SERVER})`,
    always: true,
    script: `new="$BK_TMP/hosts"
awk -v b=${shQuote(BEGIN)} -v e=${shQuote(END)} '$0 == b { skip = 1; next } $0 == e { skip = 0; next } !skip' ${f} > "$new"
${block ? `cat >> "$new" <<'BKHOSTS'\n${block}\nBKHOSTS` : ':'}
if ! cmp -s "$new" ${f}; then cat "$new" > ${f}; bk_changed; fi`,
  };
}

/** Status on a host: the block says what it should (only when HAS_DNS_SERVER=0). */
export function etcHostsStatusStep(v: Vars, file = '/etc/hosts'): Step {
  const block = hostsBlock(v);
  const f = shQuote(file);
  return {
    id: 'etc-hosts-status',
    title: `${file} maps ${v.PAAS_FQDN}`,
    always: true,
    script: block.length
      ? `got=$(awk -v b=${shQuote(BEGIN)} -v e=${shQuote(END)} '$0 == b { on = 1 } on { print } $0 == e { on = 0 }' ${f})
if [ "$got" != ${shQuote(block.join('\n'))} ]; then bk_status "${file}: expected the bkcec block mapping ${v.PAAS_FQDN} to ${v.NGINX_IP}; run bkcec install nginx"; exit 1; fi
bk_status "${file}: ${v.PAAS_FQDN} → ${v.NGINX_IP}"`
      : ':',
  };
}
