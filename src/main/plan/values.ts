// Field values: comparing what LACRM holds with what Cadence wants (an empty text and a missing
// value are the same "empty"; 3 and "3" are the same number), the inputs hash that tells whether an
// approved change is still the one the advisor approved, and the text a person sees for a value.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { ChangeKind } from '../../shared/contract-changes';
import type { FieldMap, FieldValue } from './types';

/** Empty text, an empty list and null/undefined all mean "nothing there". */
export function normalizeFieldValue(value: unknown): FieldValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const list = value.filter((v): v is string => typeof v === 'string');
    return list.length === 0 ? null : list;
  }
  return JSON.stringify(value);
}

export function sameFieldValue(a: unknown, b: unknown): boolean {
  const x = normalizeFieldValue(a);
  const y = normalizeFieldValue(b);
  if (x === null || y === null) return x === y;
  const asNumber = (v: FieldValue) =>
    typeof v === 'number'
      ? v
      : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())
        ? +v
        : NaN;
  if (typeof x === 'number' || typeof y === 'number') {
    const nx = asNumber(x);
    const ny = asNumber(y);
    return Number.isFinite(nx) && nx === ny;
  }
  if (Array.isArray(x) || Array.isArray(y)) return JSON.stringify(x) === JSON.stringify(y);
  return x === y;
}

export function sameFields(a: FieldMap, b: FieldMap): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!sameFieldValue(a[key], b[key])) return false;
  return true;
}

/** JSON with object keys sorted, so equal maps hash equally whatever order they were built in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * What an approval covers: the kind of write, what it is about, and every value before and after.
 * The LACRM id it acts on is left out on purpose: a record re-created by an undo is the same
 * decision as before.
 */
export function inputsHash(
  change: Readonly<{ kind: ChangeKind; key: string; before: FieldMap; after: FieldMap }>,
): string {
  return createHash('sha256')
    .update(canonicalJson([change.kind, change.key, change.before, change.after]))
    .digest('hex');
}

const OFFSET_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$/;

/** A value as a person reads it in the diff: dates with their offset, lists joined. */
export function displayValue(
  value: FieldValue | undefined,
  names?: ReadonlyMap<string, string>,
): string | null {
  const v = normalizeFieldValue(value);
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((id) => names?.get(id) ?? id).join(', ');
  if (typeof v === 'string' && OFFSET_DATETIME.test(v)) {
    const parsed = DateTime.fromISO(v, { setZone: true });
    if (parsed.isValid) return parsed.toFormat("yyyy-MM-dd HH:mm 'UTC'ZZ");
  }
  return String(v);
}
