/**
 * Reads a chapter's notes (`chapters/chapterNN-*\/README.md`) for the exercises and their hints,
 * so that the notes stay the one place a hint is written.
 *
 * - An exercise is a heading `### N.M Title` (any level from three down).
 * - A hint is a `<details>` block. It belongs to the exercise whose section it is in, or, in a
 *   separate hints section, to the exercise its summary starts with (`<summary>1.2: …</summary>`).
 * - A block whose body is nothing but a bulleted list gives one hint per item, in order: the
 *   notes of chapter 02 write an exercise's hints as one list.
 */

export interface Hint {
  /** The summary line, without a leading "Hint:" or exercise number. */
  readonly title: string;
  readonly body: string;
}

export interface ExerciseNotes {
  /** `1.2` */
  readonly id: string;
  /** The heading text, `1.2 Table storage`. */
  readonly heading: string;
  readonly hints: Hint[];
}

const EXERCISE = /^(#{3,6})\s+(\d+)\.(\d+)\s+(.+?)\s*$/;
const HEADING = /^(#{1,6})\s+/;
const SUMMARY = /<summary>(.*?)<\/summary>/;
const NUMBERED_SUMMARY = /^(\d+\.\d+)\s*[:.]\s*(.*)$/;

/** Every exercise of the notes, in the order they appear, with its hints. */
export function exerciseNotes(markdown: string): ExerciseNotes[] {
  const exercises: ExerciseNotes[] = [];
  const byId = new Map<string, ExerciseNotes>();
  const loose: Array<{ id: string; hints: Hint[] }> = [];
  let current: { notes: ExerciseNotes; level: number } | undefined;
  let fence = false;
  let details: string[] | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (details !== undefined) {
      if (/^\s*<\/details>/.test(line)) {
        const { id, hints } = readDetails(details);
        if (id !== undefined) loose.push({ id, hints });
        else current?.notes.hints.push(...hints);
        details = undefined;
      } else details.push(line);
      continue;
    }
    if (fence) continue;
    if (/^\s*<details>/.test(line)) {
      details = [];
      continue;
    }
    const exercise = EXERCISE.exec(line);
    if (exercise) {
      const id = `${Number(exercise[2])}.${Number(exercise[3])}`;
      const notes: ExerciseNotes = { id, heading: `${id} ${exercise[4]!}`, hints: [] };
      current = { notes, level: exercise[1]!.length };
      if (!byId.has(id)) {
        byId.set(id, notes);
        exercises.push(notes);
      }
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading && current && heading[1]!.length <= current.level) current = undefined;
  }
  for (const { id, hints } of loose) {
    let notes = byId.get(id);
    if (notes === undefined) {
      // A hint for an exercise the notes give no heading of its own (it may be tested only).
      byId.set(id, (notes = { id, heading: id, hints: [] }));
      exercises.push(notes);
    }
    notes.hints.push(...hints);
  }
  return exercises;
}

/** One `<details>` block: the exercise its summary names (if it names one) and its hints. */
function readDetails(lines: readonly string[]): { id: string | undefined; hints: Hint[] } {
  const summaryAt = lines.findIndex((l) => SUMMARY.test(l));
  let title = summaryAt >= 0 ? SUMMARY.exec(lines[summaryAt]!)![1]!.trim() : 'Hint';
  let id: string | undefined;
  const numberedTitle = NUMBERED_SUMMARY.exec(title);
  if (numberedTitle) {
    id = numberedTitle[1];
    title = numberedTitle[2]!;
  }
  title = title.replace(/^Hints?\s*(:\s*|$)/i, '');
  const body = trimBlank(lines.slice(summaryAt + 1));
  const items = listItems(body);
  const hints = items ? items.map((item) => ({ title, body: item })) : [{ title, body: body.join('\n') }];
  return { id, hints };
}

/** The items of a body that is only a bulleted list (continuation lines indented), else undefined. */
function listItems(body: readonly string[]): string[] | undefined {
  const items: string[][] = [];
  for (const line of body) {
    if (/^[-*] /.test(line)) items.push([line.slice(2)]);
    else if (items.length > 0 && (/^\s+\S/.test(line) || line.trim() === '')) items[items.length - 1]!.push(line.replace(/^ {2}/, ''));
    else return undefined;
  }
  return items.length > 1 ? items.map((item) => trimBlank(item).join('\n')) : undefined;
}

function trimBlank(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end);
}
