// IPC methods for real-time updates: the local webhook receiver, its delivery health, the Cal.com
// secret to paste and Calendly subscriptions (merged into contract.ts).
import { z } from 'zod';
import { BookingSource } from './domain';

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output } as const;
}

const Empty = z.object({}).strict().optional().default({});

export const SourceDeliveryHealth = z.object({
  source: BookingSource,
  supportsWebhooks: z.boolean(),
  lastDeliveryAt: z.string().nullable(),
  deliveries24h: z.number().int(),
  rejected24h: z.number().int(),
  failedHints24h: z.number().int(),
  changesWithoutWebhook: z.number().int().nullable(),
  changesFoundByLastSync: z.number().int().nullable(),
  verifiedThrough: z.string().nullable(),
});
export type SourceDeliveryHealth = z.infer<typeof SourceDeliveryHealth>;

export const WebhookStatus = z.object({
  enabled: z.boolean(),
  running: z.boolean(),
  port: z.number().int(),
  /** The local address, e.g. http://127.0.0.1:8787, when running. */
  url: z.string().nullable(),
  routes: z.object({ calcom: z.string(), calendly: z.string() }),
  error: z.string().nullable(),
  secrets: z.object({ calcom: z.boolean(), calendly: z.boolean() }),
  health: z.array(SourceDeliveryHealth),
});
export type WebhookStatus = z.infer<typeof WebhookStatus>;

export const CalendlySubscription = z.object({
  uri: z.string(),
  callbackUrl: z.string(),
  state: z.string(),
  events: z.array(z.string()),
  createdAt: z.string().nullable(),
  retryStartedAt: z.string().nullable(),
});
export type CalendlySubscription = z.infer<typeof CalendlySubscription>;

/** A Calendly callback URL: public, https (checked by the form before it asks, too). */
export const PublicUrl = z
  .string()
  .trim()
  .url('must be a full URL such as https://my-tunnel.example.com/webhooks/calendly')
  .refine(
    (u) => u.startsWith('https://'),
    'must start with https:// (Calendly delivers to https only)',
  );

export const webhookMethods = {
  'webhooks:status': method(Empty, WebhookStatus),
  /** Switches the receiver on or off (and moves it to another port). */
  'webhooks:configure': method(
    z
      .object({ enabled: z.boolean(), port: z.number().int().min(1024).max(65535).optional() })
      .strict(),
    WebhookStatus,
  ),
  /**
   * Makes a new Cal.com webhook secret, keeps it in the keychain, and returns it this once so the
   * advisor can paste it into Cal.com's webhook settings.
   */
  'webhooks:newCalcomSecret': method(Empty, z.object({ secret: z.string(), route: z.string() })),
  'webhooks:calendlyList': method(Empty, z.array(CalendlySubscription)),
  'webhooks:calendlySubscribe': method(z.object({ url: PublicUrl }).strict(), CalendlySubscription),
  'webhooks:calendlyDelete': method(
    z.object({ uri: z.string().url() }).strict(),
    z.object({ deleted: z.boolean() }),
  ),
} as const;

export const webhookEvents = {} as const;
