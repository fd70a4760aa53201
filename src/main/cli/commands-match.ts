// export matches, match confirm, match ignore, match undo: the review queue's decisions for
// scripts and support, through the same core handlers as the app.
import { z } from 'zod';
import { BookingSource, sourceLabels } from '../../shared/domain';
import type { DecisionOutcome } from '../../shared/contract-match';
import { normalizeEmail } from '../match';
import { MATCH_EXPORT_COLUMNS, matchExportRows } from '../pipeline/export';
import { UsageError, type Command } from './command';
import { parseFormat, toCsv, writeOutput } from './output';

/** BOOKING_SOURCE:BOOKING_ID; the id may itself contain colons (Calendly's are URIs). */
const BookingRef = z.string().transform((text, ctx) => {
  const colon = text.indexOf(':');
  const source = BookingSource.safeParse(colon > 0 ? text.slice(0, colon) : '');
  const sourceId = colon > 0 ? text.slice(colon + 1).trim() : '';
  if (!source.success || sourceId.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `BOOKING must be SOURCE:ID with SOURCE one of calcom, calendly, tidycal (got "${text}")`,
    });
    return z.NEVER;
  }
  return { source: source.data, sourceId };
});

const EmailArg = z.string().refine((text) => normalizeEmail(text) !== null, {
  message: 'must be an email address',
});

const ContactIdArg = z
  .string()
  .trim()
  .regex(/^\d{1,40}$/, 'must be a LACRM contact id (digits only)');

function parseArgument<T>(schema: z.ZodType<T>, what: string, value: string | undefined): T {
  if (value === undefined) throw new UsageError(`${what} is missing`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'is not valid';
    throw new UsageError(
      message.startsWith(what) ? message : `${what} ${message} (got "${value}")`,
    );
  }
  return parsed.data;
}

function expectPositionals(positionals: readonly string[], count: number, usage: string): void {
  if (positionals.length !== count)
    throw new UsageError(
      `expected ${count} argument${count === 1 ? '' : 's'}, got ${positionals.length} (usage: cadence ${usage})`,
    );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeOutcome(outcome: DecisionOutcome): string {
  const lines = outcome.decisions.map((d) => {
    const who = d.contactName ? `${d.contactName} (${d.contactId})` : (d.contactId ?? '');
    switch (d.action) {
      case 'confirm':
        return `Confirmed ${d.emailKey ?? 'the attendee'} → ${who}`;
      case 'reject':
        return `Rejected ${who} for ${d.emailKey ?? 'the attendee'}`;
      case 'ignore':
        return `Ignoring ${d.emailKey ?? 'the address'} from now on`;
      case 'request_contact':
        return `Requested a new LACRM contact for ${d.emailKey ?? 'the attendee'}`;
    }
  });
  return `${lines.join('\n')}\n${plural(outcome.affected, 'attendee match')} updated.\n`;
}

const CONFIRM_USAGE = 'match confirm BOOKING_SOURCE:BOOKING_ID EMAIL CONTACT_ID';
const IGNORE_USAGE = 'match ignore EMAIL';

export const matchCommands: Command[] = [
  {
    name: ['export', 'matches'],
    usage: 'export matches --format json|csv [--out FILE]',
    summary:
      'One row per attendee: source, bookingId, attendeeEmail, attendeeName, contactId, state, score, reason, candidates.',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    async run(args, { io, core }) {
      if (args.positionals.length > 0)
        throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
      const format = parseFormat(args.values.format);
      const c = await core();
      const rows = [...matchExportRows(c.context.db(), c.context.sync.ownEmails())];
      const text =
        format === 'json'
          ? `${JSON.stringify(rows, null, 2)}\n`
          : toCsv(MATCH_EXPORT_COLUMNS, rows as unknown as Record<string, unknown>[]);
      writeOutput(io, text, args.values.out as string | undefined);
    },
  },
  {
    name: ['match', 'confirm'],
    usage: CONFIRM_USAGE,
    summary:
      'Link the attendee with EMAIL on that booking to a LACRM contact; the address is linked for every booking from now on.',
    async run(args, { io, core }) {
      expectPositionals(args.positionals, 3, CONFIRM_USAGE);
      const [bookingText, emailText, contactText] = args.positionals;
      const booking = parseArgument(BookingRef, 'BOOKING', bookingText);
      const email = parseArgument(EmailArg, 'EMAIL', emailText);
      const contactId = parseArgument(ContactIdArg, 'CONTACT_ID', contactText);
      const c = await core();
      const outcome = await c.call('matches:confirm', { booking, email, contactId });
      io.stdout(describeOutcome(outcome));
      io.stderr(`(${sourceLabels[booking.source]} booking ${booking.sourceId})\n`);
    },
  },
  {
    name: ['match', 'ignore'],
    usage: IGNORE_USAGE,
    summary: 'Never match EMAIL to a contact again (a shared office inbox, a one-off guest).',
    async run(args, { io, core }) {
      expectPositionals(args.positionals, 1, IGNORE_USAGE);
      const email = parseArgument(EmailArg, 'EMAIL', args.positionals[0]);
      const c = await core();
      io.stdout(describeOutcome(await c.call('matches:ignore', { email: email.trim() })));
    },
  },
  {
    name: ['match', 'undo'],
    usage: 'match undo',
    summary: 'Undo the latest match decision (a bulk accept is undone as a whole).',
    async run(args, { io, core }) {
      expectPositionals(args.positionals, 0, 'match undo');
      const c = await core();
      const outcome = await c.call('matches:undo', {});
      io.stdout(
        `Undid ${plural(outcome.decisions.length, 'decision')}; ${plural(outcome.affected, 'attendee match')} restored.\n`,
      );
    },
  },
];
