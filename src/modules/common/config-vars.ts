// Reading a host's variables into the typed config files its programs get (lib/config/*).

type Vars = Readonly<Record<string, string>>;

/** The variables' values; throws naming `file` and every one that is missing or empty. */
export function needVars<K extends string>(v: Vars, file: string, names: readonly K[]): Record<K, string> {
  const missing = names.filter((n) => !v[n]);
  if (missing.length)
    throw new Error(
      `${file}: expected values for ${missing.join(', ')} (install.config and its env files), found none`,
    );
  return Object.fromEntries(names.map((n) => [n, v[n]!])) as Record<K, string>;
}

/** A port variable as a number; throws naming it when it is not one. */
export function portVar(v: Vars, name: string): number {
  const n = Number(v[name]);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`expected ${name} to be a port number, found ${JSON.stringify(v[name] ?? '')}`);
  return n;
}
