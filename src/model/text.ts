/**
 * Cheap questions about a file's source text, asked before any rule looks at the AST. Every
 * file of a run is asked them, most of it ordinary code that does not matter to any rule, so
 * they search for a literal word with `indexOf` and look at the characters around each hit:
 * on ordinary code that is several times faster than the equivalent regular expression (an
 * alternation or a `\b` makes V8 try the pattern at every position).
 */

/** `[A-Za-z0-9_]`, what `\b` in a regular expression counts as a word character. */
export function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/** Past spaces and line breaks (what source code puts between a name and its call). */
export function skipSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 9 || code === 10 || code === 13) i++;
    else if (code > 127 && /\s/.test(text[i]!)) i++;
    else return i;
  }
}

/** Back over spaces and line breaks before `from` (exclusive); the index of the last other character. */
function skipSpaceBack(text: string, from: number): number {
  let i = from - 1;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 9 || code === 10 || code === 13) i--;
    else if (code > 127 && /\s/.test(text[i]!)) i--;
    else return i;
  }
}

/**
 * `text.includes(word)`, searched for through `anchor`, a part of `word` that starts with a
 * character rare in code (an upper-case letter, `q`): `indexOf` skips to a rare character several
 * times faster than to a common one (`httpAction` through `Action`, `constructEvent` through `Event`).
 */
export function includesVia(text: string, word: string, anchor: string): boolean {
  const offset = word.indexOf(anchor);
  for (let at = text.indexOf(anchor); at !== -1; at = text.indexOf(anchor, at + 1)) {
    if (at >= offset && text.startsWith(word, at - offset)) return true;
  }
  return false;
}

/**
 * ASCII characters from the commonest in TypeScript source to the rarest (measured on the
 * sources of installed packages); characters not listed (digits aside, punctuation such as `%`)
 * are rarer still.
 */
const BY_FREQUENCY = "etnoriasldcpumfhgy.,\":();/{}bvx=*SwkCT`OIPjEAD-R_MNF>][qL?|V<UzBW@0JK$1QH!G&\\+2YX634#98Z5^~7%";

const rareAnchors = new Map<string, string>();

/** The part of `word` from its rarest character on: what {@link includesRare} searches for. */
export function rareAnchor(word: string): string {
  let anchor = rareAnchors.get(word);
  if (anchor === undefined) {
    let best = 0;
    let bestRank = -1;
    for (let i = 0; i < word.length; i++) {
      const rank = BY_FREQUENCY.indexOf(word[i]!);
      const r = rank === -1 ? BY_FREQUENCY.length : rank;
      if (r > bestRank) {
        best = i;
        bestRank = r;
      }
    }
    anchor = word.slice(best);
    rareAnchors.set(word, anchor);
  }
  return anchor;
}

/** `text.includes(word)`, searched for through the rarest character of `word` ({@link includesVia}). */
export function includesRare(text: string, word: string): boolean {
  return includesVia(text, word, rareAnchor(word));
}

/**
 * `word` occurs as a whole word: what `/\bword\b/` tests, for a `word` made of word characters.
 * Searched for through `anchor` when given, a part of `word` with a rarer first letter (`env`
 * through `v`: `e` is the commonest letter in code), as in {@link includesVia}.
 */
export function hasWord(text: string, word: string, anchor = word): boolean {
  const offset = word.indexOf(anchor);
  for (let hit = text.indexOf(anchor); hit !== -1; hit = text.indexOf(anchor, hit + 1)) {
    const at = hit - offset;
    if (at < 0 || (anchor !== word && !text.startsWith(word, at))) continue;
    if (at > 0 && isWordChar(text.charCodeAt(at - 1))) continue;
    if (!isWordChar(text.charCodeAt(at + word.length))) return true;
  }
  return false;
}

export interface CallOptions {
  /** `word` must not follow a word character (`serve(`, not `observe(`). */
  boundary?: boolean;
  /** The first argument must be a string that starts with `/` (`app.post("/webhook", ...)`). */
  pathArgument?: boolean;
}

/** Some `word` in `text` is called: `word (`, as `/word\s*\(/` tests (see {@link CallOptions} for the extras). */
export function callsWord(text: string, word: string, options: CallOptions = {}): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if (options.boundary && at > 0 && isWordChar(text.charCodeAt(at - 1))) continue;
    let i = skipSpace(text, at + word.length);
    if (text.charCodeAt(i) !== 40 /* ( */) continue;
    if (!options.pathArgument) return true;
    i = skipSpace(text, i + 1);
    if (isQuote(text.charCodeAt(i)) && text.charCodeAt(i + 1) === 47 /* / */) return true;
  }
  return false;
}

/**
 * Some method `name` is called: `.name (`, what `callsWord(text, ".name")` tests, searched for by
 * the name alone (`indexOf` is slower for a pattern that starts with a character as common as `.`).
 */
export function callsMethod(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    if (text.charCodeAt(at - 1) === 46 /* . */ && text.charCodeAt(skipSpace(text, at + name.length)) === 40 /* ( */) return true;
  }
  return false;
}

function isQuote(code: number): boolean {
  return code === 34 /* " */ || code === 39 /* ' */ || code === 96; /* ` */
}

/**
 * A string is compared with `==` or `===` (so also `!==`) on either side: what
 * `/={2,3}\s*["'`]|["'`]\s*={2,3}/` tests.
 */
export function comparesWithString(text: string): boolean {
  for (let at = text.indexOf("=="); at !== -1; at = text.indexOf("==", at + 1)) {
    if (isQuote(text.charCodeAt(skipSpace(text, at + 2)))) return true;
    if (text.charCodeAt(at + 2) === 61 /* = */ && isQuote(text.charCodeAt(skipSpace(text, at + 3)))) return true;
    const before = at > 0 && text.charCodeAt(at - 1) === 61 ? at - 1 : at;
    if (isQuote(text.charCodeAt(skipSpaceBack(text, before)))) return true;
  }
  return false;
}
