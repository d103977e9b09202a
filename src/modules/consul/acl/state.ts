// The ACL tokens of a run: made (once, into .consul_tokens) by the controller before consul's steps.
import type { RunContext } from '../../../engine/types';
import { tokenNames } from './policies';
import { type AclToken, ensureConsulTokens } from './tokens';

const KEY = 'consul.acl';

/** `prepare` of install and start consul: every token install.config needs, in the run's state. */
export async function prepareTokens(ctx: RunContext): Promise<void> {
  const v = ctx.varsOf(ctx.allHosts[0]!);
  ctx.state.set(KEY, await ensureConsulTokens(ctx.controlDir, tokenNames(v, ctx.allHosts)));
}

/** The tokens, or undefined in a dry run. */
export const tokensOf = (ctx: RunContext): ReadonlyMap<string, AclToken> | undefined =>
  ctx.state.get(KEY) as ReadonlyMap<string, AclToken> | undefined;
