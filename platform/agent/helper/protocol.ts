// What the agent API (service user) may ask the root helper: a closed set of operations on one app
// each, every field checked here before anything runs. One request per connection: a JSON line
// (for `run` with stdin, the rest of the stream is the command's stdin); the helper answers with
// JSON lines `{"line": …}` then one `{"ok": true, "result": …}` or `{"ok": false, "error": …}`.
import { z } from 'zod';
import { BuiltSchema } from '../runtime/program';

/** An app code, as appengine's jobs carry it: it names the app's user, folders and programs. */
export const CODE = /^[a-z][a-z0-9_-]{0,29}$/;
const code = z.string().regex(CODE, 'expected an app code (lower-case letters, digits, - or _)');
/** A string that can go into an argv or environment (no NUL). */
const text = z.string().refine((s) => !s.includes('\0'), 'expected no NUL character');
const env = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name'), text);

export const RequestSchema = z.discriminatedUnion('op', [
  /** Folders, the app's user (made on first deploy) and its port: `{ user, port }`. */
  z.strictObject({ op: z.literal('prepare'), code }),
  /** The app's env file, root:<app group> 0640, from variables (the helper quotes them). */
  z.strictObject({ op: z.literal('env'), code, env }),
  /** A command as the app's user (never root), in its work folder or below; output as lines. */
  z.strictObject({
    op: z.literal('run'),
    code,
    argv: z.array(text).min(1),
    cwd: text.optional(),
    env: env.default({}),
    stdin: z.boolean().default(false),
  }),
  /** The app's supervisor group from a build's programs (validated again while rendered). */
  z.strictObject({ op: z.literal('program'), code, built: BuiltSchema }),
  /** Put back the group file the last `program` replaced (a failed start). */
  z.strictObject({ op: z.literal('restore-program'), code }),
  /** supervisorctl update (or restart) of `app-<code>`, status of its web program. */
  z.strictObject({ op: z.literal('start'), code }),
  z.strictObject({ op: z.literal('status'), code }),
  /** The last lines supervisord logged for the app (why a start failed). */
  z.strictObject({ op: z.literal('log-tail'), code }),
  /** Publish collected static files from a folder of the app's work tree to `<home>/static`. */
  z.strictObject({ op: z.literal('static'), code, dir: text }),
  /** Route `/t|o/<code>/` to the app's own port (and its static copy), nginx tested then reloaded. */
  z.strictObject({ op: z.literal('route'), code, staticUrl: text.optional() }),
  z.strictObject({ op: z.literal('unroute'), code }),
  /** Stop and remove the app's programs, processes, files and user. */
  z.strictObject({ op: z.literal('remove'), code }),
]);
export type HelperRequest = z.input<typeof RequestSchema>;
export type ParsedRequest = z.output<typeof RequestSchema>;

/** One answer line of the helper. */
export type Reply = { line: string } | { ok: true; result?: unknown } | { ok: false; error: string };

/** A request header longer than this is refused (env files and argv are far smaller). */
export const MAX_HEADER = 1024 * 1024;
