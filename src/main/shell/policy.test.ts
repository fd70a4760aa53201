import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  externalUrlAllowed,
  isTrustedSenderUrl,
  resolveAppAsset,
} from './policy';

describe('CSP', () => {
  it("starts from default-src 'self' and allows no inline script or eval", () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
});

describe('externalUrlAllowed', () => {
  it.each(['https://cal.com/docs', 'mailto:advisor@example.com'])('allows %s', (url) => {
    expect(externalUrlAllowed(url)).not.toBeNull();
  });
  it.each([
    'http://example.com',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://cadence/index.html',
    'https://user:pass@example.com',
    'smb://server/share',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(externalUrlAllowed(url)).toBeNull();
  });
});

describe('isTrustedSenderUrl', () => {
  it('trusts only the app origin (and the dev server when given)', () => {
    expect(isTrustedSenderUrl('app://cadence/index.html')).toBe(true);
    expect(isTrustedSenderUrl('app://evil/index.html')).toBe(false);
    expect(isTrustedSenderUrl('https://cadence/index.html')).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5173/')).toBe(false);
    expect(isTrustedSenderUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedSenderUrl(undefined)).toBe(false);
    expect(isTrustedSenderUrl('garbage')).toBe(false);
  });
});

describe('resolveAppAsset', () => {
  const root = resolve('/srv/cadence/renderer');
  it('maps app URLs to files under the root', () => {
    expect(resolveAppAsset(root, 'app://cadence/')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://cadence/assets/a.js')).toBe(join(root, 'assets/a.js'));
  });
  it.each([
    'app://cadence/../secret.txt',
    'app://cadence/%2e%2e/secret.txt',
    'app://cadence/assets/%2e%2e/%2e%2e/secret.txt',
    'app://cadence/..%2f..%2fsecret.txt',
  ])('keeps %s inside the root', (url) => {
    const result = resolveAppAsset(root, url);
    expect(result === null || result === join(root, 'secret.txt')).toBe(true);
  });
  it.each([
    'app://cadence/%2e%2e%5csecret.txt',
    'app://cadence/a%00.js',
    'app://other/index.html',
    'file:///etc/passwd',
  ])('refuses %s', (url) => {
    expect(resolveAppAsset(root, url)).toBeNull();
  });
  it('never resolves outside the root, whatever the path', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom('..', '.', 'a', '%2e%2e', '%2f', '%5c', '%00', '', 'b.js', '..%2f'),
          {
            maxLength: 8,
          },
        ),
        (parts) => {
          const result = resolveAppAsset(root, `app://cadence/${parts.join('/')}`);
          return result === null || result.startsWith(root + '/');
        },
      ),
      { numRuns: 2000 },
    );
  });
});
