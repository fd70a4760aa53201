// The planner: from meetings, matches, review facts and what Cadence already wrote, the LACRM
// writes that should be waiting for the advisor right now. Pure (no I/O): the same inputs always
// give the same changes, which is what lets a re-plan update proposals in place.
//
// - CreateEvent for each held meeting with at least one matched contact (the contacts are its
//   attendees); EditEvent when a pushed meeting changed; DeleteEvent when it was cancelled, marked
//   a no-show or lost its contacts.
// - CreateNote per client of a held portfolio review, when notes are on; EditNote when the meeting
//   moved; DeleteNote when it is no longer a held review.
// - EditContact for the mapped custom fields whose value differs from what LACRM holds. A review
//   date LACRM already has later than Cadence's (a review recorded by hand) is never moved back.
// - CreateContact for each contact the advisor asked for in the review queue, unless a contact
//   with that address exists by now.
import { sourceLabels, type BookingSource } from '../../shared/domain';
import { isValidTimeZone } from '../../shared/settings';
import { contactRequestMarker, meetingMarker } from './marker';
import { renderNote } from './note-template';
import { zonedDateTime } from './time';
import type {
  DesiredChange,
  FieldMap,
  FieldValue,
  LedgerRecord,
  Meeting,
  PlanContact,
  PlanInputs,
} from './types';
import { normalizeFieldValue, sameFieldValue, sameFields } from './values';
import { readableLocation } from '../../shared/location';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Checking a zone builds an Intl formatter: remember the answer (a practice has a handful of zones).
const zoneValidity = new Map<string, boolean>();

function zoneOf(meeting: Meeting, fallback: string): string {
  const zone = meeting.timeZone;
  if (!zone) return fallback;
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = isValidTimeZone(zone);
    zoneValidity.set(zone, valid);
  }
  return valid ? zone : fallback;
}

/** The key of a meeting's event: its chain's oldest booking, unless a later one already has one. */
function meetingKeyId(meeting: Meeting, knownKeys: ReadonlySet<string>): string {
  const chain = meeting.chainSourceIds.length > 0 ? meeting.chainSourceIds : [meeting.sourceId];
  return chain.find((id) => knownKeys.has(`event:${meeting.source}:${id}`)) ?? chain[0]!;
}

/** The meeting's start in its own zone (LACRM takes that zone for the event), as LACRM writes it. */
function localStart(meeting: Meeting, fallbackZone: string): string {
  return zonedDateTime(meeting.startUtc, zoneOf(meeting, fallbackZone));
}

export function eventFields(
  meeting: Meeting,
  marker: string,
  fallbackZone: string,
  start = localStart(meeting, fallbackZone),
): FieldMap {
  const zone = zoneOf(meeting, fallbackZone);
  const what = meeting.eventTypeName?.trim() || 'Meeting';
  return {
    Name: meeting.title,
    StartDate: start,
    EndDate: zonedDateTime(meeting.endUtc, zone),
    Location: readableLocation(meeting.location),
    Description: `${what}, booked through ${sourceLabels[meeting.source]}. Logged by Cadence.\n${marker}`,
    Attendees: [...meeting.contactIds],
  };
}

function sourceOfKey(key: string): BookingSource | null {
  const source = key.split(':')[1];
  return source === 'calcom' || source === 'calendly' || source === 'tidycal' ? source : null;
}

function text(value: FieldValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

type Builder = {
  out: DesiredChange[];
  inputs: PlanInputs;
};

function planMeetings(b: Builder): void {
  const { inputs } = b;
  const { settings } = inputs;
  const liveRecord = (key: string): LedgerRecord | null => {
    const record = inputs.records.get(key);
    return record && !record.deleted ? record : null;
  };
  const visited = new Set<string>();
  for (const meeting of inputs.meetings) {
    const keyId = meetingKeyId(meeting, inputs.knownKeys);
    const marker = meetingMarker(meeting.source, keyId);
    const eventKey = `event:${meeting.source}:${keyId}`;
    visited.add(eventKey);
    const start = localStart(meeting, settings.zone);
    const day = start.slice(0, 10);
    const base = {
      bookingId: meeting.bookingId,
      bookingSource: meeting.source,
      bookingSourceId: meeting.sourceId,
      requestId: null,
      marker,
    };
    const wanted = meeting.held && meeting.contactIds.length > 0;
    const record = liveRecord(eventKey);
    if (wanted) {
      const after = eventFields(meeting, marker, settings.zone, start);
      const summary = `${meeting.title} · ${day}`;
      if (!record) {
        b.out.push({
          ...base,
          key: eventKey,
          recordKey: eventKey,
          kind: 'CreateEvent',
          contactId: meeting.contactIds[0]!,
          targetId: null,
          summary,
          before: {},
          after,
        });
      } else if (!sameFields(record.written, after)) {
        b.out.push({
          ...base,
          key: eventKey,
          recordKey: eventKey,
          kind: 'EditEvent',
          contactId: meeting.contactIds[0]!,
          targetId: record.lacrmId,
          summary,
          before: record.written,
          after,
        });
      }
    } else if (record) {
      b.out.push({
        ...base,
        key: eventKey,
        recordKey: eventKey,
        kind: 'DeleteEvent',
        contactId: record.contactId,
        targetId: record.lacrmId,
        summary: `${text(record.written.Name) || meeting.title} · ${day} (${meeting.held ? 'no matched contact' : 'not held'})`,
        before: record.written,
        after: {},
      });
    }

    if (!settings.notesEnabled) continue;
    const noteWanted = meeting.held && meeting.isReview;
    for (const contactId of meeting.contactIds) {
      const noteKey = `note:${meeting.source}:${keyId}:${contactId}`;
      visited.add(noteKey);
      const noteRecord = liveRecord(noteKey);
      const contact = inputs.contacts.get(contactId);
      if (noteWanted) {
        const after: FieldMap = {
          ContactId: contactId,
          DateDisplayedInHistory: start,
          Note: renderNote(
            settings.noteTemplate,
            { meeting, clientName: contact?.name ?? '', zone: settings.zone },
            marker,
          ),
        };
        const summary = `Review note · ${day}`;
        if (!noteRecord) {
          b.out.push({
            ...base,
            key: noteKey,
            recordKey: noteKey,
            kind: 'CreateNote',
            contactId,
            targetId: null,
            summary,
            before: {},
            after,
          });
        } else if (
          !sameFieldValue(noteRecord.written.DateDisplayedInHistory, after.DateDisplayedInHistory)
        ) {
          b.out.push({
            ...base,
            key: noteKey,
            recordKey: noteKey,
            kind: 'EditNote',
            contactId,
            targetId: noteRecord.lacrmId,
            summary,
            before: noteRecord.written,
            after,
          });
        }
      } else if (noteRecord) {
        b.out.push({
          ...base,
          key: noteKey,
          recordKey: noteKey,
          kind: 'DeleteNote',
          contactId,
          targetId: noteRecord.lacrmId,
          summary: `Review note · ${day} (no longer a held review)`,
          before: noteRecord.written,
          after: {},
        });
      }
    }
    // Notes of contacts no longer on the meeting are handled below with the other orphans.
  }

  // Records whose meeting is gone from the store, or whose contact left it.
  for (const record of inputs.records.values()) {
    if (record.deleted || visited.has(record.recordKey)) continue;
    if (record.recordType === 'event') {
      b.out.push({
        key: record.recordKey,
        recordKey: record.recordKey,
        kind: 'DeleteEvent',
        contactId: record.contactId,
        bookingId: null,
        bookingSource: sourceOfKey(record.recordKey),
        bookingSourceId: null,
        requestId: null,
        targetId: record.lacrmId,
        marker: null,
        summary: `${text(record.written.Name) || 'Meeting'} (no longer a held meeting)`,
        before: record.written,
        after: {},
      });
    } else if (record.recordType === 'note' && settings.notesEnabled) {
      b.out.push({
        key: record.recordKey,
        recordKey: record.recordKey,
        kind: 'DeleteNote',
        contactId: record.contactId,
        bookingId: null,
        bookingSource: sourceOfKey(record.recordKey),
        bookingSourceId: null,
        requestId: null,
        targetId: record.lacrmId,
        marker: null,
        summary: 'Review note (no longer a held review of this contact)',
        before: record.written,
        after: {},
      });
    }
  }
}

/** What LACRM holds for a field: Cadence's own write until the contact refresh has seen it. */
function currentValue(inputs: PlanInputs, contact: PlanContact, label: string): FieldValue {
  const pushed = inputs.pushedFields.get(contact.contactId)?.get(label);
  if (pushed && pushed.pushedAt >= contact.lastSeenAt) return normalizeFieldValue(pushed.value);
  return normalizeFieldValue(contact.customFields[label]);
}

function planFields(b: Builder): void {
  const { inputs } = b;
  const mapping = inputs.settings.fields;
  if (!mapping.lastReview && !mapping.nextReviewDue && !mapping.meetings12m) return;
  const contactIds = [...inputs.facts.keys()].sort();
  for (const contactId of contactIds) {
    const facts = inputs.facts.get(contactId)!;
    const contact = inputs.contacts.get(contactId);
    if (!contact || contact.removed) continue;
    const wanted: [string, FieldValue][] = [];
    const crmLast = mapping.lastReview ? currentValue(inputs, contact, mapping.lastReview) : null;
    const crmKnowsLater =
      typeof crmLast === 'string' &&
      DATE.test(crmLast) &&
      (facts.lastReview === null || crmLast > facts.lastReview);
    if (!crmKnowsLater) {
      if (mapping.lastReview) wanted.push([mapping.lastReview, facts.lastReview]);
      if (mapping.nextReviewDue) wanted.push([mapping.nextReviewDue, facts.nextReviewDue]);
    }
    if (mapping.meetings12m) wanted.push([mapping.meetings12m, facts.meetings12m]);
    const before: Record<string, FieldValue> = {};
    const after: Record<string, FieldValue> = {};
    for (const [label, value] of wanted) {
      if (value === null || label in after) continue;
      const current = currentValue(inputs, contact, label);
      if (sameFieldValue(current, value)) continue;
      before[label] = current;
      after[label] = value;
    }
    const labels = Object.keys(after);
    if (labels.length === 0) continue;
    const key = `fields:${contactId}`;
    b.out.push({
      key,
      recordKey: key,
      kind: 'EditContact',
      contactId,
      bookingId: null,
      bookingSource: null,
      bookingSourceId: null,
      requestId: null,
      targetId: contactId,
      marker: null,
      summary: `Update ${labels.join(', ')}`,
      before,
      after,
    });
  }
}

function planContacts(b: Builder): void {
  const { inputs } = b;
  for (const request of inputs.requests) {
    const key = `contact:request:${request.id}`;
    const record = inputs.records.get(key);
    if (record && !record.deleted) continue;
    if (request.emailKey !== null && inputs.existingEmailKeys.has(request.emailKey)) continue;
    const marker = contactRequestMarker(inputs.profileTag, request.id);
    const name = [request.firstName, request.lastName].filter(Boolean).join(' ');
    b.out.push({
      key,
      recordKey: key,
      kind: 'CreateContact',
      contactId: null,
      bookingId: null,
      bookingSource: null,
      bookingSourceId: null,
      requestId: request.id,
      targetId: null,
      marker,
      summary: `New contact: ${name || request.email || `request ${request.id}`}`,
      before: {},
      after: {
        FirstName: request.firstName || null,
        LastName: request.lastName || null,
        Email: request.email,
        'Background Info': `Added by Cadence from a booking.\n${marker}`,
      },
    });
  }
}

export function desiredChanges(inputs: PlanInputs): DesiredChange[] {
  const builder: Builder = { out: [], inputs };
  planContacts(builder);
  planMeetings(builder);
  planFields(builder);
  return builder.out;
}
