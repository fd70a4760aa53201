// TidyCal API response shapes, from ../shared/api/calendly-tidycal.md §B.
import { z } from 'zod';
import { IsoDateTime } from '../parse';

export const TidycalMe = z.looseObject({ name: z.string().nullish(), email: z.string().nullish() });

export const TidycalBookingType = z.looseObject({
  id: z.number().int(),
  title: z.string().nullish(),
  url_slug: z.string().nullish(),
  duration_minutes: z.number().nullish(),
});

export const TidycalBooking = z.looseObject({
  id: z.number().int(),
  contact_id: z.number().int().nullish(),
  booking_type_id: z.number().int().nullish(),
  starts_at: IsoDateTime,
  ends_at: IsoDateTime,
  cancelled_at: IsoDateTime.nullish(),
  created_at: IsoDateTime.nullish(),
  updated_at: IsoDateTime.nullish(),
  timezone: z.string().nullish(),
  meeting_url: z.string().nullish(),
  questions: z
    .array(z.looseObject({ question: z.string(), answer: z.string().nullish() }))
    .nullish(),
  contact: z
    .looseObject({
      name: z.string().nullish(),
      email: z.string().nullish(),
      timezone: z.string().nullish(),
    })
    .nullish(),
  booking_type: z
    .looseObject({
      id: z.number().int().nullish(),
      title: z.string().nullish(),
      url_slug: z.string().nullish(),
      duration_minutes: z.number().nullish(),
    })
    .nullish(),
});
export type TidycalBooking = z.infer<typeof TidycalBooking>;
export type TidycalBookingType = z.infer<typeof TidycalBookingType>;

export const TidycalList = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item) });
