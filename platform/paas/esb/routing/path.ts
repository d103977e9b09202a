/** Normalise a channel path to `/a/b/`: one leading and one trailing slash, no empty segments. */
export function normalisePath(p: string): string {
  const parts = p.split('/').filter((s) => s !== '');
  return parts.length === 0 ? '/' : `/${parts.join('/')}/`;
}

/** A compiled `{var}` path template: a regex plus the variable names in order. */
export interface PathPattern {
  re: RegExp;
  names: string[];
}

/** True when a template path has `{var}` placeholders. */
export function hasVars(template: string): boolean {
  return /\{[A-Za-z_][A-Za-z0-9_]*\}/.test(template);
}

/** Compile `/v2/sops/get_template_list/{bk_biz_id}/` into a regex whose groups are the variables. */
export function compilePattern(template: string): PathPattern {
  const names: string[] = [];
  const src = normalisePath(template)
    .split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/)
    .map((piece) => {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(piece);
      if (!m) return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return '([^/]+)';
    })
    .join('');
  return { re: new RegExp(`^${src}$`), names };
}

/** Match a normalised path against a pattern; the variables (URL-decoded) or undefined. */
export function matchPattern(p: PathPattern, path: string): Record<string, string> | undefined {
  const m = p.re.exec(path);
  if (!m) return undefined;
  const vars: Record<string, string> = {};
  p.names.forEach((n, i) => {
    vars[n] = decodeURIComponent(m[i + 1]!);
  });
  return vars;
}

function encodeVar(name: string, v: unknown): string {
  if (v === undefined || v === null || v === '')
    throw new Error(`path parameter ${name} is required (expected it in the path or the parameters)`);
  return encodeURIComponent(String(v));
}

/**
 * Compile a `{var}` template once: the returned function fills it like `fillTemplate` with the
 * values of `first`, else of `second` (path variables, then parameters).
 */
export function compileTemplate(
  template: string,
): (first: Record<string, unknown>, second: Record<string, unknown>) => string {
  const parts = template.split(/\{([A-Za-z_][A-Za-z0-9_]*)\}/);
  if (parts.length === 1) return () => template;
  return (first, second) => {
    let s = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i]!;
      s += encodeVar(name, Object.hasOwn(first, name) ? first[name] : second[name]) + parts[i + 1]!;
    }
    return s;
  };
}

/** Fill `{var}` placeholders from `values` (URL-encoded); a missing value is an error naming it. */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_all, name: string) =>
    encodeVar(name, values[name]),
  );
}
