// Public shapes of the matching engine: what goes in (contacts, attendees, the advisor's earlier
// decisions, booking context) and what comes out (an outcome with a readable reason and ranked
// candidates). Pure types; the engine itself is in contact-index.ts, score.ts and matcher.ts.

/** A LACRM contact (or company record) reduced to what matching needs. */
export type ContactForMatching = Readonly<{
  contactId: string;
  isCompany: boolean;
  firstName: string;
  middleName: string | null;
  lastName: string;
  /** Generational suffix from LACRM's Name.Suffix ("Jr.", "Sr.", "III"), if any. */
  suffix?: string | null;
  companyName: string | null;
  emails: readonly string[];
  /** LACRM LastUpdate (ISO 8601); the fresher record wins an otherwise exact tie. */
  lastUpdate?: string | null;
}>;

/** One attendee of a booking, as the scheduler gave it. */
export type AttendeeForMatching = Readonly<{ email: string | null; name: string | null }>;

/** Advisor decisions, keyed by normalized email: a contact, or null = "ignore this address". */
export type Alias = Readonly<{ emailKey: string; contactId: string | null }>;

export type MatchContext = Readonly<{
  /** Contacts already matched to other attendees of the same booking (household/colleagues). */
  coAttendeeContactIds?: readonly string[];
  /** How often each contact was confirmed for this attendee's name or address before. */
  priorContactIds?: ReadonlyMap<string, number>;
}>;

export type Candidate = Readonly<{
  contactId: string;
  /** 0..1; only exact-email and alias matches reach 1. */
  score: number;
  /** Short phrases joined by "; ", e.g. "same last name; Bob is a nickname of Robert". */
  reason: string;
}>;

export type MatchState = 'auto' | 'suggested' | 'unmatched' | 'ignored';
export type MatchVia = 'email' | 'alias' | 'fuzzy' | 'none';

export type MatchOutcome = Readonly<{
  state: MatchState;
  /** Set for auto; the top candidate for suggested; null otherwise. */
  contactId: string | null;
  via: MatchVia;
  score: number | null;
  /** Readable, also for auto ("exact email jane@… on the contact"). */
  reason: string;
  /** Ranked best first, at most MAX_CANDIDATES. */
  candidates: readonly Candidate[];
}>;
