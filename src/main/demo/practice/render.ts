// Turns the practice's calendar into each scheduler's own shapes — Cal.com v2 booking objects,
// Calendly scheduled events with their invitees, TidyCal bookings with embedded contacts — exactly
// as the simulators serve them, and records the ground truth (who every attendee really is, what
// every meeting really was) as it goes.
import type { BookingSource } from '../../../shared/domain';
import type {
  CalcomAttendee,
  CalcomBooking,
  CalcomEventType,
  CalcomHost,
  CalcomUser,
} from '../sim/calcom';
import {
  CALENDLY_API_ORIGIN,
  type CalendlyCancellation,
  type CalendlyEvent,
  type CalendlyEventType,
  type CalendlyInvitee,
  type CalendlyUser,
} from '../sim/calendly';
import type { TidyCalBooking, TidyCalBookingType, TidyCalContact } from '../sim/tidycal';
import {
  ANSWERS,
  CANCELLATION_REASONS,
  CATALOG,
  catalogEntry,
  categoryOf,
  QUESTION_BY_KIND,
} from './catalog';
import { present, type Person, type Presentation } from './people';
import type { Random } from './random';
import type { MeetingPlan } from './schedule';
import {
  calendlyStamp as calendlyTime,
  DAY,
  isoUtc as iso,
  MINUTE,
  tidycalStamp as tidycalTime,
} from './time';
import type { AttendeeTruth, MeetingOutcome, MeetingTruth, PracticeAdvisor } from './types';

export type RenderOptions = Readonly<{
  advisor: PracticeAdvisor;
  nowMs: number;
  /** When the advisor opened the scheduler accounts (event types are created then). */
  accountsSinceMs: number;
}>;

export type Rendered = Readonly<{
  calcom: Readonly<{ user: CalcomUser; eventTypes: CalcomEventType[]; bookings: CalcomBooking[] }>;
  calendly: Readonly<{
    user: CalendlyUser;
    eventTypes: CalendlyEventType[];
    events: CalendlyEvent[];
    invitees: CalendlyInvitee[];
  }>;
  tidycal: Readonly<{
    me: Readonly<{
      name: string;
      email: string;
      lifetime_pro_at: string | null;
      vanity_path: string;
      language: string;
      profile_picture_url: string | null;
      currency_symbol: string;
    }>;
    bookingTypes: TidyCalBookingType[];
    bookings: TidyCalBooking[];
  }>;
  attendees: AttendeeTruth[];
  meetings: MeetingTruth[];
}>;

type Shown = Presentation;

// Identical nested values are shared between records rather than copied: a 100k-booking practice
// is mostly garbage-collector time otherwise. Nothing mutates records (the simulators replace
// them on change), so sharing is safe.
const NO_METADATA: Readonly<Record<string, string>> = Object.freeze({});
const NONE: readonly never[] = Object.freeze([]);
const NO_TRACKING = Object.freeze({
  utm_campaign: null,
  utm_source: null,
  utm_medium: null,
  utm_content: null,
  utm_term: null,
  salesforce_uuid: null,
});

export function renderPractice(
  random: Random,
  plans: readonly MeetingPlan[],
  options: RenderOptions,
): Rendered {
  const { advisor, nowMs } = options;
  const attendees: AttendeeTruth[] = [];
  const meetings: MeetingTruth[] = [];
  const created = options.accountsSinceMs;

  // ------------------------------------------------------------------ accounts and event types
  const calcomHost: CalcomHost = {
    id: 1234,
    name: advisor.name,
    email: advisor.emails.calcom,
    displayEmail: advisor.emails.calcom,
    username: 'morgan-ellery',
    timeZone: advisor.timeZone,
  };
  const calcomUser: CalcomUser = {
    id: calcomHost.id,
    username: calcomHost.username,
    email: calcomHost.email,
    name: calcomHost.name,
    timeZone: advisor.timeZone,
    weekStart: 'Sunday',
    timeFormat: 12,
    defaultScheduleId: 4321,
    organizationId: null,
  };
  const calcomTypes = new Map<string, CalcomEventType>();
  CATALOG.filter((e) => e.source === 'calcom').forEach((entry, index) => {
    calcomTypes.set(entry.slug, {
      id: 1001 + index,
      title: entry.title,
      slug: entry.slug,
      lengthInMinutes: entry.duration,
      ...(entry.slug === 'annual-review' ? { lengthInMinutesOptions: [60, 90] } : {}),
      description: `${entry.title} with ${advisor.name}`,
      locations: [{ type: 'integration', integration: 'cal-video' }],
      bookingFields: [
        entry.splitName
          ? { type: 'splitName', slug: 'name', required: true }
          : { type: 'name', slug: 'name', required: true },
        { type: 'email', slug: 'email', required: true },
        { type: 'textarea', slug: 'notes', required: false },
        { type: 'multiemail', slug: 'guests', required: false },
      ],
      disableGuests: false,
      price: 0,
      currency: 'usd',
      recurrence:
        entry.slug === 'check-in' ? { interval: 1, occurrences: 6, frequency: 'monthly' } : null,
      seatsPerTimeSlot: null,
      scheduleId: 4321,
      metadata: {},
      isInstantEvent: false,
      requiresConfirmation: entry.requiresConfirmation === true,
      hidden: entry.hidden === true,
      ownerId: calcomHost.id,
      createdAt: iso(created + index * DAY),
      users: [{ id: calcomHost.id, name: calcomHost.name, username: calcomHost.username }],
    });
  });

  const calendlyUserUri = `${CALENDLY_API_ORIGIN}/users/${random.uuid()}`;
  const calendlyUser: CalendlyUser = {
    uri: calendlyUserUri,
    name: advisor.name,
    slug: 'morgan-ellery',
    email: advisor.emails.calendly,
    scheduling_url: 'https://calendly.com/morgan-ellery',
    timezone: advisor.timeZone,
    avatar_url: null,
    created_at: calendlyTime(created, 412_345),
    updated_at: calendlyTime(created + 30 * DAY, 118_004),
    current_organization: `${CALENDLY_API_ORIGIN}/organizations/${random.uuid()}`,
    resource_type: 'User',
    locale: 'en',
  };
  const calendlyTypes = new Map<string, CalendlyEventType>();
  CATALOG.filter((e) => e.source === 'calendly').forEach((entry, index) => {
    calendlyTypes.set(entry.slug, {
      uri: `${CALENDLY_API_ORIGIN}/event_types/${random.uuid()}`,
      name: entry.title,
      active: true,
      booking_method: 'instant',
      slug: entry.slug,
      scheduling_url: `https://calendly.com/morgan-ellery/${entry.slug}`,
      duration: entry.duration,
      duration_options: null,
      kind: entry.group ? 'group' : 'solo',
      pooling_type: null,
      type: 'StandardEventType',
      color: random.pick(['#0069ff', '#8247f5', '#17e885', '#ff4f00']),
      created_at: calendlyTime(created + index * DAY, random.int(0, 999_999)),
      updated_at: calendlyTime(created + (index + 20) * DAY, random.int(0, 999_999)),
      internal_note: null,
      description_plain: `${entry.title} with ${advisor.name}`,
      description_html: `<p>${entry.title} with ${advisor.name}</p>`,
      profile: { type: 'User', name: advisor.name, owner: calendlyUserUri },
      secret: false,
      deleted_at: null,
      admin_managed: false,
      locale: 'en',
      position: index,
      custom_questions: [
        {
          name: 'What would you like to discuss?',
          type: 'text',
          position: 0,
          enabled: true,
          required: false,
        },
      ],
    });
  });

  const tidycalTypes = new Map<string, TidyCalBookingType>();
  CATALOG.filter((e) => e.source === 'tidycal').forEach((entry, index) => {
    const at = tidycalTime(created + index * DAY);
    tidycalTypes.set(entry.slug, {
      id: 1_128_010 + index * 7,
      user_id: 55_012,
      title: entry.title,
      description: `${entry.title} with ${advisor.name}`,
      duration_minutes: entry.duration,
      padding_minutes: 15,
      disabled_at: entry.disabled ? tidycalTime(created + 400 * DAY) : null,
      url_slug: entry.slug,
      url: `https://tidycal.com/morganellery/${entry.slug}`,
      price: null,
      private: false,
      latest_availability_days: 60,
      booking_threshold_minutes: 240,
      max_bookings: null,
      redirect_url: null,
      created_at: at,
      updated_at: at,
    });
  });

  // ------------------------------------------------------------------ who shows up as whom
  const advisorShown = (source: BookingSource): Shown => ({
    name: advisor.name,
    firstName: advisor.firstName,
    lastName: advisor.lastName,
    email: advisor.emails[source],
    nameVariants: [],
    emailVariant: 'advisor_own',
    person: null,
    contactId: null,
    personId: 'advisor',
  });
  const show = (person: Person): Shown => present(person, random);
  const truth = (
    source: BookingSource,
    bookingId: string,
    shown: Shown,
    role: 'attendee' | 'guest',
    sourceRef: string | null = null,
    nameOverride?: string | null,
  ) => {
    const name = nameOverride === undefined ? shown.name : nameOverride;
    attendees.push({
      source,
      bookingId,
      email: shown.email,
      name,
      role,
      sourceRef,
      contactId: shown.contactId,
      personId: shown.personId,
      kind: shown.person?.kind ?? 'advisor',
      nameVariants: name === '' || name === null ? ['no_name'] : shown.nameVariants,
      emailVariant: shown.emailVariant,
    });
  };
  // A booking form refuses a guest with the booker's own address (a couple sharing one address
  // books as one), so such guests do not appear.
  const distinctGuests = (booker: Shown, guests: Shown[]): Shown[] => {
    const seen = new Set([booker.email.toLowerCase()]);
    return guests.filter((g) => {
      const key = g.email.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const meetingContacts = (plan: MeetingPlan): string[] => {
    const ids = [plan.attendee, ...plan.guests, ...plan.invitees.map((i) => i.person)]
      .map((p) => p.contactId)
      .filter((id): id is string => id !== null);
    return [...new Set(ids)];
  };

  // ------------------------------------------------------------------ Cal.com
  const calcomBookings: CalcomBooking[] = [];
  const advisorHosts: readonly CalcomHost[] = [calcomHost];
  let calcomId = 4_815_000;
  const seriesUids = new Map<string, string>();

  const calcomLocation = (uid: string, entrySlug: string) => {
    const roll = random.weighted<string>([
      ['calvideo', 30],
      ['daily', 20],
      ['gmeet-token', 8],
      ['gmeet', 15],
      ['zoom', 10],
      ['office', entrySlug === 'portfolio-review' || entrySlug === 'annual-review' ? 25 : 8],
      ['phone', 5],
    ]);
    switch (roll) {
      case 'calvideo':
        return { location: `https://app.cal.com/video/${uid}`, value: 'integrations:daily' };
      case 'daily':
        return { location: 'integrations:daily', value: 'integrations:daily' };
      case 'gmeet-token':
        return { location: 'integrations:google:meet', value: 'integrations:google:meet' };
      case 'gmeet':
        return {
          location: `https://meet.google.com/${random.base58(3).toLowerCase()}-${random.base58(4).toLowerCase()}-${random.base58(3).toLowerCase()}`,
          value: 'integrations:google:meet',
        };
      case 'zoom':
        return { location: `https://zoom.us/j/${random.digits(11)}`, value: 'integrations:zoom' };
      case 'phone':
        return { location: '+16175550142', value: 'userPhone' };
      default:
        return { location: '100 Harbor Street, Suite 400, Boston, MA 02110', value: 'inPerson' };
    }
  };

  const renderCalcom = (plan: MeetingPlan): string[] => {
    const external = plan.kind === 'external';
    const entry = external ? null : catalogEntry('calcom', plan.slug);
    const eventType = entry ? calcomTypes.get(entry.slug)! : null;
    const main = external ? advisorShown('calcom') : show(plan.attendee);
    const guestShown = distinctGuests(main, plan.guests.map(show));
    const hostPerson = external ? plan.attendee : null;
    const host: CalcomHost = hostPerson
      ? {
          id: 9000 + Number(hostPerson.id.slice(1)),
          name: `${hostPerson.first} ${hostPerson.last}`,
          email: hostPerson.workEmail ?? hostPerson.unlistedEmail,
          displayEmail: hostPerson.workEmail ?? hostPerson.unlistedEmail,
          username: `${hostPerson.first}-${hostPerson.last}`.toLowerCase().replace(/[^a-z-]/g, ''),
          timeZone: hostPerson.timeZone,
        }
      : calcomHost;
    const noEventType = !external && random.chance(0.015);
    const attendeeName = entry?.splitName ? `${main.firstName} ${main.lastName}` : main.name;
    const title = external
      ? `Consultation between ${host.name} and ${advisor.name}`
      : `${eventType!.title} between ${advisor.name} and ${attendeeName}`;
    const answer = random.chance(0.5) ? random.pick(ANSWERS) : null;
    const phone = random.chance(0.2) ? `+1617555${random.int(100, 199)}${random.digits(1)}` : null;
    const seriesUid = plan.seriesKey
      ? (seriesUids.get(plan.seriesKey) ??
        (() => {
          const uid = random.base58(22);
          seriesUids.set(plan.seriesKey!, uid);
          return uid;
        })())
      : null;

    const build = (
      uid: string,
      startMs: number,
      createdMs: number,
      outcome: MeetingOutcome | 'rescheduled_away',
      extra: Partial<CalcomBooking>,
    ): CalcomBooking => {
      const endMs = startMs + plan.durationMin * MINUTE;
      const where = calcomLocation(uid, plan.slug);
      const absent = outcome === 'no_show';
      const attendeeList: CalcomAttendee[] = [
        {
          name: attendeeName,
          email: main.email,
          displayEmail: main.email,
          timeZone: main.person?.timeZone ?? advisor.timeZone,
          language: 'en',
          absent,
          ...(phone ? { phoneNumber: phone } : {}),
        },
        // Guests become attendees with an empty name, as the booking flow stores them.
        ...guestShown.map((g) => ({
          name: '',
          email: g.email,
          displayEmail: g.email,
          timeZone: main.person?.timeZone ?? advisor.timeZone,
          language: 'en',
          absent: false,
        })),
      ];
      const status: CalcomBooking['status'] =
        outcome === 'cancelled' || outcome === 'rescheduled_away'
          ? 'cancelled'
          : outcome === 'rejected'
            ? 'rejected'
            : outcome === 'pending' || outcome === 'expired_pending'
              ? 'pending'
              : outcome === 'awaiting_host'
                ? 'awaiting_host'
                : 'accepted';
      const changed =
        outcome === 'cancelled' || outcome === 'rejected' || outcome === 'no_show'
          ? plan.changedAtMs
          : null;
      const touched =
        changed === null && random.chance(0.12)
          ? Math.min(nowMs, createdMs + random.between(1, 600) * MINUTE)
          : null;
      const responses: Record<string, unknown> = {
        name: entry?.splitName ? { firstName: main.firstName, lastName: main.lastName } : main.name,
        email: main.email,
        displayEmail: main.email,
        ...(guestShown.length > 0
          ? {
              guests: guestShown.map((g) => g.email),
              displayGuests: guestShown.map((g) => g.email),
            }
          : {}),
        ...(answer ? { notes: answer } : {}),
        location: {
          value: where.value,
          optionValue: where.value === 'inPerson' ? where.location : '',
        },
      };
      return {
        id: calcomId++,
        uid,
        title,
        description: answer ?? '',
        hosts: host === calcomHost ? advisorHosts : [host],
        status,
        cancellationReason:
          outcome === 'cancelled' && random.chance(0.6) ? random.pick(CANCELLATION_REASONS) : '',
        cancelledByEmail:
          outcome === 'cancelled' ? (random.chance(0.7) ? main.email : host.email) : '',
        ...(seriesUid ? { recurringBookingUid: seriesUid } : {}),
        start: iso(startMs),
        end: iso(endMs),
        duration: plan.durationMin,
        eventTypeId: noEventType || !eventType ? (external ? 77_001 : null) : eventType.id,
        eventType: external
          ? { id: 77_001, slug: 'consultation' }
          : noEventType
            ? null
            : { id: eventType!.id, slug: eventType!.slug },
        meetingUrl: where.location,
        location: where.location,
        absentHost: false,
        createdAt: iso(createdMs),
        updatedAt: changed !== null ? iso(changed) : touched !== null ? iso(touched) : null,
        metadata: NO_METADATA,
        icsUid: `${uid}@Cal.com`,
        attendees: attendeeList,
        ...(guestShown.length > 0 ? { guests: guestShown.map((g) => g.email) } : {}),
        bookingFieldsResponses: responses,
        ...extra,
      };
    };

    const finalUid = random.base58(22);
    const ids: string[] = [];
    if (plan.reschedule) {
      const oldUid = random.base58(22);
      const old = build(
        oldUid,
        plan.reschedule.originalStartMs,
        plan.createdMs,
        'rescheduled_away',
        {
          rescheduledToUid: finalUid,
          rescheduledByEmail: main.email,
          updatedAt: iso(plan.reschedule.atMs),
        },
      );
      calcomBookings.push(old);
      ids.push(oldUid);
      const next = build(finalUid, plan.startMs, plan.reschedule.atMs, plan.outcome, {
        rescheduledFromUid: oldUid,
        reschedulingReason: random.chance(0.5) ? 'Conflict came up' : '',
        rescheduledByEmail: main.email,
        icsUid: old.icsUid,
      });
      calcomBookings.push(next);
    } else {
      calcomBookings.push(build(finalUid, plan.startMs, plan.createdMs, plan.outcome, {}));
    }
    ids.push(finalUid);
    for (const id of ids) {
      truth('calcom', id, main, 'attendee', null, attendeeName);
      for (const guest of guestShown) truth('calcom', id, guest, 'guest', null, '');
    }
    return ids;
  };

  // ------------------------------------------------------------------ Calendly
  const calendlyEvents: CalendlyEvent[] = [];
  const calendlyInvitees: CalendlyInvitee[] = [];
  const micros = () => random.int(0, 999);
  const calendlyLocation = (): CalendlyEvent['location'] => {
    switch (random.int(0, 4)) {
      case 0:
      case 1:
        return {
          type: 'zoom',
          status: 'pushed',
          join_url: `https://zoom.us/j/${random.digits(11)}`,
          data: {},
        };
      case 2:
        return {
          type: 'google_conference',
          status: 'pushed',
          join_url: `https://meet.google.com/${random.base58(3).toLowerCase()}-${random.base58(4).toLowerCase()}-${random.base58(3).toLowerCase()}`,
        };
      case 3:
        return { type: 'physical', location: '100 Harbor Street, Suite 400, Boston, MA 02110' };
      default:
        return { type: 'outbound_call', location: '+1 617-555-0142' };
    }
  };

  const renderCalendly = (plan: MeetingPlan): string[] => {
    const entry = catalogEntry('calendly', plan.slug);
    const eventType = calendlyTypes.get(entry.slug)!;
    const group = entry.group === true;
    const people = group ? plan.invitees : [{ person: plan.attendee, cancelled: false }];
    // A second registration with an address already on the event is refused (couples sharing
    // one address register once).
    const seenAddresses = new Set<string>();
    const shownPeople = people
      .map(({ person, cancelled }) => ({ shown: show(person), cancelled }))
      .filter(({ shown }) => {
        const key = shown.email.toLowerCase();
        if (seenAddresses.has(key)) return false;
        seenAddresses.add(key);
        return true;
      });
    const guests = group ? [] : distinctGuests(shownPeople[0]!.shown, plan.guests.map(show));
    const externalId = random.base58(26).toLowerCase();
    const location = calendlyLocation();
    const answer = random.chance(0.6) ? random.pick(ANSWERS) : null;

    const makeEvent = (
      uri: string,
      startMs: number,
      createdMs: number,
      status: 'active' | 'canceled',
      cancellation: CalendlyCancellation | undefined,
      updatedMs: number,
      counter: { total: number; active: number },
    ): CalendlyEvent => {
      const endMs = startMs + plan.durationMin * MINUTE;
      return {
        uri,
        name: entry.title,
        meeting_notes_plain: null,
        meeting_notes_html: null,
        status,
        start_time: calendlyTime(startMs),
        end_time: calendlyTime(endMs),
        event_type: eventType.uri,
        location,
        invitees_counter: { ...counter, limit: group ? 25 : 1 },
        created_at: calendlyTime(createdMs, micros()),
        updated_at: calendlyTime(Math.max(createdMs, updatedMs), micros()),
        event_memberships: [
          {
            user: calendlyUser.uri,
            user_email: calendlyUser.email,
            user_name: calendlyUser.name,
            buffered_start_time: calendlyTime(startMs),
            buffered_end_time: calendlyTime(endMs),
          },
        ],
        event_guests:
          guests.length === 0
            ? NONE
            : guests.map((g) => ({
                email: g.email,
                created_at: calendlyTime(createdMs, micros()),
                updated_at: calendlyTime(createdMs, micros()),
              })),
        calendar_event: { kind: 'google', external_id: externalId },
        ...(cancellation ? { cancellation } : {}),
      };
    };
    const makeInvitee = (
      eventUri: string,
      shown: Shown,
      createdMs: number,
      fields: Partial<CalendlyInvitee>,
      uuid: string = random.uuid(),
    ): CalendlyInvitee => {
      return {
        uri: `${eventUri}/invitees/${uuid}`,
        event: eventUri,
        email: shown.email,
        name: entry.splitName ? `${shown.firstName} ${shown.lastName}` : shown.name,
        first_name: entry.splitName ? shown.firstName : null,
        last_name: entry.splitName ? shown.lastName : null,
        status: 'active',
        timezone: shown.person?.timeZone ?? advisor.timeZone,
        created_at: calendlyTime(createdMs, micros()),
        updated_at: calendlyTime(createdMs, micros()),
        questions_and_answers: answer
          ? [{ question: 'What would you like to discuss?', answer, position: 0 }]
          : NONE,
        rescheduled: false,
        old_invitee: null,
        new_invitee: null,
        cancellation: null,
        cancel_url: `https://calendly.com/cancellations/${uuid}`,
        reschedule_url: `https://calendly.com/reschedulings/${uuid}`,
        no_show: null,
        payment: null,
        reconfirmation: null,
        routing_form_submission: null,
        text_reminder_number: null,
        tracking: NO_TRACKING,
        scheduling_method: null,
        invitee_scheduled_by: null,
        ...fields,
      };
    };
    const recordTruth = (eventUri: string, invitee: CalendlyInvitee, shown: Shown) => {
      truth('calendly', eventUri, shown, 'attendee', invitee.uri, invitee.name);
    };

    const ids: string[] = [];
    const finalUri = `${CALENDLY_API_ORIGIN}/scheduled_events/${random.uuid()}`;
    const firstInviteeUuid = random.uuid();
    let previousInviteeUri: string | null = null;
    const first = shownPeople[0]!.shown;
    if (plan.reschedule) {
      const at = plan.reschedule.atMs;
      const oldUri = `${CALENDLY_API_ORIGIN}/scheduled_events/${random.uuid()}`;
      const cancellation: CalendlyCancellation = {
        canceled_by: first.name,
        reason: null,
        canceler_type: 'invitee',
        created_at: calendlyTime(at, micros()),
      };
      const oldInvitee = makeInvitee(oldUri, first, plan.createdMs, {
        status: 'canceled',
        rescheduled: true,
        new_invitee: `${finalUri}/invitees/${firstInviteeUuid}`,
        cancellation,
        updated_at: calendlyTime(at, micros()),
      });
      previousInviteeUri = oldInvitee.uri;
      calendlyEvents.push(
        makeEvent(
          oldUri,
          plan.reschedule.originalStartMs,
          plan.createdMs,
          'canceled',
          cancellation,
          at,
          { total: 1, active: 0 },
        ),
      );
      calendlyInvitees.push(oldInvitee);
      recordTruth(oldUri, oldInvitee, first);
      for (const guest of guests) truth('calendly', oldUri, guest, 'guest', null, null);
      ids.push(oldUri);
    }
    const createdMs = plan.reschedule?.atMs ?? plan.createdMs;
    const cancelledAt = plan.outcome === 'cancelled' ? plan.changedAtMs! : null;
    const byHost = random.chance(0.3);
    const cancellation: CalendlyCancellation | undefined =
      cancelledAt !== null
        ? {
            canceled_by: byHost ? advisor.name : first.name,
            reason: random.chance(0.6) ? random.pick(CANCELLATION_REASONS) : null,
            canceler_type: byHost ? 'host' : 'invitee',
            created_at: calendlyTime(cancelledAt, micros()),
          }
        : undefined;
    const invitees = shownPeople.map(({ shown, cancelled }, index) => {
      const alone = cancelled && cancellation === undefined;
      const changedAt = alone ? random.between(createdMs, Math.min(plan.startMs, nowMs)) : null;
      const invitee = makeInvitee(
        finalUri,
        shown,
        createdMs,
        {
          ...(index === 0 && previousInviteeUri ? { old_invitee: previousInviteeUri } : {}),
          ...(cancellation || alone
            ? {
                status: 'canceled' as const,
                cancellation: cancellation ?? {
                  canceled_by: shown.name,
                  reason: null,
                  canceler_type: 'invitee' as const,
                  created_at: calendlyTime(changedAt!, micros()),
                },
                updated_at: calendlyTime(cancelledAt ?? changedAt!, micros()),
              }
            : {}),
          ...(plan.outcome === 'no_show' && index === 0
            ? {
                no_show: {
                  uri: `${CALENDLY_API_ORIGIN}/invitee_no_shows/${random.uuid()}`,
                  created_at: calendlyTime(plan.changedAtMs!, micros()),
                },
                updated_at: calendlyTime(plan.changedAtMs!, micros()),
              }
            : {}),
        },
        index === 0 ? firstInviteeUuid : random.uuid(),
      );
      return invitee;
    });
    const active = invitees.filter((i) => i.status === 'active').length;
    calendlyEvents.push(
      makeEvent(
        finalUri,
        plan.startMs,
        createdMs,
        cancellation ? 'canceled' : 'active',
        cancellation,
        cancelledAt ?? plan.changedAtMs ?? createdMs,
        { total: invitees.length, active },
      ),
    );
    invitees.forEach((invitee, index) => {
      calendlyInvitees.push(invitee);
      recordTruth(finalUri, invitee, shownPeople[index]!.shown);
    });
    for (const guest of guests) truth('calendly', finalUri, guest, 'guest', null, null);
    ids.push(finalUri);
    return ids;
  };

  // ------------------------------------------------------------------ TidyCal
  const tidycalBookings: TidyCalBooking[] = [];
  const embeddedTypes = new Map(
    [...tidycalTypes.values()].map((t) => [
      t.id,
      { id: t.id, title: t.title, duration_minutes: t.duration_minutes },
    ]),
  );
  const tidycalContacts = new Map<string, { contact: TidyCalContact; shown: Shown }>();
  let tidycalId = 482_000;
  let questionId = 70_000;

  const renderTidycal = (plan: MeetingPlan): string[] => {
    const entry = catalogEntry('tidycal', plan.slug);
    const bookingType = tidycalTypes.get(entry.slug)!;
    const fresh = show(plan.attendee);
    const key = fresh.email.toLowerCase();
    // TidyCal keeps one contact per address; its name is whatever was typed the first time.
    let record = tidycalContacts.get(key);
    if (!record) {
      const at = tidycalTime(plan.createdMs);
      record = {
        shown: fresh,
        contact: {
          id: 90_000 + tidycalContacts.size * 3 + random.int(0, 2),
          name: fresh.name,
          email: fresh.email,
          phone_number: random.chance(0.3) ? plan.attendee.phone : null,
          ip_address: `203.0.113.${random.int(1, 254)}`,
          timezone: plan.attendee.timeZone,
          created_at: at,
          updated_at: at,
        },
      };
      tidycalContacts.set(key, record);
    }
    const sameBooker = record.shown.personId === plan.attendee.id;
    const shown: Shown = sameBooker
      ? record.shown
      : {
          ...record.shown,
          person: plan.attendee,
          contactId: plan.attendee.contactId,
          personId: plan.attendee.id,
          // The contact still carries the name the address was first booked under.
          nameVariants: ['shared_contact_name'],
        };
    const id = (tidycalId += random.int(1, 9));
    const endMs = plan.startMs + plan.durationMin * MINUTE;
    const cancelledAt = plan.outcome === 'cancelled' ? plan.changedAtMs : null;
    const updatedMs = Math.max(plan.createdMs, plan.reschedule?.atMs ?? 0, cancelledAt ?? 0);
    const meeting = random.weighted<string>([
      ['meet', 45],
      ['zoom', 35],
      ['none', 20],
    ]);
    const meetingId =
      meeting === 'zoom'
        ? random.digits(11)
        : `${random.base58(3).toLowerCase()}-${random.base58(4).toLowerCase()}-${random.base58(3).toLowerCase()}`;
    const answer = random.chance(0.6) ? random.pick(ANSWERS) : null;
    tidycalBookings.push({
      id,
      contact_id: record.contact.id,
      booking_type_id: bookingType.id,
      starts_at: tidycalTime(plan.startMs),
      ends_at: tidycalTime(endMs),
      cancelled_at: cancelledAt !== null ? tidycalTime(cancelledAt) : null,
      created_at: tidycalTime(plan.createdMs),
      updated_at: tidycalTime(updatedMs),
      timezone: plan.attendee.timeZone,
      meeting_url:
        meeting === 'none'
          ? null
          : meeting === 'zoom'
            ? `https://zoom.us/j/${meetingId}`
            : `https://meet.google.com/${meetingId}`,
      meeting_id: meeting === 'none' ? null : meetingId,
      questions: answer
        ? [
            {
              id: questionId++,
              booking_id: id,
              question: QUESTION_BY_KIND[plan.kind],
              answer,
              created_at: tidycalTime(plan.createdMs),
              updated_at: tidycalTime(plan.createdMs),
            },
          ]
        : NONE,
      contact: record.contact,
      payment: null,
      // Embedded on most bookings, not all (sheet B2).
      ...(random.chance(0.88) ? { booking_type: embeddedTypes.get(bookingType.id)! } : {}),
    });
    truth('tidycal', String(id), shown, 'attendee', null, record.contact.name);
    return [String(id)];
  };

  // ------------------------------------------------------------------ all meetings
  for (const plan of plans) {
    let ids: string[];
    switch (plan.source) {
      case 'calcom':
        ids = renderCalcom(plan);
        break;
      case 'calendly':
        ids = renderCalendly(plan);
        break;
      case 'tidycal':
        ids = renderTidycal(plan);
        break;
    }
    const entryTitle =
      plan.kind === 'external' ? 'Consultation' : catalogEntry(plan.source, plan.slug).title;
    meetings.push({
      meetingId: `m${plan.seq}`,
      source: plan.source,
      bookingIds: ids,
      kind: plan.kind,
      category: categoryOf(plan.kind),
      eventTypeSlug: plan.kind === 'external' ? 'consultation' : plan.slug,
      title: entryTitle,
      start: iso(plan.startMs),
      end: iso(plan.startMs + plan.durationMin * MINUTE),
      outcome: plan.outcome,
      rescheduled: plan.reschedule
        ? plan.source === 'tidycal'
          ? 'in_place'
          : 'new_booking'
        : 'no',
      contactIds: meetingContacts(plan),
      recurringSeriesUid: plan.seriesKey ? (seriesUids.get(plan.seriesKey) ?? null) : null,
    });
  }

  return {
    calcom: { user: calcomUser, eventTypes: [...calcomTypes.values()], bookings: calcomBookings },
    calendly: {
      user: calendlyUser,
      eventTypes: [...calendlyTypes.values()],
      events: calendlyEvents,
      invitees: calendlyInvitees,
    },
    tidycal: {
      me: {
        name: advisor.name,
        email: advisor.emails.tidycal,
        lifetime_pro_at: tidycalTime(created + 10 * DAY),
        vanity_path: 'morganellery',
        language: 'en',
        profile_picture_url: null,
        currency_symbol: '$',
      },
      bookingTypes: [...tidycalTypes.values()],
      bookings: tidycalBookings,
    },
    attendees,
    meetings,
  };
}
