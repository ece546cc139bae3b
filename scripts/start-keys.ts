/**
 * What a key does in `npm start`, as a pure function (the runner does the side effects), so
 * that it is tested without a terminal.
 */

/** Where the runner is looking: a chapter, and an exercise of it, or the next unfinished one. */
export interface View {
  readonly chapter: string;
  /** Index into the chapter's numbered exercises; undefined follows the next unfinished one. */
  readonly index: number | undefined;
}

export type Action = 'render' | 'run' | 'hint' | 'diff' | 'progress' | 'quit' | 'none';

export interface KeyContext {
  /** The chapters, in order. */
  readonly chapters: readonly string[];
  /** How many numbered exercises the view's chapter has. */
  readonly exercises: number;
  /** The index of the exercise shown now. */
  readonly shown: number;
}

export const KEYS = 'h hint  d diff  p progress  n/b next/previous exercise  q quit';

/**
 * The new view and the action for one key: h, d, p run those commands for the shown exercise;
 * n and b move to the next or previous exercise, across into the next or previous chapter at
 * either end (`run`: its tests must run); q or Ctrl-C quits; Enter or space shows the view again.
 */
export function onKey(view: View, key: string, context: KeyContext): { view: View; action: Action } {
  const at = (index: number | undefined, action: Action = 'render') => ({ view: { chapter: view.chapter, index }, action });
  const chapterAt = context.chapters.indexOf(view.chapter);
  switch (key) {
    case 'q':
    case '\u0003':
      return { view, action: 'quit' };
    case 'h':
      return { view, action: 'hint' };
    case 'd':
      return { view, action: 'diff' };
    case 'p':
      return { view, action: 'progress' };
    case '\r':
    case '\n':
    case ' ':
      return { view, action: 'render' };
    case 'n':
      if (context.shown + 1 < context.exercises) return at(context.shown + 1);
      if (chapterAt >= 0 && chapterAt + 1 < context.chapters.length) return { view: { chapter: context.chapters[chapterAt + 1]!, index: 0 }, action: 'run' };
      return { view, action: 'none' };
    case 'b':
      if (context.shown > 0) return at(context.shown - 1);
      if (chapterAt > 0) return { view: { chapter: context.chapters[chapterAt - 1]!, index: 0 }, action: 'run' };
      return { view, action: 'none' };
    default:
      return { view, action: 'none' };
  }
}
