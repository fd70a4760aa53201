// Startup check of the custom fields Cadence writes. Writes are keyed by label (sheet section 2),
// so a field renamed or retyped in LACRM must stop the push with a sentence the advisor can act
// on, rather than fail halfway through a batch.
import type { LacrmCustomField } from './types';

export type ExpectedCustomField = Readonly<{ name: string; type: string }>;

/** One sentence per problem, empty when every expected field exists, is live and has its type. */
export function customFieldProblems(
  definitions: readonly LacrmCustomField[],
  expected: readonly ExpectedCustomField[],
): string[] {
  const problems: string[] = [];
  for (const want of expected) {
    const matches = definitions.filter((d) => d.Name === want.name);
    const live = matches.find((d) => !d.IsArchived);
    if (!live) {
      const caseVariant = definitions.find(
        (d) => !d.IsArchived && d.Name.toLowerCase() === want.name.toLowerCase(),
      );
      problems.push(
        matches.length > 0
          ? `The LACRM field "${want.name}" is archived; restore it in LACRM's custom field settings.`
          : caseVariant
            ? `LACRM has "${caseVariant.Name}" but Cadence needs the exact name "${want.name}"; rename one so they match.`
            : `LACRM has no contact field named "${want.name}" (was it renamed or deleted?); Cadence writes to it by that exact name.`,
      );
      continue;
    }
    if (live.Type !== want.type)
      problems.push(
        `The LACRM field "${want.name}" is a ${live.Type} field; Cadence needs a ${want.type} field.`,
      );
  }
  return problems;
}
