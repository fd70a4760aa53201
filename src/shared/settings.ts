// Configuration keys: a public contract (advisors and their IT script `cadence config set KEY VALUE`
// against these names). Add keys; never rename them. Each key has one zod schema and a default.
import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** An API root: https anywhere, plain http only on this machine (the simulators, a local tunnel). */
export const ApiBaseUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      if (url.username || url.password || url.search || url.hash) return false;
      if (url.protocol === 'https:') return true;
      return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    } catch {
      return false;
    }
  }, 'must be an https:// URL (http:// only for 127.0.0.1 or localhost), without credentials or query');

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

export const TimeZoneName = z
  .string()
  .trim()
  .refine(isValidTimeZone, 'must be an IANA time zone such as America/New_York');

const EmailList = z.array(z.email().transform((e) => e.trim().toLowerCase())).max(50);

/** A mail domain as people type it after the @: letters, digits and hyphens in dotted labels. */
const MailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/,
    'must be a mail domain such as frontier.com (no @, no spaces)',
  );

/** A LACRM custom field label (writes are keyed by it exactly); '' means "not mapped". */
const CustomFieldLabel = z
  .string()
  .trim()
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export const settingsShape = {
  'sources.calcom.baseUrl': ApiBaseUrl.default('https://api.cal.com/v2'),
  'sources.calendly.baseUrl': ApiBaseUrl.default('https://api.calendly.com'),
  'sources.tidycal.baseUrl': ApiBaseUrl.default('https://tidycal.com/api'),
  'lacrm.baseUrl': ApiBaseUrl.default('https://api.lessannoyingcrm.com/v2/'),
  /** The advisor's own addresses: hosts, never attendees to match. */
  'advisor.emails': EmailList.default([]),
  'advisor.name': z.string().trim().max(200).default(''),
  /**
   * Consumer mailbox domains besides the built-in list (gmail.com, yahoo.com, comcast.net …): a
   * regional provider many clients share is then not read as their employer's domain.
   */
  'match.personalDomains': z.array(MailDomain).max(200).default([]),
  'review.defaultCadenceMonths': z.number().int().min(1).max(60).default(12),
  'review.dueSoonDays': z.number().int().min(0).max(365).default(30),
  'review.timezone': TimeZoneName.default(systemTimeZone),
  'retention.years': z.number().int().min(6).max(100).default(6),
  'webhooks.enabled': z.boolean().default(false),
  'webhooks.port': z.number().int().min(1024).max(65535).default(8787),
  /** The advisor's own LACRM contact field names Cadence writes to; empty leaves a fact unwritten. */
  'lacrm.fields.lastReview': CustomFieldLabel.default(''),
  'lacrm.fields.nextReviewDue': CustomFieldLabel.default(''),
  'lacrm.fields.meetings12m': CustomFieldLabel.default(''),
  /** Whether held portfolio reviews also get a note on the client's LACRM history. */
  'lacrm.notes.enabled': z.boolean().default(false),
  'lacrm.notes.template': z
    .string()
    .max(4000)
    .default('Portfolio review on {date} ({type}, booked through {source}).'),
} as const;

export const Settings = z.object(settingsShape);
export type Settings = z.infer<typeof Settings>;
export type SettingKey = keyof Settings;
export const settingKeys = Object.keys(settingsShape) as SettingKey[];
export const SettingKey = z.enum(settingKeys as [SettingKey, ...SettingKey[]]);

type SettingsShape = typeof settingsShape;

/**
 * A partial update: keys left out stay as they are. (Settings.partial() would not do: zod 4 still
 * fills in each key's default, so every patch would reset every other setting.)
 */
export const SettingsPatch = z.object(
  Object.fromEntries(
    Object.entries(settingsShape).map(([key, schema]) => [key, schema.unwrap().optional()]),
  ) as { [K in keyof SettingsShape]: z.ZodOptional<ReturnType<SettingsShape[K]['unwrap']>> },
);
export type SettingsPatch = z.infer<typeof SettingsPatch>;

const numberKeys: ReadonlySet<SettingKey> = new Set<SettingKey>([
  'review.defaultCadenceMonths',
  'review.dueSoonDays',
  'retention.years',
  'webhooks.port',
]);

function schemaKind(key: SettingKey): 'number' | 'other' {
  return numberKeys.has(key) ? 'number' : 'other';
}

export function defaultSettings(): Settings {
  return Settings.parse({});
}

/**
 * Parses a value typed on a command line for KEY: numbers and booleans from text, lists from
 * comma-separated text. Returns the zod result so the caller can name what was wrong.
 */
export function parseSettingFromText(key: SettingKey, text: string) {
  const schema = settingsShape[key];
  let raw: unknown = text;
  if (key === 'advisor.emails' || key === 'match.personalDomains') {
    raw = text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  } else if (schemaKind(key) === 'number') {
    raw = /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
  } else if (key === 'webhooks.enabled' || key === 'lacrm.notes.enabled') {
    const lowered = text.trim().toLowerCase();
    raw = ['true', '1', 'yes', 'on'].includes(lowered)
      ? true
      : ['false', '0', 'no', 'off'].includes(lowered)
        ? false
        : text;
  }
  return schema.safeParse(raw);
}
