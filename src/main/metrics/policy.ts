// The review policy: how often each client should be reviewed. A contact's cadence is its own if
// the advisor set one, else the shortest cadence of the LACRM groups it is in (a group is a custom
// field value such as "Client tier" = "Top"), else the setting review.defaultCadenceMonths. The
// due-soon window and the zone dates are read in are settings too. Group membership is kept by
// migration 0070's triggers as contacts sync; saving a group refreshes its members here.
import type { ReviewPolicy } from '../../shared/contract-metrics';
import type { Settings } from '../../shared/settings';
import { appendAudit } from '../audit';
import { CONTACT_IN_GROUP_SQL } from '../db/migrations/0070-classification';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { writeTransaction } from '../db/transactions';

/** SQL for a contact's display name (alias `c`): its name, else its company. */
export const CONTACT_NAME_SQL = `CASE WHEN c.is_company = 1 THEN coalesce(nullif(c.company_name, ''), 'Unnamed company')
  ELSE coalesce(nullif(trim(c.first_name || ' ' || c.last_name), ''), nullif(c.company_name, ''), 'Unnamed contact') END`;

export type PolicySettings = Readonly<{
  defaultCadenceMonths: number;
  dueSoonDays: number;
  timeZone: string;
}>;

export function policySettings(settings: Settings): PolicySettings {
  return {
    defaultCadenceMonths: settings['review.defaultCadenceMonths'],
    dueSoonDays: settings['review.dueSoonDays'],
    timeZone: settings['review.timezone'],
  };
}

/** How many values per custom field the group picker offers. */
const VALUES_PER_FIELD = 25;

/** Custom fields with their values across live contacts (multi-select values counted singly). */
function customFieldValues(db: Db): ReviewPolicy['fields'] {
  const rows = db
    .prepare(
      `WITH fields AS (
         SELECT f.key AS field, CASE WHEN f.type = 'array' THEN NULL ELSE trim(CAST(f.value AS TEXT)) END AS value,
           CASE WHEN f.type = 'array' THEN f.value END AS list, c.contact_id
         FROM contacts c, json_each(CASE WHEN json_valid(c.custom_fields_json) THEN c.custom_fields_json ELSE '{}' END) f
         WHERE c.removed = 0 AND f.type IN ('text', 'integer', 'real', 'array')
       ),
       flat AS (
         SELECT field, value, contact_id FROM fields WHERE value IS NOT NULL
         UNION ALL
         SELECT fields.field, trim(CAST(v.value AS TEXT)), fields.contact_id FROM fields, json_each(fields.list) v
         WHERE fields.list IS NOT NULL AND v.type IN ('text', 'integer', 'real')
       )
       SELECT field, value, count(DISTINCT contact_id) AS contacts FROM flat
       WHERE value <> '' AND length(value) <= 200
       GROUP BY field, value ORDER BY field, contacts DESC, value`,
    )
    .all() as { field: string; value: string; contacts: number }[];
  const byField = new Map<string, { value: string; contacts: number }[]>();
  for (const row of rows) {
    const values = byField.get(row.field) ?? [];
    // A field whose values are mostly unique (dates, notes) makes no group.
    if (values.length < VALUES_PER_FIELD) values.push({ value: row.value, contacts: row.contacts });
    byField.set(row.field, values);
  }
  return [...byField.entries()]
    .filter(([, values]) => values.some((v) => v.contacts > 1))
    .map(([field, values]) => ({ field, values }));
}

export function readPolicy(db: Db, settings: PolicySettings): ReviewPolicy {
  const groups = db
    .prepare(
      `SELECT g.id, g.field, g.value, g.cadence_months,
         (SELECT count(*) FROM review_group_members m JOIN contacts c ON c.contact_id = m.contact_id
          WHERE m.group_id = g.id AND c.removed = 0) AS members
       FROM review_policy_groups g ORDER BY g.field, g.value`,
    )
    .all() as {
    id: number;
    field: string;
    value: string;
    cadence_months: number;
    members: number;
  }[];
  const contacts = db
    .prepare(
      `SELECT p.contact_id, ${CONTACT_NAME_SQL} AS name, p.cadence_months
       FROM review_policy_contacts p JOIN contacts c ON c.contact_id = p.contact_id ORDER BY name`,
    )
    .all() as { contact_id: string; name: string; cadence_months: number }[];
  return {
    defaultCadenceMonths: settings.defaultCadenceMonths,
    dueSoonDays: settings.dueSoonDays,
    timeZone: settings.timeZone,
    groups: groups.map((g) => ({
      id: g.id,
      field: g.field,
      value: g.value,
      cadenceMonths: g.cadence_months,
      members: g.members,
    })),
    contacts: contacts.map((c) => ({
      contactId: c.contact_id,
      name: c.name,
      cadenceMonths: c.cadence_months,
    })),
    fields: customFieldValues(db),
  };
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** Adds or updates a group's cadence and refreshes who is in it. Audited; one transaction. */
export function setGroupCadence(
  db: Db,
  group: Readonly<{ field: string; value: string; cadenceMonths: number }>,
  options: Readonly<{ by: string; now: Date }>,
): number {
  return writeTransaction(db, () => {
    const nowIso = options.now.toISOString();
    const existing = stmt(
      db,
      'SELECT id, cadence_months FROM review_policy_groups WHERE lower(field) = lower(?) AND lower(value) = lower(?)',
    ).get(group.field, group.value) as { id: number; cadence_months: number } | undefined;
    let id: number;
    if (existing) {
      id = existing.id;
      stmt(db, 'UPDATE review_policy_groups SET cadence_months = ?, set_at = ? WHERE id = ?').run(
        group.cadenceMonths,
        nowIso,
        id,
      );
    } else {
      id = Number(
        stmt(
          db,
          'INSERT INTO review_policy_groups (field, value, cadence_months, set_at) VALUES (?, ?, ?, ?)',
        ).run(group.field, group.value, group.cadenceMonths, nowIso).lastInsertRowid,
      );
    }
    refreshGroupMembers(db, id);
    appendAudit(db, {
      actor: options.by,
      action: 'policy.group_cadence_set',
      subjectType: 'review_group',
      subjectId: String(id),
      detail: {
        field: group.field,
        value: group.value,
        cadenceMonths: group.cadenceMonths,
        previous: existing?.cadence_months ?? null,
      },
      at: nowIso,
    });
    return id;
  });
}

/** Recomputes one group's members from the contacts' custom fields. Inside a transaction. */
export function refreshGroupMembers(db: Db, groupId: number): void {
  stmt(db, 'DELETE FROM review_group_members WHERE group_id = ?').run(groupId);
  stmt(
    db,
    `INSERT INTO review_group_members (contact_id, group_id)
     SELECT c.contact_id, g.id FROM review_policy_groups g, contacts c
     WHERE g.id = ? AND ${CONTACT_IN_GROUP_SQL}`,
  ).run(groupId);
}

export function deleteGroup(
  db: Db,
  groupId: number,
  options: Readonly<{ by: string; now: Date }>,
): void {
  writeTransaction(db, () => {
    const existing = stmt(
      db,
      'SELECT field, value, cadence_months FROM review_policy_groups WHERE id = ?',
    ).get(groupId) as { field: string; value: string; cadence_months: number } | undefined;
    if (!existing) throw new PolicyError(`There is no review group ${groupId}.`);
    stmt(db, 'DELETE FROM review_policy_groups WHERE id = ?').run(groupId);
    appendAudit(db, {
      actor: options.by,
      action: 'policy.group_removed',
      subjectType: 'review_group',
      subjectId: String(groupId),
      detail: {
        field: existing.field,
        value: existing.value,
        cadenceMonths: existing.cadence_months,
      },
      at: options.now.toISOString(),
    });
  });
}

/** Sets (or with null, removes) one contact's own cadence. Audited; one transaction. */
export function setContactCadence(
  db: Db,
  contactId: string,
  cadenceMonths: number | null,
  options: Readonly<{ by: string; now: Date }>,
): void {
  writeTransaction(db, () => {
    const contact = stmt(db, 'SELECT 1 FROM contacts WHERE contact_id = ?').get(contactId);
    if (!contact) throw new PolicyError(`There is no contact ${contactId} in the synced list.`);
    const before = stmt(
      db,
      'SELECT cadence_months FROM review_policy_contacts WHERE contact_id = ?',
    )
      .pluck()
      .get(contactId) as number | undefined;
    const nowIso = options.now.toISOString();
    if (cadenceMonths === null) {
      stmt(db, 'DELETE FROM review_policy_contacts WHERE contact_id = ?').run(contactId);
    } else {
      stmt(
        db,
        `INSERT INTO review_policy_contacts (contact_id, cadence_months, set_at) VALUES (?, ?, ?)
         ON CONFLICT (contact_id) DO UPDATE SET cadence_months = excluded.cadence_months, set_at = excluded.set_at`,
      ).run(contactId, cadenceMonths, nowIso);
    }
    appendAudit(db, {
      actor: options.by,
      action: 'policy.contact_cadence_set',
      subjectType: 'contact',
      subjectId: contactId,
      detail: { cadenceMonths, previous: before ?? null },
      at: nowIso,
    });
  });
}
