// The compliance PDF, read back with poppler (pdfinfo, pdftotext, pdftoppm): it is a real PDF,
// reproducible byte for byte, every page carries the title, period and "Page N of M", rows are
// never split across pages, and a 3-page report renders to images (kept in test-results/report/
// for a person to look at).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../../test/helpers/temp';
import { renderCompliancePdf, sha256Hex } from './pdf';
import { sampleComplianceReport } from './sample';
import type { ComplianceReport, ReportClient } from './types';

const SCREENSHOTS = resolve(import.meta.dirname, '../../../test-results/report');

let work: string;
beforeEach(() => {
  work = tempDir('cadence-report-');
});

function savePdf(pdf: Buffer, name = 'report.pdf'): string {
  const file = join(work, name);
  writeFileSync(file, pdf);
  return file;
}

function pageCount(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const match = /^Pages:\s+(\d+)$/m.exec(info);
  if (!match) throw new Error(`pdfinfo printed no page count:\n${info}`);
  return Number(match[1]);
}

/** The text of each page (pdftotext separates pages with form feeds). */
function pageTexts(file: string): string[] {
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const pages = text.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

type Word = { text: string; yMin: number; yMax: number };

/** Every word with its vertical position, per page (pdftotext -bbox, origin at the top). */
function pageWords(file: string): Word[][] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return html
    .split('<page ')
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map(([, yMin, yMax, text]) => ({ text: text!, yMin: Number(yMin), yMax: Number(yMax) })),
    );
}

function pagesContaining(pages: readonly string[], needle: string): number[] {
  return pages.flatMap((text, index) => (text.includes(needle) ? [index + 1] : []));
}

/** A report whose every row carries unique markers at its start and end. */
function markedReport(clientCount: number): ComplianceReport {
  const base = sampleComplianceReport({ clients: 0 });
  let row = 0;
  const filler = 'the advisor booked this meeting as the yearly portfolio review for the household';
  const clients: ReportClient[] = Array.from({ length: clientCount }, (_, index) => {
    const reviewCount = index % 5 === 0 ? 0 : 1 + ((index * 7) % 6);
    return {
      contactId: String(9000 + index),
      name: `Client${String(index).padStart(3, '0')} Example`,
      cadenceMonths: 12,
      status: reviewCount === 0 ? 'overdue' : 'on_track',
      lastReview: '2026-02-01',
      nextReviewDue: '2027-02-01',
      reviews: Array.from({ length: reviewCount }, (_, r) => {
        row += 1;
        const id = String(row).padStart(4, '0');
        const words = filler.split(' ').slice(0, 2 + ((row * 5) % 14));
        return {
          source: ['calcom', 'calendly', 'tidycal'][row % 3]!,
          bookingId: `BK${id}`,
          date: `2026-0${1 + (r % 9)}-1${r % 10} 10:00`,
          durationMinutes: 60,
          status: 'completed',
          ruleName: 'Annual review event type',
          classificationReason: `StartR${id} ${words.join(' ')} EndR${id}`,
          matchConfirmedBy: 'advisor',
          matchConfirmedAt: '2026-03-01T15:00:00Z',
          pushedToLacrm: row % 4 === 0 ? null : '2026-03-02T15:00:00Z',
        };
      }),
    };
  });
  return { ...base, clients, summary: { ...base.summary, clients: clients.length } };
}

describe('renderCompliancePdf', () => {
  it('produces a PDF whose page count the document itself states', async () => {
    const pdf = await renderCompliancePdf(sampleComplianceReport({ clients: 30 }));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    const file = savePdf(pdf);
    const pages = pageCount(file);
    expect(pages).toBeGreaterThan(1);
    // The page tree's /Count and the footers agree with what poppler counts.
    expect(/\/Type \/Pages\s+\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1]).toBe(String(pages));
    const texts = pageTexts(file);
    expect(texts).toHaveLength(pages);
    expect(texts.at(-1)).toContain(`Page ${pages} of ${pages}`);
  });

  it('is byte-for-byte reproducible, whatever the clock says', async () => {
    const report = sampleComplianceReport({ clients: 25 });
    const first = await renderCompliancePdf(report);
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2031-07-04T08:00:00Z') });
    let second: Buffer;
    try {
      second = await renderCompliancePdf(structuredClone(report));
    } finally {
      vi.useRealTimers();
    }
    expect(sha256Hex(second)).toBe(sha256Hex(first));
    expect(sha256Hex(first)).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex(first)).toBe(
      execFileSync('sha256sum', [savePdf(first)], { encoding: 'utf8' }).split(' ')[0],
    );
    // And it does depend on the content.
    const renamed = structuredClone(report);
    renamed.clients[0]!.name = `${renamed.clients[0]!.name} Jr`;
    expect(sha256Hex(await renderCompliancePdf(renamed))).not.toBe(sha256Hex(first));
  });

  it('records generatedAt as the PDF creation date and shows it in the report’s zone', async () => {
    const file = savePdf(await renderCompliancePdf(sampleComplianceReport({ clients: 2 })));
    const info = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
    expect(info).toMatch(/CreationDate:\s+2026-11-25T14:03:00(Z|\+00)/);
    expect(info).toMatch(/Title:\s+Portfolio review compliance report, 2026-01-01 to 2026-12-31/);
    const [first] = pageTexts(file);
    expect(first).toContain('2026-11-25 09:03 (UTC-05:00, America/New_York)');
    expect(first).toContain('Alex Example');
    expect(first).toContain('Example Wealth Partners LLC');
  });

  it('puts the title, period and "Page N of M" on every page', async () => {
    const file = savePdf(await renderCompliancePdf(sampleComplianceReport({ clients: 40 })));
    const texts = pageTexts(file);
    expect(texts.length).toBeGreaterThanOrEqual(5);
    texts.forEach((text, index) => {
      expect(text, `page ${index + 1}`).toContain('Portfolio review compliance report');
      expect(text, `page ${index + 1}`).toContain('Period 2026-01-01 to 2026-12-31');
      expect(text, `page ${index + 1}`).toContain(`Page ${index + 1} of ${texts.length}`);
      expect(text, `page ${index + 1}`).toContain('Generated 2026-11-25 09:03');
    });
  });

  it('shows the summary and every client and review, in the given order', async () => {
    const report = markedReport(30);
    const file = savePdf(await renderCompliancePdf(report));
    const all = pageTexts(file).join('\n').replace(/\s+/g, ' ');
    for (const label of [
      'Clients',
      'Reviewed in period',
      'Not reviewed in period',
      'Overdue now',
    ]) {
      expect(all).toContain(label);
    }
    let cursor = -1;
    for (const client of report.clients) {
      const at = all.indexOf(client.name, cursor + 1);
      expect(at, client.name).toBeGreaterThan(cursor);
      cursor = at;
      for (const review of client.reviews) expect(all).toContain(review.bookingId);
      if (client.reviews.length === 0) {
        const next = all.indexOf('No portfolio review in this period.', at);
        expect(next).toBeGreaterThan(at);
      }
    }
    const reviews = report.clients.reduce((sum, client) => sum + client.reviews.length, 0);
    expect(all).toContain(`End of report: 30 clients and ${reviews} reviews listed.`);
  });

  it('never splits a row across pages and keeps each heading with its first row', async () => {
    const report = markedReport(90);
    const file = savePdf(await renderCompliancePdf(report));
    const pages = pageTexts(file);
    expect(pages.length).toBeGreaterThan(10);
    let continued = 0;
    for (const client of report.clients) {
      const headingPages = pagesContaining(pages, client.name);
      for (const [index, review] of client.reviews.entries()) {
        const id = review.bookingId.slice(2);
        const where = [review.bookingId, `StartR${id}`, `EndR${id}`].map((marker) =>
          pagesContaining(pages, marker),
        );
        // Each marker is on exactly one page, and it is the same page.
        for (const found of where) expect(found, review.bookingId).toHaveLength(1);
        expect(new Set(where.map((found) => found[0])).size, review.bookingId).toBe(1);
        const page = where[0]![0]!;
        if (index === 0) expect(headingPages[0], client.name).toBe(page);
        // A table continued on a new page repeats the client heading there.
        expect(headingPages, client.name).toContain(page);
      }
      if (headingPages.length > 1) {
        continued += 1;
        expect(pages[headingPages[1]! - 1]).toContain(`${client.name} (continued)`);
      }
    }
    // The layout did have to continue tables on new pages, so the rule was exercised.
    expect(continued).toBeGreaterThan(0);
    // Nothing runs into the running header or footer: every word sits in the header band, the
    // body (between the margins) or the footer band.
    for (const [index, words] of pageWords(file).entries()) {
      for (const word of words) {
        const inHeader = word.yMax <= 44;
        const inBody = word.yMin >= 64 && word.yMax <= 792 - 62;
        const inFooter = word.yMin >= 792 - 50;
        expect(inHeader || inBody || inFooter, `page ${index + 1}: ${JSON.stringify(word)}`).toBe(
          true,
        );
      }
    }
  });

  it('shortens a pathological cell so its row still fits on a page, and says so', async () => {
    const report = markedReport(3);
    const huge = Array.from({ length: 3000 }, (_, index) => `word${index}`).join(' ');
    report.clients[1]!.reviews[0]!.classificationReason = `StartRHUGE ${huge} EndRHUGE`;
    const file = savePdf(await renderCompliancePdf(report));
    const pages = pageTexts(file);
    expect(pagesContaining(pages, 'StartRHUGE')).toHaveLength(1);
    expect(pages.join('\n')).not.toContain('EndRHUGE');
    expect(pages.join('\n').replace(/\s+/g, ' ')).toContain(
      'Some very long entries are shortened and end in "…". The CSV export of this report has the full text.',
    );
    // The rows after it are intact.
    for (const review of report.clients[2]!.reviews) {
      expect(pagesContaining(pages, review.bookingId)).toEqual(
        pagesContaining(pages, `EndR${review.bookingId.slice(2)}`),
      );
    }
  });

  it('shows names outside the standard font’s character set as close as it can, and says so', async () => {
    const report = markedReport(2);
    report.clients[0]!.name = 'Łukasz Wiśniewski';
    report.clients[1]!.name = '李雷 Zoë';
    const pages = pageTexts(savePdf(await renderCompliancePdf(report)));
    const all = pages.join('\n').replace(/\s+/g, ' ');
    expect(all).toContain('Lukasz Wisniewski');
    expect(all).toContain('?? Zoë');
    expect(all).toContain('The CSV export of this report has the exact text');
    const plain = pageTexts(savePdf(await renderCompliancePdf(markedReport(2)), 'plain.pdf'));
    expect(plain.join('\n').replace(/\s+/g, ' ')).not.toContain('exact text');
  });

  it('spells a rule\'s "≥" as >= (the standard font has no ≥), and that is no substitution', async () => {
    const report = markedReport(2);
    report.clients.find((client) => client.reviews.length > 0)!.reviews[0]!.classificationReason =
      'Rule “Review event types”: event type slug annual-review matches *annual-review*; 60 min ≥ 20';
    const all = pageTexts(savePdf(await renderCompliancePdf(report), 'signs.pdf'))
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(all).toContain('60 min >= 20');
    expect(all).not.toContain('60 min ? 20');
    expect(all).not.toContain('exact text');
  });

  it('renders a report with no clients on one page', async () => {
    const report = sampleComplianceReport({ clients: 0 });
    const file = savePdf(await renderCompliancePdf({ ...report, firmName: null }));
    expect(pageCount(file)).toBe(1);
    const [text] = pageTexts(file);
    expect(text).toContain('This report lists no clients.');
    expect(text).toContain('Page 1 of 1');
    expect(text).not.toContain('Firm');
  });

  it('renders a 3-page report to images that have content on every page', async () => {
    let report: ComplianceReport | null = null;
    let pdf: Buffer | null = null;
    for (let clients = 6; clients <= 40 && report === null; clients += 1) {
      const candidate = sampleComplianceReport({ clients });
      const rendered = await renderCompliancePdf(candidate);
      if (pageCount(savePdf(rendered, 'probe.pdf')) === 3) {
        report = candidate;
        pdf = rendered;
      }
    }
    if (!pdf) throw new Error('no sample size gives exactly 3 pages');
    const file = savePdf(pdf, 'three-pages.pdf');

    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const old of readdirSync(SCREENSHOTS)) {
      if (old.startsWith('compliance-')) rmSync(join(SCREENSHOTS, old));
    }
    execFileSync('pdftoppm', ['-r', '100', '-png', file, join(SCREENSHOTS, 'compliance')]);
    const images = readdirSync(SCREENSHOTS)
      .filter((name) => /^compliance-\d+\.png$/.test(name))
      .sort();
    expect(images).toEqual(['compliance-1.png', 'compliance-2.png', 'compliance-3.png']);
    for (const image of images) {
      const bytes = readFileSync(join(SCREENSHOTS, image));
      expect(bytes.subarray(0, 8).equals(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toBe(true);
    }

    // Not blank: a grey-scale rendering has a fair share of dark pixels on every page.
    execFileSync('pdftoppm', ['-r', '30', '-gray', file, join(work, 'gray')]);
    const grays = readdirSync(work)
      .filter((name) => name.startsWith('gray-'))
      .sort();
    expect(grays).toHaveLength(3);
    for (const name of grays) {
      const { width, height, pixels } = readPgm(readFileSync(join(work, name)));
      expect(width).toBeGreaterThan(200);
      expect(height).toBeGreaterThan(250);
      const dark = pixels.filter((value) => value < 160).length;
      expect(dark / pixels.length, name).toBeGreaterThan(0.01);
    }
  });
});

function readPgm(bytes: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('not a binary PGM');
  const [whole, width, height] = header;
  return {
    width: Number(width),
    height: Number(height),
    pixels: new Uint8Array(bytes.subarray(whole.length)),
  };
}

afterEach(() => {
  vi.useRealTimers();
});
