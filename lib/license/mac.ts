// MAC addresses: one spelling everywhere, and how they are carried in a certificate's SAN.
import type { X509Certificate } from 'node:crypto';

/**
 * A MAC is written into the platform certificate as a URI subject alternative name
 * `urn:bkce:mac:aa:bb:cc:dd:ee:ff` (lower case, colons). A URN is a valid URI, whereas a DNS name
 * with colons is not and strict validators reject it.
 */
export const MAC_URN_PREFIX = 'urn:bkce:mac:';

const MAC_RE = /^[0-9a-f]{2}([:-]?)[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/;

/** Lower-case, colon-separated form of a MAC written with `:`, `-` or no separator; throws on anything else. */
export function normalizeMac(text: string): string {
  const s = text.trim().toLowerCase();
  if (!MAC_RE.test(s)) {
    throw new Error(`expected a MAC address like aa:bb:cc:dd:ee:ff, found ${JSON.stringify(text)}`);
  }
  const hex = s.replace(/[:-]/g, '');
  return hex.match(/../g)!.join(':');
}

/** True for a MAC that names a real interface (not the all-zero address of lo and tunnels). */
export function isUsableMac(mac: string): boolean {
  return MAC_RE.test(mac) && mac !== '00:00:00:00:00:00';
}

/** The SAN URI that binds a certificate to one MAC. */
export function macSanUri(mac: string): string {
  return MAC_URN_PREFIX + normalizeMac(mac);
}

/**
 * MACs a certificate is bound to: its `urn:bkce:mac:` URIs, plus DNS entries that are bare MACs
 * (the form some third-party bundles use). Sorted, without duplicates.
 */
export function macsInCert(cert: X509Certificate): string[] {
  const found = new Set<string>();
  for (const entry of (cert.subjectAltName ?? '').split(', ')) {
    const value = entry.startsWith(`URI:${MAC_URN_PREFIX}`)
      ? entry.slice(4 + MAC_URN_PREFIX.length)
      : entry.startsWith('DNS:')
        ? entry.slice(4)
        : null;
    if (value !== null && MAC_RE.test(value.toLowerCase())) found.add(normalizeMac(value));
  }
  return [...found].sort();
}
