/** "Did you mean": the candidate nearest to a misspelt word by edit distance. */

/** Levenshtein edit distance between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The candidate nearest to `word`: among candidates that contain it (or that it contains) when there
 * are any, else among all; by edit distance, ties to the earlier one. Undefined when there are none.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const all = [...candidates];
  const related = all.filter((c) => word.length > 2 && (c.includes(word) || word.includes(c)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of related.length > 0 ? related : all) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
