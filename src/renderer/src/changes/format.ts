// Words for the Changes and Audit screens: what each kind of change does, what each state means.
import {
  changeKindLabels,
  type ChangeKind,
  type PushProgress,
} from '../../../shared/contract-changes';
import type { ChangeState } from '../../../shared/domain';

export const kindLabels: Readonly<Record<ChangeKind, string>> = changeKindLabels;

export const stateLabels: Readonly<Record<ChangeState, string>> = {
  proposed: 'Proposed',
  approved: 'Approved',
  pushing: 'Writing…',
  pushed: 'Written',
  failed: 'Failed',
  rejected: 'Rejected',
  undone: 'Undone',
};

/** The pill class a state shows with. */
export function stateTone(state: ChangeState): string {
  switch (state) {
    case 'approved':
    case 'pushed':
      return 'ok';
    case 'failed':
      return 'danger';
    case 'pushing':
    case 'proposed':
      return 'warn';
    case 'rejected':
    case 'undone':
      return '';
  }
}

/** "3 events, 1 note and 2 field updates" for what a push will write. */
export function writeSummary(byKind: Readonly<Record<ChangeKind, number>>): string {
  const parts: [number, string, string][] = [
    [byKind.CreateEvent, 'new event', 'new events'],
    [byKind.EditEvent, 'event update', 'event updates'],
    [byKind.DeleteEvent, 'event deletion', 'event deletions'],
    [byKind.CreateNote, 'new note', 'new notes'],
    [byKind.EditNote, 'note update', 'note updates'],
    [byKind.DeleteNote, 'note deletion', 'note deletions'],
    [byKind.EditContact, 'contact field update', 'contact field updates'],
    [byKind.CreateContact, 'new contact', 'new contacts'],
  ];
  const words = parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n.toLocaleString()} ${n === 1 ? one : many}`);
  if (words.length === 0) return 'nothing';
  if (words.length === 1) return words[0]!;
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

export function progressText(p: PushProgress): string {
  const counts = `${p.pushed.toLocaleString()} written, ${p.failed.toLocaleString()} failed`;
  switch (p.state) {
    case 'running':
      if (p.waitMs)
        return `Waiting ${Math.ceil(p.waitMs / 1000)} s before trying again · ${counts}`;
      return `Writing ${Math.min(p.done + 1, p.total).toLocaleString()} of ${p.total.toLocaleString()}${p.current ? ` · ${p.current.summary}` : ''}`;
    case 'finished':
      return `Done · ${counts} of ${p.total.toLocaleString()}`;
    case 'cancelled':
      return `Cancelled after ${p.done.toLocaleString()} of ${p.total.toLocaleString()} · ${counts}; the rest stay approved`;
    case 'failed':
    case 'interrupted':
      return `Stopped · ${counts}${p.message ? ` · ${p.message}` : ''}`;
  }
}
