import { describe, expect, it } from 'vitest';
import { readableLocation } from './location';

describe('readableLocation', () => {
  it('names the service behind a Cal.com integration token', () => {
    expect(readableLocation('integrations:google:meet')).toBe('Google Meet');
    expect(readableLocation('integrations:daily')).toBe('Cal Video');
    expect(readableLocation('integrations:zoom')).toBe('Zoom');
    expect(readableLocation(' integrations:office365_video ')).toBe('Microsoft Teams');
    // An app the list does not know still reads as words, not as a token.
    expect(readableLocation('integrations:shiny_new_video')).toBe('Shiny New');
    expect(readableLocation('integrations:')).toBe('integrations:');
  });

  it("says Cal.com's location kinds and Calendly's location types in words", () => {
    expect(readableLocation('inPerson')).toBe('In person');
    expect(readableLocation('attendeeInPerson')).toBe("In person, at the attendee's address");
    expect(readableLocation('google_conference')).toBe('Google Meet');
    expect(readableLocation('outbound_call')).toBe('Phone call');
  });

  it('keeps links, addresses and free text as given, and has nothing for nothing', () => {
    expect(readableLocation('https://zoom.us/j/12345678901')).toBe('https://zoom.us/j/12345678901');
    expect(readableLocation('12 Harbor St, Suite 4')).toBe('12 Harbor St, Suite 4');
    expect(readableLocation('Zoom')).toBe('Zoom');
    expect(readableLocation('constructor')).toBe('constructor');
    expect(readableLocation('  ')).toBeNull();
    expect(readableLocation(null)).toBeNull();
  });
});
