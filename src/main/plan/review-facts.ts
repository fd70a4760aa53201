// The review facts the plan writes to the advisor's LACRM fields (last held portfolio review, next
// review due, meetings in the last twelve months) come from one small provider function. The
// default asks the metrics stage's own queries, so the CRM shows exactly what the Dashboard and the
// compliance report show (same held-review rule, cadence policy, zone and month-end arithmetic).
import type { Db } from '../db/open';
import { policySettings } from '../metrics/policy';
import { allContactMetrics } from '../metrics/queries';
import type { Settings } from '../../shared/settings';
import type { ContactFacts } from './types';

export type ReviewFactsInput = Readonly<{ db: Db; now: Date; settings: Settings }>;

/** Facts for every contact with at least one held meeting. */
export type ReviewFactsProvider = (input: ReviewFactsInput) => Map<string, ContactFacts>;

export const defaultReviewFacts: ReviewFactsProvider = ({ db, now, settings }) => {
  const facts = new Map<string, ContactFacts>();
  for (const row of allContactMetrics(db, { ...policySettings(settings), now })) {
    // A contact Cadence never saw in a held meeting has nothing for Cadence to write.
    if (row.lastMeeting === null && row.lastReview === null) continue;
    facts.set(row.contactId, {
      lastReview: row.lastReview,
      nextReviewDue: row.nextReviewDue,
      meetings12m: row.meetings365,
    });
  }
  return facts;
};
