// Name resolution on every host is consul's (resolv.conf → the agent; this file): with
// HAS_DNS_SERVER=0, /etc/hosts maps PAAS_FQDN to the nginx hosts in a marked block bkcec owns,
// rewritten in place (the file may be a bind mount), removed when a DNS server takes over (or by
// `uninstall consul`).
import { shQuote } from '../../engine/script';
import type { Placement, Step } from '../../engine/types';

type Vars = Readonly<Record<string, string>>;

export const BEGIN = '# BEGIN bkcec front door (managed by bkcec; edits inside are lost)';
export const END = '# END bkcec front door';

/** The block's lines for a host, or none when a DNS server answers for PAAS_FQDN or no nginx is placed. */
export function hostsBlock(v: Vars, p: Placement): string[] {
  const nginx = p.hostsOf('nginx');
  if ((v.HAS_DNS_SERVER ?? '0') !== '0' || nginx.length === 0) return [];
  if (!v.PAAS_FQDN) throw new Error('expected PAAS_FQDN to be set, found it empty');
  return [BEGIN, ...nginx.map((ip) => `${ip} ${v.PAAS_FQDN}`), END];
}

/** Shell lines writing `file` without the bkcec block (to "$new"). */
export const stripBlock = (file: string): string =>
  `awk -v b=${shQuote(BEGIN)} -v e=${shQuote(END)} '$0 == b { skip = 1; next } $0 == e { skip = 0; next } !skip' ${shQuote(file)} > "$new"`;

/** Shell lines taking the block out of `file` (uninstall consul: the host leaves bkcec). */
export const removeBlockScript = (file = '/etc/hosts'): string => `new="$BK_TMP/hosts"
${stripBlock(file)}
if ! cmp -s "$new" ${shQuote(file)}; then cat "$new" > ${shQuote(file)}; bk_changed; fi`;

/** Strips any old block, appends the new one, and writes /etc/hosts only when that differs. */
export function etcHostsStep(v: Vars, p: Placement, file = '/etc/hosts'): Step {
  const block = hostsBlock(v, p).join('\n');
  const f = shQuote(file);
  return {
    id: 'etc-hosts',
    title: block
      ? `${file}: ${v.PAAS_FQDN} → nginx`
      : `${file}: no bkcec block (HAS_DNS_SERVER=${v.HAS_DNS_SERVER}, nginx on ${p.hostsOf('nginx').length} hosts)`,
    always: true,
    script: `new="$BK_TMP/hosts"
${stripBlock(file)}
${block ? `cat >> "$new" <<'BKHOSTS'\n${block}\nBKHOSTS` : ':'}
if ! cmp -s "$new" ${f}; then cat "$new" > ${f}; bk_changed; fi`,
  };
}

/** Status on a host: the block says what it should (only when HAS_DNS_SERVER=0). */
export function etcHostsStatusStep(v: Vars, p: Placement, file = '/etc/hosts'): Step {
  const block = hostsBlock(v, p);
  const nginx = p.hostsOf('nginx').join(' ');
  const f = shQuote(file);
  return {
    id: 'etc-hosts-status',
    title: `${file} maps ${v.PAAS_FQDN}`,
    always: true,
    script: block.length
      ? `got=$(awk -v b=${shQuote(BEGIN)} -v e=${shQuote(END)} '$0 == b { on = 1 } on { print } $0 == e { on = 0 }' ${f})
if [ "$got" != ${shQuote(block.join('\n'))} ]; then bk_status "${file}: expected the bkcec block mapping ${v.PAAS_FQDN} to ${nginx}; run bkcec install consul"; exit 1; fi
bk_status "${file}: ${v.PAAS_FQDN} → ${nginx}"`
      : ':',
  };
}
