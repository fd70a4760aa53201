// The compliance report as a PDF an examiner can file: a cover block (title, period, advisor,
// firm, generation time and zone, summary), then one section per client with its review table.
// Every page carries the title and period at the top and "Page N of M" at the bottom.
//
// Layout is measured before it is drawn: a table row is never split across pages (a row that
// would not fit moves to the next page under a repeated heading and column header), and a client
// heading never sits alone at the foot of a page. All text is drawn with an explicit height, so
// PDFKit never adds a page on its own.
//
// The output is byte-for-byte reproducible for the same report: the PDF dates come from
// generatedAt, the document id is derived from the metadata, and no font subsets (with their
// random tags) are embedded because only the standard Helvetica faces are used. That is what lets
// sha256Hex() of the file be recorded as evidence.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import PDFDocument from 'pdfkit';
import { reviewStatusLabels } from '../../shared/contract-metrics';
import { sourceLabels, SyncSource } from '../../shared/domain';
import { toWinAnsi } from './pdf-text';
import {
  type ComplianceReport,
  parseComplianceReport,
  type ReportClient,
  type ReportReview,
} from './types';

export function sha256Hex(buffer: Buffer | Uint8Array): string {
  return createHash('sha256').update(buffer).digest('hex');
}

// US Letter, in points. Margins leave room for the running header and footer.
const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;
const MARGIN = { top: 64, bottom: 62, left: 48, right: 48 } as const;
const CONTENT_LEFT = MARGIN.left;
const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
const CONTENT_TOP = MARGIN.top;
const CONTENT_BOTTOM = PAGE_HEIGHT - MARGIN.bottom;

const FONTS = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' };
type FontName = keyof typeof FONTS;

const INK = '#111111';
const MUTED = '#555555';
const RULE = '#8a8a8a';
const HEADER_FILL = '#e4e4e4';
const STRIPE_FILL = '#f4f4f4';

const CELL_PAD_X = 4;
const CELL_PAD_Y = 3.5;
const LINE_GAP = 1;
const SECTION_GAP = 16;

type Segment = { text: string; font: FontName; size: number; color: string };
type Cell = Segment[];

type Column = { header: string; width: number };

// 512 pt of table: the widest columns hold the text that varies most (ids, rule and reason).
const REVIEW_COLUMNS: readonly Column[] = [
  { header: 'Date and time', width: 62 },
  { header: 'Length', width: 38 },
  { header: 'Source and booking ID', width: 92 },
  { header: 'Booking status', width: 52 },
  { header: 'Classification (rule and reason)', width: 126 },
  { header: 'Client match confirmed', width: 74 },
  { header: 'Written to LACRM', width: 72 },
];

function humanize(value: string): string {
  const spaced = value.replace(/_/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function sourceLabel(source: string): string {
  const known = SyncSource.safeParse(source);
  return known.success ? sourceLabels[known.data] : source;
}

/** Renders the report as a PDF; the same report always gives the same bytes. */
export async function renderCompliancePdf(input: ComplianceReport): Promise<Buffer> {
  const report = parseComplianceReport(input);
  const writer = new ReportPdfWriter(report);
  return writer.render();
}

class ReportPdfWriter {
  private readonly doc: PDFKit.PDFDocument;
  private y = CONTENT_TOP;
  private substitutedText = false;
  private shortenedText = false;
  private readonly generatedLocal: DateTime;

  constructor(private readonly report: ComplianceReport) {
    const generated = DateTime.fromISO(report.generatedAt, { setZone: true });
    this.generatedLocal = generated.setZone(report.timeZone);
    const when = generated.toJSDate();
    this.doc = new PDFDocument({
      size: 'LETTER',
      margins: MARGIN,
      autoFirstPage: false,
      bufferPages: true,
      compress: true,
      lang: 'en-US',
      displayTitle: true,
      info: {
        Title: this.plain(`${report.title}, ${report.periodFrom} to ${report.periodTo}`),
        Author: this.plain(report.advisorName),
        Subject: this.plain(
          `${report.title} for ${report.advisorName}${report.firmName ? `, ${report.firmName}` : ''}`,
        ),
        Creator: 'Cadence',
        Producer: 'Cadence (PDFKit)',
        CreationDate: when,
        ModDate: when,
      },
    });
  }

  async render(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const finished = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.newPage();
    this.drawCover();
    this.drawClientsTitle();
    if (this.report.clients.length === 0) {
      this.drawParagraph('This report lists no clients.', 'italic', 9, MUTED);
    }
    for (const client of this.report.clients) this.drawClient(client);
    this.drawClosingNotes();
    this.stampPages();
    this.doc.end();
    return finished;
  }

  // ---- text helpers -----------------------------------------------------------------------

  /** Text the standard fonts can show, remembering whether anything had to be substituted. */
  private plain(text: string): string {
    const mapped = toWinAnsi(text);
    if (mapped.substituted) this.substitutedText = true;
    return mapped.text;
  }

  private seg(text: string, font: FontName = 'regular', size = 8, color = INK): Segment {
    return { text: this.plain(text), font, size, color };
  }

  private measure(segment: Segment, width: number): number {
    if (segment.text === '') return 0;
    return this.doc
      .font(FONTS[segment.font])
      .fontSize(segment.size)
      .heightOfString(segment.text, { width, lineGap: LINE_GAP });
  }

  private measureCell(cell: Cell, width: number): number {
    return cell.reduce((sum, segment) => sum + this.measure(segment, width), 0);
  }

  /** Draws segments top-down from (x, y); returns the height used. */
  private drawCell(cell: Cell, x: number, y: number, width: number): number {
    let used = 0;
    for (const segment of cell) {
      const height = this.measure(segment, width);
      if (height === 0) continue;
      this.doc
        .font(FONTS[segment.font])
        .fontSize(segment.size)
        .fillColor(segment.color)
        .text(segment.text, x, y + used, { width, height: height + 1, lineGap: LINE_GAP });
      used += height;
    }
    return used;
  }

  private drawParagraph(text: string, font: FontName, size: number, color: string): void {
    const cell = [this.seg(text, font, size, color)];
    const height = this.measureCell(cell, CONTENT_WIDTH);
    this.ensureSpace(height);
    this.y += this.drawCell(cell, CONTENT_LEFT, this.y, CONTENT_WIDTH);
  }

  private hline(y: number, color = RULE, width = 0.5): void {
    this.doc
      .moveTo(CONTENT_LEFT, y)
      .lineTo(CONTENT_LEFT + CONTENT_WIDTH, y)
      .lineWidth(width)
      .strokeColor(color)
      .stroke();
  }

  private formatTimestamp(value: string): string {
    // Confirmation and push times usually arrive as ISO instants; show them in the report's zone
    // like every other time. Anything else (an id, a note) is shown as given.
    const parsed = DateTime.fromISO(value, { setZone: true });
    if (!value.includes('T') || !parsed.isValid) return value;
    return parsed.setZone(this.report.timeZone).toFormat('yyyy-MM-dd HH:mm');
  }

  // ---- pages ------------------------------------------------------------------------------

  private newPage(): void {
    this.doc.addPage({ size: 'LETTER', margins: MARGIN });
    this.y = CONTENT_TOP;
  }

  private ensureSpace(height: number): void {
    if (this.y + height > CONTENT_BOTTOM) this.newPage();
  }

  /** The running header and footer, drawn once every page exists so "of M" is known. */
  private stampPages(): void {
    const range = this.doc.bufferedPageRange();
    const total = range.count;
    const headerY = 30;
    const footerY = PAGE_HEIGHT - 44;
    const title = this.plain(this.report.title);
    const period = `Period ${this.report.periodFrom} to ${this.report.periodTo}`;
    const who = this.plain(
      this.report.firmName
        ? `${this.report.advisorName}, ${this.report.firmName}`
        : this.report.advisorName,
    );
    const generated = `Generated ${this.generatedLocal.toFormat('yyyy-MM-dd HH:mm')} (${this.zoneLabel()})`;
    for (let index = 0; index < total; index += 1) {
      this.doc.switchToPage(range.start + index);
      const one = { height: 11, ellipsis: true, lineBreak: true } as const;
      this.doc
        .font(FONTS.bold)
        .fontSize(8.5)
        .fillColor(INK)
        .text(title, CONTENT_LEFT, headerY, { ...one, width: CONTENT_WIDTH * 0.6 });
      this.doc
        .font(FONTS.regular)
        .fontSize(8.5)
        .fillColor(INK)
        .text(period, CONTENT_LEFT + CONTENT_WIDTH * 0.6, headerY, {
          ...one,
          width: CONTENT_WIDTH * 0.4,
          align: 'right',
        });
      this.hline(headerY + 14, RULE, 0.75);
      this.hline(footerY - 6, RULE, 0.75);
      this.doc
        .font(FONTS.regular)
        .fontSize(7.5)
        .fillColor(MUTED)
        .text(`${who}. ${generated}.`, CONTENT_LEFT, footerY, {
          ...one,
          width: CONTENT_WIDTH * 0.78,
        });
      this.doc
        .font(FONTS.bold)
        .fontSize(8)
        .fillColor(INK)
        .text(`Page ${index + 1} of ${total}`, CONTENT_LEFT + CONTENT_WIDTH * 0.78, footerY, {
          ...one,
          width: CONTENT_WIDTH * 0.22,
          align: 'right',
        });
    }
  }

  private zoneLabel(): string {
    return `UTC${this.generatedLocal.toFormat('ZZ')}, ${this.report.timeZone}`;
  }

  // ---- cover ------------------------------------------------------------------------------

  private drawCover(): void {
    const { report } = this;
    this.y += this.drawCell(
      [this.seg(report.title, 'bold', 18)],
      CONTENT_LEFT,
      this.y,
      CONTENT_WIDTH,
    );
    this.y += 10;

    const facts: Array<[string, string]> = [
      ['Reporting period', `${report.periodFrom} to ${report.periodTo}`],
      ['Advisor', report.advisorName],
      ...(report.firmName ? ([['Firm', report.firmName]] as Array<[string, string]>) : []),
      ['Generated', `${this.generatedLocal.toFormat('yyyy-MM-dd HH:mm')} (${this.zoneLabel()})`],
      ['Time zone', `All dates and times are local to ${report.timeZone}`],
    ];
    const labelWidth = 100;
    for (const [label, value] of facts) {
      const valueCell = [this.seg(value, 'regular', 9.5)];
      const height = Math.max(
        this.measureCell(valueCell, CONTENT_WIDTH - labelWidth),
        this.measureCell([this.seg(label, 'bold', 9.5)], labelWidth),
      );
      this.drawCell([this.seg(label, 'bold', 9.5)], CONTENT_LEFT, this.y, labelWidth);
      this.drawCell(valueCell, CONTENT_LEFT + labelWidth, this.y, CONTENT_WIDTH - labelWidth);
      this.y += height + 3;
    }
    this.y += 12;
    this.drawSummary();
    this.y += 12;
    this.drawParagraph(
      'Client status (On track, Due soon, Overdue, Never reviewed) is as of the time this report ' +
        'was generated. The meetings listed are those classified as portfolio reviews in the ' +
        'reporting period, each with its booking status. Each shows the booking it was recorded ' +
        'from, the classification rule that identified it as a portfolio review and why, who ' +
        'confirmed that the attendee is this client, and when it was written to Less Annoying CRM ' +
        '(LACRM).',
      'regular',
      8.5,
      MUTED,
    );
    this.y += 18;
  }

  private drawSummary(): void {
    const { summary } = this.report;
    const boxes: Array<[string, number]> = [
      ['Clients', summary.clients],
      ['Reviewed in period', summary.reviewedInPeriod],
      ['Not reviewed in period', summary.notReviewed],
      ['Overdue now', summary.overdueNow],
    ];
    const gap = 8;
    const boxWidth = (CONTENT_WIDTH - gap * (boxes.length - 1)) / boxes.length;
    const boxHeight = 48;
    this.ensureSpace(boxHeight + 16);
    this.drawCell([this.seg('Summary', 'bold', 11)], CONTENT_LEFT, this.y, CONTENT_WIDTH);
    this.y += 16;
    boxes.forEach(([label, value], index) => {
      const x = CONTENT_LEFT + index * (boxWidth + gap);
      this.doc.rect(x, this.y, boxWidth, boxHeight).lineWidth(0.75).strokeColor(RULE).stroke();
      this.drawCell([this.seg(label, 'regular', 8, MUTED)], x + 8, this.y + 7, boxWidth - 16);
      this.drawCell([this.seg(String(value), 'bold', 18)], x + 8, this.y + 20, boxWidth - 16);
    });
    this.y += boxHeight;
  }

  private drawClientsTitle(): void {
    const height = 20;
    this.ensureSpace(height + 60);
    this.drawCell(
      [this.seg(`Clients (${this.report.clients.length})`, 'bold', 12)],
      CONTENT_LEFT,
      this.y,
      CONTENT_WIDTH,
    );
    this.y += 16;
    this.hline(this.y, INK, 1);
    this.y += 10;
  }

  // ---- client sections --------------------------------------------------------------------

  private clientHeading(client: ReportClient, continued: boolean): { left: Cell; right: Cell } {
    return {
      left: [this.seg(continued ? `${client.name} (continued)` : client.name, 'bold', 11)],
      right: [this.seg(`Contact ID ${client.contactId}`, 'regular', 7.5, MUTED)],
    };
  }

  private headingHeight(client: ReportClient, continued: boolean): number {
    const { left, right } = this.clientHeading(client, continued);
    return (
      Math.max(
        this.measureCell(left, CONTENT_WIDTH * 0.62),
        this.measureCell(right, CONTENT_WIDTH * 0.38),
      ) + 4
    );
  }

  private drawHeading(client: ReportClient, continued: boolean): void {
    const { left, right } = this.clientHeading(client, continued);
    const height = this.headingHeight(client, continued);
    this.drawCell(left, CONTENT_LEFT, this.y, CONTENT_WIDTH * 0.62);
    this.doc.font(FONTS.regular).fontSize(7.5).fillColor(MUTED);
    const rightCell = right[0]!;
    this.doc.text(rightCell.text, CONTENT_LEFT + CONTENT_WIDTH * 0.62, this.y + 3, {
      width: CONTENT_WIDTH * 0.38,
      height: this.measureCell(right, CONTENT_WIDTH * 0.38) + 1,
      align: 'right',
      lineGap: LINE_GAP,
    });
    this.y += height;
  }

  private clientFacts(client: ReportClient): Array<{ label: Cell; value: Cell; width: number }> {
    const months = client.cadenceMonths;
    const facts: Array<[string, string, FontName, number]> = [
      ['Review cadence', months === 1 ? 'Every month' : `Every ${months} months`, 'regular', 0.25],
      ['Status now', reviewStatusLabels[client.status], 'bold', 0.25],
      ['Last review', client.lastReview ?? 'None on record', 'regular', 0.25],
      ['Next review due', client.nextReviewDue ?? 'Not scheduled', 'regular', 0.25],
    ];
    return facts.map(([label, value, font, share]) => ({
      label: [this.seg(label, 'regular', 7, MUTED)],
      value: [this.seg(value, font, 9)],
      width: CONTENT_WIDTH * share,
    }));
  }

  private factsHeight(client: ReportClient): number {
    return (
      Math.max(
        ...this.clientFacts(client).map(({ label, value, width }) =>
          this.measureCell([...label, ...value], width - 6),
        ),
      ) + 6
    );
  }

  private drawFacts(client: ReportClient): void {
    const height = this.factsHeight(client);
    let x = CONTENT_LEFT;
    for (const { label, value, width } of this.clientFacts(client)) {
      this.drawCell([...label, ...value], x, this.y, width - 6);
      x += width;
    }
    this.y += height;
  }

  private reviewCells(review: ReportReview): Cell[] {
    const confirmedBy =
      review.matchConfirmedBy.trim() === '' ? 'Not recorded' : review.matchConfirmedBy;
    return [
      [this.seg(review.date.slice(0, 10)), this.seg(review.date.slice(11), 'regular', 8, MUTED)],
      [this.seg(`${review.durationMinutes} min`)],
      [this.seg(sourceLabel(review.source)), this.seg(review.bookingId, 'regular', 7, MUTED)],
      [this.seg(humanize(review.status))],
      [
        this.seg(review.ruleName ?? 'No rule (set by hand)', review.ruleName ? 'bold' : 'italic'),
        this.seg(review.classificationReason, 'regular', 7.5, INK),
      ],
      [
        this.seg(humanize(confirmedBy)),
        this.seg(
          review.matchConfirmedAt ? this.formatTimestamp(review.matchConfirmedAt) : '',
          'regular',
          7,
          MUTED,
        ),
      ],
      review.pushedToLacrm
        ? [
            this.seg('Yes'),
            this.seg(this.formatTimestamp(review.pushedToLacrm), 'regular', 7, MUTED),
          ]
        : [this.seg('Not written', 'italic', 8, MUTED)],
    ];
  }

  private rowHeight(cells: readonly Cell[]): number {
    return (
      Math.max(
        ...cells.map((cell, index) =>
          this.measureCell(cell, REVIEW_COLUMNS[index]!.width - 2 * CELL_PAD_X),
        ),
      ) +
      2 * CELL_PAD_Y
    );
  }

  /**
   * Shortens the longest text in a row until the row fits on an otherwise empty page. Only
   * pathological input gets here (reasons of thousands of characters); the CSV keeps it whole.
   */
  private fitRow(cells: Cell[], maxHeight: number): Cell[] {
    let height = this.rowHeight(cells);
    while (height > maxHeight) {
      let longest: Segment | null = null;
      for (const cell of cells) {
        for (const segment of cell) {
          if (!longest || segment.text.length > longest.text.length) longest = segment;
        }
      }
      if (!longest || longest.text.length <= 8) break;
      longest.text = `${longest.text.slice(0, Math.floor(longest.text.length * 0.75)).trimEnd()}…`;
      this.shortenedText = true;
      height = this.rowHeight(cells);
    }
    return cells;
  }

  private tableHeaderCells(): Cell[] {
    return REVIEW_COLUMNS.map((column) => [this.seg(column.header, 'bold', 7.5)]);
  }

  private drawRow(cells: readonly Cell[], height: number, fill: string | null): void {
    if (fill) {
      this.doc.rect(CONTENT_LEFT, this.y, CONTENT_WIDTH, height).fillColor(fill).fill();
    }
    let x = CONTENT_LEFT;
    cells.forEach((cell, index) => {
      const width = REVIEW_COLUMNS[index]!.width;
      this.drawCell(cell, x + CELL_PAD_X, this.y + CELL_PAD_Y, width - 2 * CELL_PAD_X);
      x += width;
    });
    this.y += height;
    this.hline(this.y, RULE, 0.4);
  }

  private drawClient(client: ReportClient): void {
    const headerCells = this.tableHeaderCells();
    const headerHeight = this.rowHeight(headerCells);
    const headingHeight = this.headingHeight(client, false);
    const continuedHeight = this.headingHeight(client, true);
    const factsHeight = this.factsHeight(client);
    // Whatever happens, a row has a page to itself under a continued heading and column header.
    const maxRowHeight =
      CONTENT_BOTTOM -
      CONTENT_TOP -
      Math.max(headingHeight + factsHeight, continuedHeight) -
      headerHeight -
      4;
    const rows = client.reviews.map((review) =>
      this.fitRow(this.reviewCells(review), maxRowHeight),
    );

    const noReviewNote = [this.seg('No portfolio review in this period.', 'italic', 8.5, MUTED)];
    const firstBlock =
      rows.length === 0
        ? this.measureCell(noReviewNote, CONTENT_WIDTH) + 4
        : headerHeight + this.rowHeight(rows[0]!);
    // Keep the heading, the client's facts and the first row (or the note) together.
    this.ensureSpace(headingHeight + factsHeight + firstBlock + 4);
    this.drawHeading(client, false);
    this.drawFacts(client);
    this.y += 4;

    if (rows.length === 0) {
      this.y += this.drawCell(noReviewNote, CONTENT_LEFT, this.y, CONTENT_WIDTH) + 4;
    } else {
      this.drawRow(headerCells, headerHeight, HEADER_FILL);
      rows.forEach((cells, index) => {
        const height = this.rowHeight(cells);
        if (this.y + height > CONTENT_BOTTOM) {
          this.newPage();
          this.drawHeading(client, true);
          this.drawRow(headerCells, headerHeight, HEADER_FILL);
        }
        this.drawRow(cells, height, index % 2 === 1 ? STRIPE_FILL : null);
      });
    }
    this.y += SECTION_GAP;
  }

  private drawClosingNotes(): void {
    const notes: string[] = [];
    if (this.substitutedText) {
      notes.push(
        'Some names or text contain characters this document’s standard font cannot show; they are ' +
          'shown without accents or as "?". The CSV export of this report has the exact text.',
      );
    }
    if (this.shortenedText) {
      notes.push(
        'Some very long entries are shortened and end in "…". The CSV export of this report has ' +
          'the full text.',
      );
    }
    const reviews = this.report.clients.reduce((sum, client) => sum + client.reviews.length, 0);
    notes.push(
      `End of report: ${this.report.clients.length} ${this.report.clients.length === 1 ? 'client' : 'clients'} and ${reviews} ${reviews === 1 ? 'review' : 'reviews'} listed.`,
    );
    for (const note of notes) {
      this.drawParagraph(note, 'regular', 8, MUTED);
      this.y += 4;
    }
  }
}
