// A meeting's location as a person reads it. Cal.com gives an internal token when a meeting has
// no video link yet ("integrations:google:meet", "inPerson"; fact sheet: calcom.md, location), and
// Calendly's location falls back to its type ("google_conference"); Cadence shows these, and
// writes them into LACRM events, as the name of the service or place kind. Anything else (a URL,
// an address, free text) is kept as it was given.

/** Cal.com video apps by their integration id (after "integrations:"). */
const CALCOM_APPS: Readonly<Record<string, string>> = {
  daily: 'Cal Video',
  'google:meet': 'Google Meet',
  zoom: 'Zoom',
  office365_video: 'Microsoft Teams',
  msteams: 'Microsoft Teams',
  webex: 'Webex',
  whereby_video: 'Whereby',
  jitsi: 'Jitsi Meet',
  around_video: 'Around',
  riverside_video: 'Riverside',
  tandem: 'Tandem',
  huddle01: 'Huddle01',
  facetime_video: 'FaceTime',
  skype: 'Skype',
};

/** Whole-value tokens: Cal.com's location kinds and Calendly's location types. */
const TOKENS: Readonly<Record<string, string>> = {
  // Cal.com
  inPerson: 'In person',
  attendeeInPerson: "In person, at the attendee's address",
  phone: 'Phone call',
  userPhone: 'Phone call',
  attendeePhone: "Phone call, to the attendee's number",
  link: 'Meeting link',
  somewhereElse: 'Somewhere else',
  // Calendly
  google_conference: 'Google Meet',
  microsoft_teams_conference: 'Microsoft Teams',
  webex_conference: 'Webex',
  gotomeeting: 'GoTo Meeting',
  physical: 'In person',
  outbound_call: 'Phone call',
  inbound_call: 'Phone call',
  ask_invitee: 'Where the invitee chose',
};

function titleWords(id: string): string {
  return id
    .replace(/_video$/, '')
    .split(/[:_-]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** The location to show (and write to LACRM); null when there is none. */
export function readableLocation(location: string | null | undefined): string | null {
  const value = location?.trim() ?? '';
  if (value === '') return null;
  if (value.startsWith('integrations:')) {
    const app = value.slice('integrations:'.length);
    return CALCOM_APPS[app] ?? (titleWords(app) || value);
  }
  return Object.hasOwn(TOKENS, value) ? TOKENS[value]! : value;
}
