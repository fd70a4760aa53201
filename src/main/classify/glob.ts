// Event-type slug globs compiled by hand: `*` any run, `?` one character, the rest literal, compared
// case-insensitively. Patterns come from the advisor, so they never become a RegExp (no pattern can
// hang the app); matching is a left-to-right scan for the star-separated pieces, O(text × pattern).

export type GlobMatcher = (text: string) => boolean;

/** Whether `piece` (literal characters and `?`) matches `text` starting at `at`. */
function pieceMatchesAt(text: string, at: number, piece: string): boolean {
  if (at < 0 || at + piece.length > text.length) return false;
  for (let i = 0; i < piece.length; i += 1) {
    const p = piece.charCodeAt(i);
    if (p !== 63 /* ? */ && p !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

/** First index ≥ `from` where `piece` matches, or -1. */
function findPiece(text: string, from: number, piece: string): number {
  for (let at = from; at + piece.length <= text.length; at += 1) {
    if (pieceMatchesAt(text, at, piece)) return at;
  }
  return -1;
}

export function compileGlob(pattern: string): GlobMatcher {
  const lowered = pattern.toLowerCase();
  const pieces = lowered.split('*');
  if (pieces.length === 1) {
    return (text) => {
      const subject = text.toLowerCase();
      return subject.length === lowered.length && pieceMatchesAt(subject, 0, lowered);
    };
  }
  const head = pieces[0] ?? '';
  const tail = pieces[pieces.length - 1] ?? '';
  // Empty middles come from runs like `**`; they constrain nothing.
  const middles = pieces.slice(1, -1).filter((piece) => piece.length > 0);
  const minLength = head.length + tail.length + middles.reduce((sum, p) => sum + p.length, 0);
  return (text) => {
    const subject = text.toLowerCase();
    if (subject.length < minLength) return false;
    if (!pieceMatchesAt(subject, 0, head)) return false;
    const tailStart = subject.length - tail.length;
    if (!pieceMatchesAt(subject, tailStart, tail)) return false;
    // Leftmost placement of each middle piece is optimal: any later placement leaves less room.
    let cursor = head.length;
    for (const piece of middles) {
      const at = findPiece(subject, cursor, piece);
      if (at < 0 || at + piece.length > tailStart) return false;
      cursor = at + piece.length;
    }
    return cursor <= tailStart;
  };
}
