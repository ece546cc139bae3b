/**
 * The pure parts of `check:mutants`: applying a mutant's or variant's edits, typechecking the
 * result, and judging a test run. Kept apart from the runner so that the tests of the scripts
 * (`tests/scripts/`) can prove the judgement cannot be fooled without running any chapter.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import type { Edit, Mutant } from '../shared/testing/mutant.js';
import type { TestCounts } from './lib.js';

/** A mutant written as edits, so mutants and variants are applied the same way. */
export function mutantEdits(mutant: Mutant): readonly Edit[] {
  return [{ file: mutant.file, find: mutant.find, replace: mutant.replace }];
}

/** The result of applying edits to a tree: the new text of each changed file, or why not. */
export type Applied =
  | { readonly ok: true; readonly files: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly problem: string };

/**
 * Applies `edits` in order to the files of `tree` (read through `read`, so a test can use a
 * fake tree). Every `find` must occur exactly once in the file as the earlier edits left it:
 * text that matches twice would mutate a line nobody chose, and text that matches nowhere is a
 * mutant gone stale because the solution changed.
 */
export function applyEdits(edits: readonly Edit[], read: (file: string) => string | undefined): Applied {
  const files = new Map<string, string>();
  for (const [i, edit] of edits.entries()) {
    const source = files.get(edit.file) ?? read(edit.file);
    const where = edits.length > 1 ? ` (edit ${i + 1} of ${edits.length})` : '';
    if (source === undefined) return { ok: false, problem: `solutions/${edit.file} does not exist${where}` };
    if (edit.find.length === 0) return { ok: false, problem: `its find text is empty${where}` };
    const hits = source.split(edit.find).length - 1;
    if (hits !== 1) {
      const how = hits === 0 ? 'does not occur' : `occurs ${hits} times`;
      return { ok: false, problem: `its find text ${how} in solutions/${edit.file}; it must occur exactly once${where}` };
    }
    if (edit.find === edit.replace) return { ok: false, problem: `its replacement changes nothing${where}` };
    files.set(edit.file, source.replace(edit.find, () => edit.replace));
  }
  return { ok: true, files };
}

/** Reads a file of `solutions/` under `root`, or undefined when it does not exist. */
export function solutionReader(root: string): (file: string) => string | undefined {
  return (file) => {
    const path = join(root, 'solutions', file);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
}

/**
 * Typechecks changed solution files against the rest of the project, one change set at a time,
 * reusing one TypeScript program: each check re-reads only the changed files.
 */
export class MutantTypechecker {
  private readonly root: string;
  private readonly options: ts.CompilerOptions;
  private readonly rootNames: string[];
  /** The unchanged project, whose parsed files every check shares. */
  private base: ts.Program | undefined;

  constructor(root: string) {
    this.root = root;
    const configPath = join(root, 'tsconfig.json');
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
    this.options = parsed.options;
    // The solutions and what they import; tests are left out to keep each check quick.
    const solutions = resolve(root, 'solutions');
    this.rootNames = parsed.fileNames.filter((f) => resolve(f).startsWith(solutions));
  }

  /** Type errors in the changed files (paths relative to `solutions/`), as readable lines. */
  check(changed: ReadonlyMap<string, string>): string[] {
    this.base ??= ts.createProgram({ rootNames: this.rootNames, options: this.options });
    const base = this.base;
    const overrides = new Map<string, string>();
    for (const [file, text] of changed) overrides.set(resolve(this.root, 'solutions', file), text);
    const host = ts.createCompilerHost(this.options, true);
    const readFile = host.readFile.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (name) => overrides.get(resolve(name)) ?? readFile(name);
    host.getSourceFile = (name, language, onError, shouldCreate) => {
      const text = overrides.get(resolve(name));
      if (text !== undefined) return ts.createSourceFile(name, text, language, true);
      // Unchanged files are shared with the unchanged project, so they are parsed once.
      return base.getSourceFile(name) ?? getSourceFile(name, language, onError, shouldCreate);
    };
    const rootNames = [...new Set([...this.rootNames, ...overrides.keys()])];
    const program = ts.createProgram({ rootNames, options: this.options, host });
    const errors: string[] = [];
    for (const name of overrides.keys()) {
      const source = program.getSourceFile(name);
      if (source === undefined) continue;
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      for (const d of diagnostics) {
        const { line } = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1 };
        const file = relative(this.root, name).replace(/\\/g, '/');
        errors.push(`${file}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    }
    return errors;
  }
}

/** How a test run against a mutated tree went. */
export type MutantVerdict =
  | { readonly kind: 'caught'; readonly failing: number; readonly firstFailingTest: string }
  | { readonly kind: 'escaped' }
  | { readonly kind: 'broken'; readonly why: string };

/** What a run reported for each test file (see `runVitest` in `lib.ts`). */
export interface RunReport {
  readonly files: ReadonlyMap<string, TestCounts>;
  /** Test files that failed to load (a syntax error, a failed import), with vitest's message. */
  readonly loadErrors: ReadonlyMap<string, string>;
}

/**
 * A mutant is caught only when a test ran and failed. A test file that fails to load is not a
 * catch: a replacement that breaks the file proves nothing about the tests, so it is "broken"
 * and fails the check, as does a run in which no test ran at all.
 */
export function judgeMutant(report: RunReport): MutantVerdict {
  if (report.loadErrors.size > 0) {
    const [file, message] = [...report.loadErrors][0]!;
    return { kind: 'broken', why: `${file} failed to load: ${firstLine(message)}` };
  }
  let ran = 0;
  let failing = 0;
  let firstFailingTest = '';
  for (const [file, counts] of report.files) {
    ran += counts.passed + counts.failed;
    failing += counts.failed;
    if (firstFailingTest === '' && counts.failedNames.length > 0) firstFailingTest = `${file} > ${counts.failedNames[0]}`;
  }
  if (ran === 0) return { kind: 'broken', why: 'no test ran' };
  return failing > 0 ? { kind: 'caught', failing, firstFailingTest } : { kind: 'escaped' };
}

/** How a test run against a correct variant went. */
export type VariantVerdict =
  | { readonly kind: 'passes'; readonly passed: number }
  | { readonly kind: 'fails'; readonly failingTests: readonly string[] }
  | { readonly kind: 'broken'; readonly why: string };

/** A correct variant must pass every test it runs, and some test must run. */
export function judgeVariant(report: RunReport): VariantVerdict {
  if (report.loadErrors.size > 0) {
    const [file, message] = [...report.loadErrors][0]!;
    return { kind: 'broken', why: `${file} failed to load: ${firstLine(message)}` };
  }
  let passed = 0;
  const failingTests: string[] = [];
  for (const [file, counts] of report.files) {
    passed += counts.passed;
    for (const name of counts.failedNames) failingTests.push(`${file} > ${name}`);
  }
  if (failingTests.length > 0) return { kind: 'fails', failingTests };
  if (passed === 0) return { kind: 'broken', why: 'no test ran' };
  return { kind: 'passes', passed };
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '(no message)';
}

/**
 * The files a module loads, directly and through what those load: every static import, export
 * from, `import('…')` with a literal path and `new URL('./…', import.meta.url)` (how a worker
 * thread's entry point is named), resolved as the tests resolve them (`@impl/x` to
 * `implRoot/x`, relative paths from the importing file, `.js` to the `.ts` beside it). Packages
 * and `node:` modules are left out. `read` returns a file's text, or undefined when it does not
 * exist (a test can pass a fake tree).
 *
 * `check:mutants` uses it to run a mutant against only the test files that load the file it
 * changes. Missing an edge could only make a mutant look escaped (a loud failure that a person
 * then looks at), never caught, so the selection cannot hide a weak test.
 */
export class ImportGraph {
  private readonly direct = new Map<string, readonly string[]>();

  constructor(
    private readonly implRoot: string,
    private readonly read: (path: string) => string | undefined,
  ) {}

  /** Absolute paths of every file `file` loads, transitively, `file` included. */
  closure(file: string): Set<string> {
    const seen = new Set<string>();
    const stack = [resolve(file)];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const dep of this.importsOf(next)) if (!seen.has(dep)) stack.push(dep);
    }
    return seen;
  }

  private importsOf(file: string): readonly string[] {
    const known = this.direct.get(file);
    if (known !== undefined) return known;
    const text = this.read(file);
    const found: string[] = [];
    if (text !== undefined) {
      for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
        const target = this.resolveSpecifier(file, fileName);
        if (target !== undefined) found.push(target);
      }
      // A module loaded by URL rather than imported: a worker thread's entry point.
      for (const [, specifier] of text.matchAll(/new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)) {
        const target = this.resolveSpecifier(file, specifier!);
        if (target !== undefined) found.push(target);
      }
    }
    this.direct.set(file, found);
    return found;
  }

  private resolveSpecifier(from: string, specifier: string): string | undefined {
    let base: string;
    if (specifier.startsWith('@impl/')) base = join(this.implRoot, specifier.slice('@impl/'.length));
    else if (specifier.startsWith('.')) base = resolve(dirname(from), specifier);
    else return undefined;
    const candidates = base.endsWith('.js') ? [base.slice(0, -3) + '.ts', base] : [base, `${base}.ts`];
    return candidates.find((c) => this.read(c) !== undefined);
  }
}
