// Compensating changes: what undoes each kind of pushed write, with previous values restored
// exactly (an empty field as null so LACRM blanks it, not left out so LACRM keeps Cadence's value).
import { describe, expect, it } from 'vitest';
import type { ChangeRow } from '../plan/store';
import { compensationFor } from './undo';

function row(overrides: Partial<ChangeRow>): ChangeRow {
  return {
    id: 5,
    change_key: 'event:calcom:u1',
    record_key: 'event:calcom:u1',
    kind: 'CreateEvent',
    state: 'pushed',
    contact_id: '1001',
    booking_id: 1,
    booking_source: 'calcom',
    booking_source_id: 'u1',
    request_id: null,
    target_id: null,
    marker: '[cadence:calcom:u1]',
    summary: 'Annual review · 2026-03-14',
    before_json: '{}',
    after_json: '{}',
    inputs_hash: 'x',
    reason: null,
    lacrm_id: '9001',
    attempts: 1,
    last_error: null,
    last_error_code: null,
    batch_id: 1,
    undo_of: null,
    undo_batch_id: null,
    created_at: '',
    updated_at: '',
    decided_at: null,
    decided_by: null,
    pushed_at: '',
    ...overrides,
  };
}

describe('compensationFor', () => {
  it('deletes what was created', () => {
    const event = { Name: 'Annual review', Description: 'x\n[cadence:calcom:u1]' };
    expect(compensationFor(row({ after_json: JSON.stringify(event) }))).toEqual({
      kind: 'DeleteEvent',
      targetId: '9001',
      contactId: '1001',
      marker: '[cadence:calcom:u1]',
      before: event,
      after: {},
    });
    expect(compensationFor(row({ kind: 'CreateNote' }))).toMatchObject({
      kind: 'DeleteNote',
      targetId: '9001',
    });
  });

  it('restores edited fields: a value by value, an empty one by null', () => {
    const undo = compensationFor(
      row({
        kind: 'EditContact',
        change_key: 'fields:1001',
        target_id: '1001',
        before_json: JSON.stringify({
          'Last review': '2025-01-02',
          'Next due': null,
          Meetings: '',
        }),
        after_json: JSON.stringify({
          'Last review': '2026-03-14',
          'Next due': '2027-03-14',
          Meetings: 4,
        }),
      }),
    );
    expect(undo).toEqual({
      kind: 'EditContact',
      targetId: '1001',
      contactId: '1001',
      marker: null,
      before: { 'Last review': '2026-03-14', 'Next due': '2027-03-14', Meetings: 4 },
      after: { 'Last review': '2025-01-02', 'Next due': null, Meetings: null },
    });
  });

  it('re-creates a deleted event with its marker, and edits an edited one back', () => {
    const written = { Name: 'Review', Description: 'Logged by Cadence.\n[cadence:tidycal:77]' };
    expect(
      compensationFor(
        row({
          kind: 'DeleteEvent',
          target_id: '9001',
          marker: null,
          before_json: JSON.stringify(written),
        }),
      ),
    ).toMatchObject({
      kind: 'CreateEvent',
      targetId: null,
      marker: '[cadence:tidycal:77]',
      after: written,
    });
    expect(
      compensationFor(
        row({
          kind: 'EditEvent',
          target_id: '9001',
          before_json: JSON.stringify({ Name: 'Old', Location: null }),
          after_json: JSON.stringify({ Name: 'New', Location: 'Zoom' }),
        }),
      ),
    ).toMatchObject({
      kind: 'EditEvent',
      targetId: '9001',
      after: { Name: 'Old', Location: null },
    });
  });

  it('says why a created contact cannot be undone', () => {
    expect(compensationFor(row({ kind: 'CreateContact', lacrm_id: '4242' }))).toMatch(
      /no documented way to delete a contact: .*contact 4242/,
    );
  });
});
