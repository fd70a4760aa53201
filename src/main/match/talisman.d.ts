// Types for the parts of talisman (CommonJS, ships no types) the matcher uses.
declare module 'talisman/metrics/jaro-winkler.js' {
  /** Jaro–Winkler similarity, 0..1 (1 = identical). */
  const jaroWinkler: (a: string, b: string) => number;
  export default jaroWinkler;
}

declare module 'talisman/phonetics/double-metaphone.js' {
  /** [primary, secondary] Double Metaphone codes, each at most 4 characters. */
  const doubleMetaphone: (word: string) => [string, string];
  export default doubleMetaphone;
}
