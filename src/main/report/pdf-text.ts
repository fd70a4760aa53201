// Text for PDFKit's standard fonts. Helvetica and friends only carry the WinAnsi character set;
// PDFKit writes any other character as a raw code that shows up as garbage or nothing. So text is
// mapped onto what the font can show: accents are kept where WinAnsi has the letter, otherwise
// they are dropped (Ł → L, ő → o), and anything left over becomes "?". The CSV keeps the exact
// text; the PDF says so in its notes when it had to substitute anything.

// The characters WinAnsi adds in 0x80–0x9F, by Unicode code point (the same table PDFKit uses).
const WIN_ANSI_EXTRAS = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0x017d, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x017e, 0x0178,
]);

// Letters with no decomposition in Unicode, and punctuation WinAnsi spells differently.
const LOOKALIKES: Readonly<Record<string, string>> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŧ: 'T',
  ŧ: 't',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
};

// Signs Cadence's own wording uses (a rule's "60 min ≥ 20"), spelled the way WinAnsi can: nothing
// of the record is lost, so these do not count as a substitution the notes must own up to.
const SPELLED: Readonly<Record<string, string>> = {
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
  '→': '->',
  '←': '<-',
};

function isWinAnsi(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    WIN_ANSI_EXTRAS.has(codePoint)
  );
}

export type WinAnsiText = { text: string; substituted: boolean };

/** Maps `input` onto WinAnsi; control characters and line breaks become spaces. */
export function toWinAnsi(input: string): WinAnsiText {
  let text = '';
  let substituted = false;
  for (const char of input) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (isWinAnsi(codePoint)) {
      text += char;
      continue;
    }
    if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(char)) {
      text += ' ';
      continue;
    }
    if (/\p{Zs}/u.test(char)) {
      text += ' ';
      continue;
    }
    // Zero-width and direction marks are invisible; dropping them changes nothing a reader sees.
    if (/\p{Cf}/u.test(char)) continue;
    const spelled = SPELLED[char];
    if (spelled !== undefined) {
      text += spelled;
      continue;
    }
    substituted = true;
    const lookalike = LOOKALIKES[char];
    if (lookalike !== undefined) {
      text += lookalike;
      continue;
    }
    const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
    text += [...base].every((part) => isWinAnsi(part.codePointAt(0) ?? 0)) && base ? base : '?';
  }
  return { text, substituted };
}
