/**
 * A line diff in unified format, for `npm run diff`: a longest common subsequence of lines
 * (after the common head and tail are set aside, so the table covers only the lines that differ
 * in between). A chapter's files are a few hundred lines; the table is at most a few million
 * cells, and no dependency is needed.
 */

export type DiffLine = { readonly kind: 'same' | 'removed' | 'added'; readonly text: string };

/** Lines of `a` and `b` in order, each kept, removed from `a` or added from `b`. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  // lcs[i * (m + 1) + j]: the length of a longest common subsequence of x[i..] and y[j..].
  const n = x.length;
  const m = y.length;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = x[i] === y[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ kind: 'same', text }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      out.push({ kind: 'same', text: x[i++]! });
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!)) out.push({ kind: 'removed', text: x[i++]! });
    else out.push({ kind: 'added', text: y[j++]! });
  }
  for (const text of a.slice(a.length - tail)) out.push({ kind: 'same', text });
  return out;
}

/**
 * The unified diff of two texts: `@@ -l,n +l,n @@` hunks with `context` unchanged lines around
 * each change; an empty list when the texts are equal.
 */
export function unifiedDiff(a: string, b: string, context = 3): string[] {
  const lines = diffLines(splitLines(a), splitLines(b));
  const changed = lines.map((l, index) => (l.kind === 'same' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  const out: string[] = [];
  let k = 0;
  while (k < changed.length) {
    // Changes closer than two contexts apart share a hunk.
    let last = k;
    while (last + 1 < changed.length && changed[last + 1]! - changed[last]! <= 2 * context + 1) last++;
    const start = Math.max(0, changed[k]! - context);
    const end = Math.min(lines.length, changed[last]! + context + 1);
    k = last + 1;
    const before = lines.slice(0, start);
    const hunk = lines.slice(start, end);
    const oldStart = before.filter((l) => l.kind !== 'added').length + 1;
    const newStart = before.filter((l) => l.kind !== 'removed').length + 1;
    const oldCount = hunk.filter((l) => l.kind !== 'added').length;
    const newCount = hunk.filter((l) => l.kind !== 'removed').length;
    out.push(`@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`);
    for (const l of hunk) out.push(`${l.kind === 'same' ? ' ' : l.kind === 'removed' ? '-' : '+'}${l.text}`);
  }
  return out;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
