// Less Annoying CRM inside the app: a client built from settings and the keychain, the key check
// behind Settings → Sources (GetUser names the account and the advisor's own address), and the
// contact refresh Sync now runs for source 'lacrm'.
import type { SourceProgress } from '../../shared/contract';
import type { CoreContext } from '../core/context';
import { syncContacts } from '../crm/contacts-sync';
import { createLacrmClient, type LacrmClient } from '../crm/lacrm/client';
import type { HttpClient } from '../net/http';
import type { SyncMode, Verified } from '../sources/connector';
import { missingKey } from '../sync/connectors';

export function lacrmClientFor(ctx: CoreContext, apiKey: string, http: HttpClient): LacrmClient {
  return createLacrmClient({ http, baseUrl: ctx.settings()['lacrm.baseUrl'], apiKey });
}

/** GetUser: the cheapest real call, and it says whose key this is. */
export async function verifyLacrmKey(
  ctx: CoreContext,
  apiKey: string,
  signal: AbortSignal,
): Promise<Verified> {
  const client = lacrmClientFor(ctx, apiKey, ctx.sync.httpFor('lacrm'));
  const user = await client.getUser({ signal });
  const name = `${user.FirstName} ${user.LastName}`.trim();
  const email = user.Email.trim();
  return { account: name || email || `user ${user.UserId}`, ownEmails: email ? [email] : [] };
}

export type LacrmRunOptions = Readonly<{
  signal: AbortSignal;
  onProgress: (progress: SourceProgress) => void;
  mode: SyncMode;
  trigger?: string;
}>;

/** One contact refresh with the stored key; rate-limit waits show as 'waiting' progress. */
export async function refreshContacts(
  ctx: CoreContext,
  options: LacrmRunOptions,
): Promise<SourceProgress> {
  const apiKey = await ctx.secrets.get(ctx.secretAccount('lacrm'));
  if (!apiKey) throw missingKey('lacrm');
  let last: SourceProgress | null = null;
  const report = (progress: SourceProgress) => {
    last = progress;
    options.onProgress(progress);
  };
  const http = ctx.sync.httpFor('lacrm', (ms) => {
    if (last !== null) options.onProgress({ ...last, state: 'waiting', waitMs: ms });
  });
  return syncContacts({
    db: ctx.db(),
    client: lacrmClientFor(ctx, apiKey, http),
    http,
    mode: options.mode,
    signal: options.signal,
    now: ctx.clock,
    trigger: options.trigger ?? 'manual',
    onProgress: report,
  });
}
