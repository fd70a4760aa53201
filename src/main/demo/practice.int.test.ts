// The generated practice is ready to hand to the simulators: each one serves it back, complete and
// unchanged, to a client that pages the way the fact sheets say to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePractice } from './practice';
import { startCalcomSim, type CalcomBooking, type CalcomSim } from './sim/calcom';
import {
  startCalendlySim,
  type CalendlyEvent,
  type CalendlyInvitee,
  type CalendlySim,
} from './sim/calendly';
import { startLacrmSim } from './sim/lacrm';
import { startTidyCalSim, type TidyCalBooking, type TidyCalSim } from './sim/tidycal';

const practice = generatePractice({ seed: 11, clients: 60 });
const now = () => Date.parse(practice.now);

let calcom: CalcomSim;
let calendly: CalendlySim;
let tidycal: TidyCalSim;

beforeAll(async () => {
  [calcom, calendly, tidycal] = await Promise.all([
    startCalcomSim({ data: practice.calcom, now, rateLimit: false }),
    startCalendlySim({ data: practice.calendly, now, rateLimit: false }),
    startTidyCalSim({ data: practice.tidycal, now }),
  ]);
});

afterAll(async () => {
  await Promise.all([calcom.close(), calendly.close(), tidycal.close()]);
});

async function json<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers });
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

describe('the practice through the simulators', () => {
  it('Cal.com serves every booking once, as generated, to a client paging sorted by creation', async () => {
    const headers = { authorization: `Bearer ${calcom.apiKey}`, 'cal-api-version': '2026-02-25' };
    const seen: CalcomBooking[] = [];
    for (let skip = 0; ; skip += 250) {
      const page = await json<{ data: CalcomBooking[]; pagination: { hasNextPage: boolean } }>(
        `${calcom.baseUrl}/bookings?sortCreated=asc&take=250&skip=${skip}`,
        headers,
      );
      seen.push(...page.data);
      if (!page.pagination.hasNextPage) break;
    }
    expect(seen).toHaveLength(practice.calcom.bookings.length);
    const byUid = new Map(practice.calcom.bookings.map((b) => [b.uid, b]));
    for (const b of seen) expect(b).toEqual(JSON.parse(JSON.stringify(byUid.get(b.uid))));
    const created = seen.map((b) => b.createdAt);
    expect(created).toEqual([...created].sort());
  });

  it('Calendly serves every event and, one call per event, every invitee', async () => {
    const headers = { authorization: `Bearer ${calendly.apiKey}` };
    const user = encodeURIComponent(practice.calendly.user.uri);
    const events: CalendlyEvent[] = [];
    let next: string | null = `${calendly.baseUrl}/scheduled_events?user=${user}&count=100`;
    while (next) {
      const page: { collection: CalendlyEvent[]; pagination: { next_page: string | null } } =
        await json(next, headers);
      events.push(...page.collection);
      next = page.pagination.next_page;
    }
    expect(new Set(events.map((e) => e.uri)).size).toBe(practice.calendly.events.length);
    let invitees = 0;
    for (const event of events.slice(0, 80)) {
      const uuid = event.uri.split('/').pop()!;
      const page = await json<{ collection: CalendlyInvitee[] }>(
        `${calendly.baseUrl}/scheduled_events/${uuid}/invitees?count=100`,
        headers,
      );
      expect(page.collection.length).toBe(event.invitees_counter.total);
      invitees += page.collection.length;
    }
    expect(invitees).toBeGreaterThanOrEqual(80);
  });

  it('TidyCal serves every booking once to a client paging until an empty page', async () => {
    const headers = { authorization: `Bearer ${tidycal.apiKey}` };
    const seen: TidyCalBooking[] = [];
    for (let page = 1; ; page += 1) {
      const { data } = await json<{ data: TidyCalBooking[] }>(
        `${tidycal.baseUrl}/bookings?page=${page}`,
        headers,
      );
      if (data.length === 0) break;
      seen.push(...data);
    }
    expect(seen.map((b) => b.id).sort()).toEqual(practice.tidycal.bookings.map((b) => b.id).sort());
  });

  it('LACRM (the other engineer’s simulator) takes the contacts, custom fields and user as they are', async () => {
    const lacrm = await startLacrmSim({
      user: practice.lacrm.user,
      contacts: practice.lacrm.contacts,
      customFields: practice.lacrm.customFields,
      now,
    });
    try {
      const response = await fetch(lacrm.baseUrl, {
        method: 'POST',
        headers: { authorization: lacrm.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({
          Function: 'GetContacts',
          Parameters: { MaxNumberOfResults: 10000, Page: 1 },
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        HasMoreResults: boolean;
        Results: { ContactId: string }[];
      };
      expect(body.HasMoreResults).toBe(false);
      expect(body.Results.map((c) => c.ContactId).sort()).toEqual(
        practice.lacrm.contacts.map((c) => c.ContactId).sort(),
      );
    } finally {
      await lacrm.close();
    }
  });
});
