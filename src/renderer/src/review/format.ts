// Small formatting helpers for the review queue.
import type { ContactSummary, DecisionView, ReviewItem } from '../../../shared/contract-match';

export function percent(score: number | null): string {
  return score === null ? '—' : `${Math.round(score * 100)}%`;
}

export function scoreTone(score: number | null): 'high' | 'mid' | '' {
  if (score === null) return '';
  return score >= 0.9 ? 'high' : score >= 0.75 ? 'mid' : '';
}

export function attendeeLabel(item: Pick<ReviewItem, 'name' | 'email'>): string {
  return item.name?.trim() || item.email || 'Unnamed attendee';
}

/**
 * Whom a decision is about, as its notice says it: the address (a decision is remembered for the
 * address, and Undo names it so), with the booking's name when it has one — "Linked Kwame Myers
 * to Kwame Myers" said nothing.
 */
export function decidedFor(item: Pick<ReviewItem, 'name' | 'email'>): string {
  const name = item.name?.trim();
  if (item.email === null) return name || 'Unnamed attendee';
  return name ? `${item.email} (${name})` : item.email;
}

/** "Bob Smith" → { firstName: 'Bob', lastName: 'Smith' } as a starting point for a new contact. */
export function splitName(name: string | null): { firstName: string; lastName: string } {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: '', lastName: '' };
  if (words.length === 1) return { firstName: words[0]!, lastName: '' };
  return { firstName: words.slice(0, -1).join(' '), lastName: words[words.length - 1]! };
}

export function contactLine(contact: ContactSummary): string {
  return contact.company ? `${contact.name} · ${contact.company}` : contact.name;
}

export function decisionText(d: DecisionView): string {
  const address = d.emailKey ?? 'the attendee';
  switch (d.action) {
    case 'confirm':
      return `linked ${address} to ${d.contactName ?? d.contactId ?? 'a contact'}`;
    case 'reject':
      return `rejected ${d.contactName ?? 'the suggestion'} for ${address}`;
    case 'ignore':
      return `ignored ${address}`;
    case 'request_contact':
      return `requested a new contact for ${address}`;
  }
}
