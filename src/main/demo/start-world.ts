// Starts the demo world: a generated practice served by the four simulators on 127.0.0.1, with
// realistic rate limits (Calendly on a paid plan so a first sync takes seconds, not minutes).
import { generatePractice } from './practice';
import { PERSONAL_DOMAINS } from './practice/names';
import { startCalcomSim } from './sim/calcom';
import { startCalendlySim } from './sim/calendly';
import { startLacrmSim } from './sim/lacrm';
import { startTidyCalSim } from './sim/tidycal';
import type { DemoWorld, StartDemoWorld } from './world';

export const DEMO_SEED = 2026;

export const startDemoWorld: StartDemoWorld = async ({ now, seed, port }) => {
  const practice = generatePractice({ seed: seed ?? DEMO_SEED, now });
  const ports = (offset: number) => (port ? port + offset : undefined);
  const calcom = await startCalcomSim({ data: practice.calcom, port: ports(0) });
  const calendly = await startCalendlySim({
    data: practice.calendly,
    plan: 'standard',
    port: ports(1),
  });
  const tidycal = await startTidyCalSim({ data: practice.tidycal, port: ports(2) });
  const lacrm = await startLacrmSim({
    user: practice.lacrm.user,
    contacts: practice.lacrm.contacts,
    customFields: practice.lacrm.customFields,
    port: ports(3),
  });
  const world: DemoWorld = {
    settings: {
      'sources.calcom.baseUrl': calcom.baseUrl,
      'sources.calendly.baseUrl': calendly.baseUrl,
      'sources.tidycal.baseUrl': tidycal.baseUrl,
      'lacrm.baseUrl': lacrm.baseUrl,
      'advisor.emails': [...practice.advisor.emails.all],
      'advisor.name': practice.advisor.name,
      // The demo's clients write from invented consumer domains; say so, as an advisor would for
      // a regional provider, so a shared one is not read as an employer's.
      'match.personalDomains': PERSONAL_DOMAINS.filter((domain) => domain !== 'gmail.com'),
      'review.timezone': practice.advisor.timeZone,
      // The demo CRM has these custom fields, so the Changes screen shows every kind of write.
      'lacrm.fields.lastReview': 'Last portfolio review',
      'lacrm.fields.nextReviewDue': 'Next review due',
      'lacrm.fields.meetings12m': 'Meetings last 12 months',
    },
    keys: {
      calcom: calcom.apiKey,
      calendly: calendly.apiKey,
      tidycal: tidycal.apiKey,
      lacrm: lacrm.apiKey,
    },
    urls: {
      calcom: calcom.baseUrl,
      calendly: calendly.baseUrl,
      tidycal: tidycal.baseUrl,
      lacrm: lacrm.baseUrl,
    },
    async close() {
      await Promise.all([calcom.close(), calendly.close(), tidycal.close(), lacrm.close()]);
    },
  };
  return world;
};
