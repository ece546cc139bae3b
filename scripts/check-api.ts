/**
 * `npm run check:api`: each starter exports exactly the API of its solution.
 *
 * For every file under `solutions/chapterNN-*` the same file must exist under `chapters/`, and
 * the reverse; both must export the same names, and each name must have the same shape: the
 * type of a function or constant, the public members of a class (constructor, methods,
 * properties, statics), the members of an interface, the definition of a type alias. Private
 * members and the bodies of functions may differ: that is the exercise.
 *
 * A starter file with no `NotImplementedError` in it is given code (types, errors, helpers) and
 * must be byte-identical to its solution, so a fix made in one tree cannot miss the other.
 */

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { root } from './lib.js';

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTs(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const chaptersDir = join(root, 'chapters');
const solutionsDir = join(root, 'solutions');
const rel = (base: string, files: string[]) =>
  new Set(files.map((f) => relative(base, f).replace(/\\/g, '/')).filter((f) => /^chapter\d\d-/.test(f)));
const starterFiles = rel(chaptersDir, listTs(chaptersDir));
const solutionFiles = rel(solutionsDir, listTs(solutionsDir));

const problems: string[] = [];
for (const f of solutionFiles) if (!starterFiles.has(f)) problems.push(`chapters/${f} is missing (solutions/${f} exists)`);
for (const f of starterFiles) if (!solutionFiles.has(f)) problems.push(`solutions/${f} is missing (chapters/${f} exists)`);

let given = 0;
for (const f of starterFiles) {
  if (!solutionFiles.has(f)) continue;
  const starter = readFileSync(join(chaptersDir, f), 'utf8');
  if (starter.includes('NotImplementedError')) continue;
  given++;
  if (starter !== readFileSync(join(solutionsDir, f), 'utf8')) {
    problems.push(`${f} has no exercise in it, so it is given code and must be identical in chapters/ and solutions/`);
  }
}

const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
});
if (!config) throw new Error('cannot read tsconfig.json');
const both = [...starterFiles].filter((f) => solutionFiles.has(f));
const program = ts.createProgram({
  rootNames: both.flatMap((f) => [join(chaptersDir, f), join(solutionsDir, f)]),
  options: config.options,
});
const checker = program.getTypeChecker();
const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType | ts.TypeFormatFlags.InTypeAlias;

function normalise(text: string): string {
  // Types that name another module print its path; the two trees differ only in that prefix.
  return text.replace(/import\("[^"]*?\/(?:chapters|solutions)\/([^"]+)"\)/g, 'import("$1")');
}

function isPublic(symbol: ts.Symbol): boolean {
  if (symbol.name.startsWith('#') || symbol.name.startsWith('__')) return false;
  const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!decl) return true;
  const mods = ts.getCombinedModifierFlags(decl);
  return (mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
}

function members(type: ts.Type, at: ts.Node): string[] {
  const out: string[] = [];
  for (const p of checker.getPropertiesOfType(type)) {
    if (!isPublic(p)) continue;
    const readonly = p.valueDeclaration && ts.getCombinedModifierFlags(p.valueDeclaration) & ts.ModifierFlags.Readonly ? 'readonly ' : '';
    const optional = p.flags & ts.SymbolFlags.Optional ? '?' : '';
    out.push(`${readonly}${p.name}${optional}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(p, at), at, flags)}`);
  }
  for (const s of checker.getSignaturesOfType(type, ts.SignatureKind.Call)) out.push(`call ${checker.signatureToString(s, at, flags)}`);
  for (const s of checker.getSignaturesOfType(type, ts.SignatureKind.Construct)) out.push(`new ${checker.signatureToString(s, at, flags)}`);
  for (const info of checker.getIndexInfosOfType(type)) out.push(`index ${checker.typeToString(info.keyType)}: ${checker.typeToString(info.type, at, flags)}`);
  return out.sort();
}

function describe(symbol: ts.Symbol, at: ts.Node): string[] {
  const out: string[] = [];
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) {
    out.push('class');
    out.push(...members(checker.getDeclaredTypeOfSymbol(symbol), at).map((m) => `instance ${m}`));
    out.push(...members(checker.getTypeOfSymbolAtLocation(symbol, at), at).filter((m) => !m.startsWith('prototype')).map((m) => `static ${m}`));
    return out;
  }
  if (f & ts.SymbolFlags.Interface) {
    out.push('interface', ...members(checker.getDeclaredTypeOfSymbol(symbol), at));
  }
  if (f & ts.SymbolFlags.TypeAlias) {
    out.push(`type = ${checker.typeToString(checker.getDeclaredTypeOfSymbol(symbol), at, flags)}`);
  }
  if (f & ts.SymbolFlags.Enum) {
    out.push('enum', ...members(checker.getTypeOfSymbolAtLocation(symbol, at), at));
  }
  if (f & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) {
    out.push(`value: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, at), at, flags)}`);
  }
  return out;
}

function api(file: string): Map<string, string> {
  const sf = program.getSourceFile(file);
  const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
  const out = new Map<string, string>();
  if (!sf || !moduleSymbol) return out;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    out.set(exported.name, normalise(describe(target, sf).join('\n      ')));
  }
  return out;
}

let compared = 0;
for (const f of both) {
  const starter = api(join(chaptersDir, f));
  const solution = api(join(solutionsDir, f));
  for (const [name, shape] of solution) {
    compared++;
    const mine = starter.get(name);
    if (mine === undefined) problems.push(`${f}: the solution exports ${name}, the starter does not`);
    else if (mine !== shape) {
      problems.push(`${f}: ${name} differs\n    solution: ${shape}\n    starter:  ${mine}`);
    }
  }
  for (const name of starter.keys()) {
    if (!solution.has(name)) problems.push(`${f}: the starter exports ${name}, the solution does not`);
  }
}

if (problems.length > 0) {
  console.error(`check:api: starters and solutions disagree:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check:api: ok (${both.length} files, ${compared} exports identical in chapters/ and solutions/; ${given} given files byte-identical)`);
