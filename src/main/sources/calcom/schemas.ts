// Cal.com API v2 (cal-api-version 2026-02-25 / 2024-08-13) response shapes, from
// ../shared/api/calcom.md §2.3–2.4. Only what Cadence reads is required; the rest passes through.
import { z } from 'zod';
import { IsoDateTime } from '../parse';

export const CALCOM_API_VERSION = '2026-02-25';
/** Same list shape, still served by builds that lack 2026-02-25 (../shared/api/calcom.md §0). */
export const CALCOM_FALLBACK_API_VERSION = '2024-08-13';

export const CalcomHost = z.looseObject({
  id: z.number().optional(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  timeZone: z.string().nullish(),
});

export const CalcomAttendee = z.looseObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  displayEmail: z.string().nullish(),
  timeZone: z.string().nullish(),
  absent: z.boolean().nullish(),
});

export const CalcomStatus = z.enum([
  'accepted',
  'pending',
  'cancelled',
  'rejected',
  'awaiting_host',
]);

export const CalcomBooking = z.looseObject({
  id: z.number().int(),
  uid: z.string().min(1),
  title: z.string(),
  description: z.string().nullish(),
  status: CalcomStatus,
  start: IsoDateTime,
  end: IsoDateTime,
  duration: z.number().nullish(),
  eventType: z.looseObject({ id: z.number().nullish(), slug: z.string().nullish() }).nullish(),
  hosts: z.array(CalcomHost).default([]),
  attendees: z.array(CalcomAttendee).default([]),
  guests: z.array(z.string()).nullish(),
  bookingFieldsResponses: z.record(z.string(), z.unknown()).nullish(),
  location: z.string().nullish(),
  absentHost: z.boolean().nullish(),
  cancellationReason: z.string().nullish(),
  rescheduledFromUid: z.string().nullish(),
  rescheduledToUid: z.string().nullish(),
  createdAt: IsoDateTime.nullish(),
  updatedAt: IsoDateTime.nullish(),
});
export type CalcomBooking = z.infer<typeof CalcomBooking>;

export const CalcomPagination = z.looseObject({
  totalItems: z.number().int().nonnegative(),
  hasNextPage: z.boolean(),
  totalPages: z.number().int().nullish(),
  currentPage: z.number().int().nullish(),
});

export const CalcomBookingList = z.object({
  status: z.literal('success'),
  data: z.array(CalcomBooking),
  pagination: CalcomPagination,
});

export const CalcomBookingOne = z.object({
  status: z.literal('success'),
  data: z.union([CalcomBooking, z.array(CalcomBooking)]),
});

/** The 2024-04-15 shape Cal.com falls back to when the version header is missing or unknown. */
export const CalcomLegacyList = z.looseObject({
  status: z.string(),
  data: z.looseObject({ bookings: z.array(z.unknown()) }),
});
