// Write failures put into a practice's database to make one step after the sources fail (the app
// has no switch for it): each is a trigger named test_fault, so `DROP TRIGGER test_fault` mends it.
// Free of the test runner: the browser tests use them too.

/** The error each fault raises (the tests expect it word for word). */
const FAULT_MESSAGE = 'simulated write failure';

const fault = (when: string) =>
  `CREATE TRIGGER test_fault ${when} BEGIN SELECT RAISE(ABORT, '${FAULT_MESSAGE}'); END;`;

export const FAULTS = {
  /** The matching: storing any match. */
  matching: fault('BEFORE INSERT ON matches'),
  /** Sorting into categories: a stored booking has its row, marked stale; classifying writes it. */
  classification: fault('BEFORE UPDATE OF category ON booking_classifications'),
  /** Working out the changes for LACRM: only the plan's own mark write (the triggers that count
   * writes update `generation` alone). */
  plan: fault('BEFORE UPDATE OF planned_at ON plan_marks'),
} as const;
