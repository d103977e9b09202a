// Legacy `__VAR__` templates: strict (every placeholder must have a non-empty value) and literal.

const PLACEHOLDER = /__([0-9A-Z_]+?)__/g;

/** Raised when placeholders have no value; lists every offender at once. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly missing: string[],
    readonly empty: string[],
  ) {
    const parts: string[] = [];
    if (missing.length) parts.push(`no value for ${missing.map((n) => `__${n}__`).join(', ')}`);
    if (empty.length) parts.push(`empty value for ${empty.map((n) => `__${n}__`).join(', ')}`);
    super(`${file}: ${parts.join('; ')}`);
    this.name = 'TemplateError';
  }
}

/** Names of the placeholders a template uses, in order of first use. */
export function placeholders(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1]!);
  return [...seen];
}

/** Replaces every `__NAME__` with vars[NAME], literally (no escapes, no regex specials). */
export function renderTemplate(
  text: string,
  vars: Readonly<Record<string, string>>,
  file = 'template',
): string {
  const missing: string[] = [];
  const empty: string[] = [];
  for (const name of placeholders(text)) {
    const value = vars[name];
    if (value === undefined) missing.push(name);
    else if (value === '') empty.push(name);
  }
  if (missing.length || empty.length) throw new TemplateError(file, missing, empty);
  return text.replace(PLACEHOLDER, (_all, name: string) => vars[name]!);
}
