// The CRM field mapping (Settings → CRM fields) checked against LACRM's GetCustomFields: each mapped
// name must be a live contact field of the type its fact needs. Writes are keyed by the exact label,
// so a renamed or retyped field is caught here, in a sentence, before any push depends on it.
import { crmFacts, type CrmFact, type FieldCheck } from '../../shared/contract-changes';
import type { Settings } from '../../shared/settings';
import { customFieldProblems, type LacrmClient } from '../crm/lacrm/client';

/** The mapped labels and the LACRM type each must have (unmapped facts left out). */
export function mappedFieldTypes(settings: Settings): Map<string, string> {
  const out = new Map<string, string>();
  for (const fact of Object.keys(crmFacts) as CrmFact[]) {
    const label = settings[crmFacts[fact].setting];
    if (label) out.set(label, crmFacts[fact].type);
  }
  return out;
}

export async function checkFieldMapping(
  client: LacrmClient,
  settings: Settings,
  signal?: AbortSignal,
): Promise<FieldCheck> {
  const definitions = await client.getCustomFields('Contact', { signal });
  const live = definitions.filter((d) => !d.IsArchived);
  const checks = (Object.keys(crmFacts) as CrmFact[]).map((fact) => {
    const label = settings[crmFacts[fact].setting];
    const expectedType = crmFacts[fact].type;
    if (!label) return { fact, label, expectedType, ok: true, problem: null };
    const problems = customFieldProblems(definitions, [{ name: label, type: expectedType }]);
    return {
      fact,
      label,
      expectedType,
      ok: problems.length === 0,
      problem: problems.length ? problems.join(' ') : null,
    };
  });
  return {
    available: live.map((d) => ({ name: d.Name, type: d.Type })),
    checks,
  };
}
