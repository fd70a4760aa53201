// The review note's text: the advisor's template with {placeholders} filled in, then the marker on
// a line of its own (added here, never part of the template, so editing the template cannot lose
// it). Dates are written in the advisor's zone, in US English, so the same meeting always renders
// the same text and a re-plan does not propose an edit for nothing.
import { DateTime } from 'luxon';
import type { NotePlaceholder } from '../../shared/contract-changes';
import { sourceLabels } from '../../shared/domain';
import type { Meeting } from './types';

export type NoteContext = Readonly<{ meeting: Meeting; clientName: string; zone: string }>;

function values(context: NoteContext): Record<NotePlaceholder, string> {
  const { meeting } = context;
  const start = DateTime.fromISO(meeting.startUtc, { zone: 'utc' })
    .setZone(context.zone)
    .setLocale('en-US');
  return {
    client: context.clientName,
    date: start.toFormat('MMMM d, yyyy'),
    time: start.toFormat('h:mm a'),
    title: meeting.title,
    type: meeting.eventTypeName ?? meeting.title,
    source: sourceLabels[meeting.source],
    duration: String(meeting.durationMinutes),
  };
}

export function renderNote(template: string, context: NoteContext, marker: string): string {
  const filled = values(context);
  const body = template
    .replace(/\{([^{}\s]{1,40})\}/g, (whole, name: string) =>
      Object.prototype.hasOwnProperty.call(filled, name) ? filled[name as NotePlaceholder] : whole,
    )
    .trim();
  return body ? `${body}\n${marker}` : marker;
}
