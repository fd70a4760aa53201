// Word-level text handling for title keywords: titles and keywords are split into lowercase,
// accent-free words so "review" matches "Annual Review", "Reviews" and "RÉVIEW" but not "Preview".

/** Lowercase words of letters and digits; accents stripped, punctuation and spacing dropped. */
export function wordsOf(text: string): string[] {
  // Most titles are plain ASCII, where accent folding is a no-op worth skipping in bulk previews.
  const folded = /^[\x20-\x7e]*$/.test(text)
    ? text
    : text.normalize('NFKD').replace(/\p{M}+/gu, '');
  return folded.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Endings a title word may add to a keyword's last word and still count: plural forms only. */
const PLURAL_ENDINGS = ['s', 'es'] as const;

function lastWordMatches(titleWord: string, keywordWord: string): boolean {
  if (titleWord === keywordWord) return true;
  return PLURAL_ENDINGS.some((ending) => titleWord === keywordWord + ending);
}

export type KeywordMatcher = (titleWords: readonly string[]) => boolean;

/**
 * A keyword or phrase as a run of whole words. The last word may carry a plural ending
 * ("review" matches "reviews"); earlier words must match exactly, in order, adjacent.
 */
export function compileKeyword(keyword: string): KeywordMatcher {
  const keywordWords = wordsOf(keyword);
  const count = keywordWords.length;
  if (count === 0) return () => false;
  const leading = keywordWords.slice(0, -1);
  const last = keywordWords[count - 1] ?? '';
  return (titleWords) => {
    for (let start = 0; start + count <= titleWords.length; start += 1) {
      let ok = true;
      for (let i = 0; i < leading.length; i += 1) {
        if (titleWords[start + i] !== leading[i]) {
          ok = false;
          break;
        }
      }
      if (ok && lastWordMatches(titleWords[start + count - 1] ?? '', last)) return true;
    }
    return false;
  };
}

/** A slug-like reading of an event-type name ("Annual Review" → "annual-review"). */
export function slugFromName(name: string): string {
  return wordsOf(name).join('-');
}
