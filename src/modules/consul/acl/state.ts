// The ACL tokens of a run: made (once, into .consul_tokens) by the controller before consul's steps.
import type { RunContext } from '../../../engine/types';
import { tokenNames } from './policies';
import { type AclToken, ensureConsulTokens } from './tokens';

/** The tokens by name (undefined in a dry run, where prepare does not run). */
export type Tokens = ReadonlyMap<string, AclToken>;

/** `prepare` of install and start consul: every token install.config needs. */
export async function prepareTokens(ctx: RunContext): Promise<Tokens> {
  return ensureConsulTokens(ctx.controlDir, tokenNames(ctx, ctx.allHosts));
}
