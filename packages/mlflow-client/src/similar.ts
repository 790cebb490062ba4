/** Damerau-free Levenshtein distance, case-insensitive: enough to suggest a mistyped model name. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * The names closest to `wanted`: substring matches first, then by edit distance, keeping only
 * those within half the length of the wanted name so unrelated names are not offered.
 */
export function closestNames(wanted: string, names: readonly string[], max = 3): string[] {
  const w = wanted.toLowerCase();
  const scored = names.map((n) => {
    const l = n.toLowerCase();
    const contains = l.includes(w) || w.includes(l);
    return { n, d: contains ? 0.5 : editDistance(wanted, n) };
  });
  const limit = Math.max(2, Math.ceil(wanted.length / 2));
  return scored
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, max)
    .map((x) => x.n);
}
