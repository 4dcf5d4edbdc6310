/**
 * Fuzzy matching for the command palette: the query's characters must appear in the text in
 * order (case and spaces ignored); among the ways they can, the best-scoring one is kept —
 * matches at word starts and in runs count most, gaps cost a little — so "gtc" finds
 * "Go to Clusters" ahead of "Toggle Cut". The positions of the matched characters come back for
 * highlighting.
 */

export interface FuzzyMatch {
  score: number;
  /** Indices in the text of the matched characters, ascending. */
  positions: number[];
}

const MATCH = 1;
const WORD_START = 8;
const FIRST_CHAR = 4;
const CONSECUTIVE = 5;
const GAP = 1;
const LEADING_GAP = 0.25;

function isAlnum(c: string): boolean {
  return /[\p{L}\p{N}]/u.test(c);
}

/** A character that starts a word: the first, one after a separator, or a capital after a lower-case letter. */
function wordStart(text: string, j: number): boolean {
  if (j === 0) return true;
  const prev = text[j - 1], c = text[j];
  if (!isAlnum(prev)) return isAlnum(c);
  return prev === prev.toLowerCase() && prev !== prev.toUpperCase() && c !== c.toLowerCase();
}

/**
 * The best match of `query` in `text`, or null when its characters do not all appear in order.
 * An empty query matches everything with score 0.
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const t = text.toLowerCase();
  const m = q.length, n = t.length;
  if (m === 0) return { score: 0, positions: [] };
  if (m > n) return null;
  // score[i * n + j]: the best score of q[0..i] with q[i] matched at t[j]; from: the j of q[i - 1].
  const score = new Float64Array(m * n).fill(-Infinity);
  const from = new Int32Array(m * n).fill(-1);
  for (let i = 0; i < m; i++) {
    // Best of score[i-1][k] + k over k ≤ j − 2 (a gap of j − k − 1 characters), kept as j advances.
    let runBest = -Infinity, runArg = -1;
    for (let j = i; j < n; j++) {
      if (i > 0 && j >= 2) {
        const k = j - 2;
        const v = score[(i - 1) * n + k] + k * GAP;
        if (v > runBest) {
          runBest = v;
          runArg = k;
        }
      }
      if (t[j] !== q[i]) continue;
      const bonus = MATCH + (wordStart(text, j) ? WORD_START : 0);
      const at = i * n + j;
      if (i === 0) {
        score[at] = bonus + (j === 0 ? FIRST_CHAR : -j * LEADING_GAP);
        continue;
      }
      const consecutive = j >= 1 ? score[(i - 1) * n + j - 1] + CONSECUTIVE : -Infinity;
      const gapped = runBest - (j - 1) * GAP;
      if (consecutive === -Infinity && gapped === -Infinity) continue;
      if (consecutive >= gapped) {
        score[at] = bonus + consecutive;
        from[at] = j - 1;
      } else {
        score[at] = bonus + gapped;
        from[at] = runArg;
      }
    }
  }
  let best = -Infinity, bestJ = -1;
  for (let j = m - 1; j < n; j++) {
    const v = score[(m - 1) * n + j];
    if (v > best) {
      best = v;
      bestJ = j;
    }
  }
  if (bestJ < 0) return null;
  const positions = new Array<number>(m);
  for (let i = m - 1, j = bestJ; i >= 0; i--) {
    positions[i] = j;
    j = from[i * n + j];
  }
  return { score: best, positions };
}

export interface Ranked<T> {
  item: T;
  match: FuzzyMatch;
}

/**
 * The items matching `query`, best first; of equal scores the shorter text first (typing "save"
 * means Save rather than Save As), then the items' order. `text` gives what is
 * shown and highlighted; `extra` optional further words (a group, a description) that may match
 * too, ranked below a match of the text itself.
 */
export function fuzzyFilter<T>(items: readonly T[], query: string, text: (item: T) => string, extra?: (item: T) => string): Ranked<T>[] {
  const out: Array<Ranked<T> & { index: number; length: number }> = [];
  const blank = query.trim() === '';
  items.forEach((item, index) => {
    const shown = text(item);
    const length = blank ? 0 : shown.length;
    const match = fuzzyMatch(query, shown);
    if (match) return void out.push({ item, match, index, length });
    const words = extra?.(item);
    const other = words ? fuzzyMatch(query, words) : null;
    // Found only in the extra words: listed after the direct matches, nothing highlighted.
    if (other) out.push({ item, match: { score: other.score - 1000, positions: [] }, index, length });
  });
  out.sort((a, b) => b.match.score - a.match.score || a.length - b.length || a.index - b.index);
  return out.map(({ item, match }) => ({ item, match }));
}
