// JSON parsing that cannot round a LACRM id. Uids are ~31-digit numbers; the docs say to keep them
// as strings, but some responses (and UserIds) may still arrive as bare numbers, and JSON.parse
// would silently turn 3862515354732873260518907940136 into 3.862515354732873e30. Integer literals
// too big for a double are quoted before parsing, so they reach the schemas as exact strings.

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Rewrites integer literals beyond Number.MAX_SAFE_INTEGER (outside strings) as JSON strings. */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === '-' || isDigit(ch)) {
      const start = i;
      if (text[i] === '-') i++;
      while (isDigit(text[i])) i++;
      const integerEnd = i;
      const next = text[i];
      const isInteger = next !== '.' && next !== 'e' && next !== 'E';
      // Skip any fraction or exponent so its digits are not read as a new number.
      while (i < text.length && /[0-9eE.+-]/.test(text[i]!)) i++;
      const literal = text.slice(start, integerEnd);
      if (
        isInteger &&
        literal.replace('-', '').length > 15 &&
        !Number.isSafeInteger(Number(literal))
      ) {
        out += `${text.slice(copiedUpTo, start)}"${literal}"`;
        copiedUpTo = integerEnd;
      }
      continue;
    }
    i++;
  }
  return out + text.slice(copiedUpTo);
}

/** JSON.parse, keeping integers that a double cannot hold exactly as strings. */
export function parseJsonKeepingIds(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}
