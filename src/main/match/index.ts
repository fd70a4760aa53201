// Attendee → contact matching: the public surface the sync and review-queue code use.
export type {
  Alias,
  AttendeeForMatching,
  Candidate,
  ContactForMatching,
  MatchContext,
  MatchOutcome,
  MatchState,
  MatchVia,
} from './types';
export type { NormalizedEmail } from './email';
export { normalizeEmail, isPersonalDomain } from './email';
export type { ContactIndex, ContactIndexOptions } from './contact-index';
export { buildContactIndex } from './contact-index';
export { localityKey, localityOrder } from './order';
export type { BookingAttendeeMatch, BookingMatchOptions } from './matcher';
export {
  advisorKeysOf,
  matchAttendee,
  matchBookingAttendees,
  MAX_CANDIDATES,
  SUGGESTION_THRESHOLD,
} from './matcher';
export {
  canonicalSpelling,
  formalNamesOf,
  givenNameGroup,
  nicknamesOf,
  relateGivenNames,
} from './nicknames';
