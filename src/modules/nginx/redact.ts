// Access logs without secrets: nginx `map` chains that replace the values of secret query parameters
// with `***` (the request line and the referer), for the front door and the agents' nginx alike.

/** Query parameters whose values never reach a log (compared case-insensitively). */
export const SECRET_PARAMS = ['bk_app_secret', 'app_secret', 'bk_token', 'bk_signature', 'access_token'];

/** Maps in a chain: each redacts one more occurrence; what is still left after them drops the query. */
const CHAIN = 4;

const names = SECRET_PARAMS.join('|');
/** A secret parameter whose value is not yet `***`. */
const unredacted = `(?:${names})=(?![*]{3}(?:&|$))`;

/**
 * The `map` blocks (http context) defining `$<prefix>_log_uri` (the request URI with secret values
 * as `***`; with a percent-encoded parameter name, or more secrets than the chain redacts, the whole
 * query becomes `[query redacted]`) and `$<prefix>_log_referer` (the referer without its query).
 */
export function redactionMaps(prefix = 'bk'): string {
  const step = (from: string, to: string) => `map ${from} ${to} {
    "~*^(?<bk_a>[^#]*?[?&]${unredacted})[^&]*(?<bk_b>.*)$" "$bk_a***$bk_b";
    default ${from};
}`;
  const vars = Array.from({ length: CHAIN + 1 }, (_, i) =>
    i === 0 ? '$request_uri' : `$${prefix}_uri_${i}`,
  );
  const chain = vars.slice(1).map((to, i) => step(vars[i]!, to));
  const last = vars[CHAIN]!;
  return [
    `# Secret query values (${SECRET_PARAMS.join(', ')}) are logged as ***.`,
    ...chain,
    `map ${last} $${prefix}_log_uri {
    "~*^(?<bk_p>[^?]*)\\?(?:.*&)?(?:${unredacted}|[^=&]*%)" "$bk_p?[query redacted]";
    default ${last};
}`,
    `map $http_referer $${prefix}_log_referer {
    "~^(?<bk_r>[^?]*)\\?" "$bk_r?[query not logged]";
    default $http_referer;
}`,
  ].join('\n');
}

/** A log_format named `name` logging the redacted request line (never `$request` or `$args`). */
export const redactedLogFormat = (name: string, prefix = 'bk'): string =>
  `log_format ${name} '$remote_addr - $remote_user [$time_local] "$request_method $${prefix}_log_uri $server_protocol" '
                    '$status $body_bytes_sent "$${prefix}_log_referer" "$http_user_agent" "$http_x_forwarded_for" '
                    '$request_time $upstream_addr $upstream_status';`;
