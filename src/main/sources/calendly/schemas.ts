// Calendly API v2 response shapes, from ../shared/api/calendly-tidycal.md §A1–A4.
import { z } from 'zod';
import { IsoDateTime } from '../parse';

export const CalendlyPagination = z.looseObject({
  count: z.number().int().nullish(),
  next_page: z.string().nullish(),
  next_page_token: z.string().nullish(),
});

export const CalendlyUser = z.object({
  resource: z.looseObject({
    uri: z.string().min(1),
    name: z.string().nullish(),
    email: z.string().nullish(),
    timezone: z.string().nullish(),
    current_organization: z.string().nullish(),
  }),
});

const Cancellation = z.looseObject({
  reason: z.string().nullish(),
  canceler_type: z.string().nullish(),
});

/** An event URI ending in its id, which the invitee and re-fetch calls put in their paths. */
const EventUri = z
  .string()
  .regex(/(?:^|\/)[A-Za-z0-9_-]{1,100}\/*$/, 'must be a Calendly resource URI ending in its id');

export const CalendlyEvent = z.looseObject({
  uri: EventUri,
  name: z.string().nullish(),
  status: z.enum(['active', 'canceled']),
  start_time: IsoDateTime,
  end_time: IsoDateTime,
  event_type: z.string().nullish(),
  location: z
    .looseObject({
      type: z.string().nullish(),
      join_url: z.string().nullish(),
      location: z.string().nullish(),
    })
    .nullish(),
  invitees_counter: z
    .looseObject({ total: z.number(), active: z.number(), limit: z.number().nullish() })
    .nullish(),
  created_at: IsoDateTime.nullish(),
  updated_at: IsoDateTime.nullish(),
  event_memberships: z
    .array(
      z.looseObject({
        user: z.string().nullish(),
        user_email: z.string().nullish(),
        user_name: z.string().nullish(),
      }),
    )
    .default([]),
  event_guests: z.array(z.looseObject({ email: z.string() })).default([]),
  cancellation: Cancellation.nullish(),
});
export type CalendlyEvent = z.infer<typeof CalendlyEvent>;

export const CalendlyInvitee = z.looseObject({
  uri: z.string().min(1),
  email: z.string().nullish(),
  name: z.string().nullish(),
  status: z.enum(['active', 'canceled']),
  timezone: z.string().nullish(),
  questions_and_answers: z
    .array(
      z.looseObject({
        question: z.string(),
        answer: z.string().nullish(),
        position: z.number().nullish(),
      }),
    )
    .nullish(),
  rescheduled: z.boolean().nullish(),
  old_invitee: z.string().nullish(),
  new_invitee: z.string().nullish(),
  cancellation: Cancellation.nullish(),
  no_show: z.looseObject({ uri: z.string().nullish() }).nullish(),
  created_at: IsoDateTime.nullish(),
  updated_at: IsoDateTime.nullish(),
});
export type CalendlyInvitee = z.infer<typeof CalendlyInvitee>;

export const CalendlyEventType = z.looseObject({
  uri: z.string(),
  name: z.string().nullish(),
  slug: z.string().nullish(),
  duration: z.number().nullish(),
});

export const collectionOf = <T extends z.ZodType>(item: T) =>
  z.object({ collection: z.array(item), pagination: CalendlyPagination });

export const CalendlyEventOne = z.object({ resource: CalendlyEvent });
