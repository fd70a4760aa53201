// Handlers for contacts, matching and the review queue. Decisions are made in ../pipeline/decisions
// (the CLI reaches the same code through these handlers); each one announces app:changed so every
// open screen reloads what it shows.
import type { MatchBacklog } from '../../shared/contract-match';
import { readContactsCheckpoint } from '../crm/contacts-sync';
import { liveContactCount, searchContacts } from '../db/queries/contacts';
import {
  bulkAccept,
  confirmMatch,
  ignoreAddress,
  rejectSuggestion,
  requestNewContact,
  undoDecision,
  type DecisionDeps,
} from '../pipeline/decisions';
import { matchBacklog } from '../pipeline/matching';
import { bookingMatches, buildReviewQueue } from '../pipeline/review';
import type { CoreContext } from './context';
import { CoreError } from './errors';
import type { HandlerMap } from './handlers';

function deps(ctx: CoreContext): DecisionDeps {
  return {
    db: ctx.db(),
    now: ctx.clock,
    ownEmails: () => ctx.sync.ownEmails(),
    personalDomains: () => ctx.settings()['match.personalDomains'],
  };
}

/**
 * The bookings matching has yet to go over (a sync cancelled before matching reached them), for
 * the Review and Dashboard screens to say so rather than call everything matched. Null when none
 * wait, and before LACRM was ever synced: matching does not run then (see pipeline matchAll), and
 * those screens ask for LACRM instead.
 */
export function matchBacklogOf(ctx: CoreContext): MatchBacklog | null {
  const db = ctx.db();
  if (liveContactCount(db) === 0 && readContactsCheckpoint(db) === null) return null;
  return matchBacklog({
    db,
    ownEmails: ctx.sync.ownEmails(),
    personalDomains: ctx.settings()['match.personalDomains'],
  });
}

function announce<T>(ctx: CoreContext, result: T): T {
  ctx.emit('app:changed', { reason: 'matches' });
  return result;
}

export const matchHandlers = {
  'review:list': async (input, ctx) => ({
    ...buildReviewQueue(ctx.db(), {
      limit: input.limit,
      ...(input.include === undefined ? {} : { include: input.include }),
      now: ctx.clock(),
    }),
    matchBacklog: matchBacklogOf(ctx),
  }),

  'contacts:search': async (input, ctx) => searchContacts(ctx.db(), input.query, input.limit),

  'matches:confirm': async (input, ctx) =>
    announce(ctx, confirmMatch(deps(ctx), input, input.contactId)),

  'matches:reject': async (input, ctx) =>
    announce(ctx, rejectSuggestion(deps(ctx), input.attendeeId, input.contactId)),

  'matches:ignore': async (input, ctx) => announce(ctx, ignoreAddress(deps(ctx), input)),

  'matches:requestContact': async (input, ctx) =>
    announce(ctx, requestNewContact(deps(ctx), input)),

  'matches:undo': async (input, ctx) => announce(ctx, undoDecision(deps(ctx), input.decisionId)),

  'matches:bulkAccept': async (input, ctx) =>
    announce(ctx, bulkAccept(deps(ctx), input.minScore, input.keys)),

  'matches:forBooking': async (input, ctx) => {
    const db = ctx.db();
    const exists = db.prepare('SELECT 1 FROM bookings WHERE id = ?').get(input.bookingId);
    if (!exists) throw new CoreError('not_found', `There is no booking ${input.bookingId}.`);
    return bookingMatches(db, input.bookingId);
  },
} satisfies Partial<HandlerMap>;
