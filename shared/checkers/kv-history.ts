/**
 * A text format for key-value histories, so that a test can write one by hand and a failure can
 * print one back. One operation per line:
 *
 * ```text
 * c1 put(x, 1) ok 0..2          # invoked at 0, returned ok at 2
 * c2 get(x) → 1 ok 1..3         # `->` works too; `nil` is "absent"
 * c3 cas(x, 1, 2) → true ok 4..6
 * c4 put(x, 3) info 5..         # unknown outcome: no return
 * c5 put(x, 4) fail 7..8        # certainly did not happen
 * ```
 *
 * Values are words without spaces, commas or parentheses. Blank lines and `#` comments are
 * ignored. The checker's explanations use the same format.
 * @module
 */

import { UsageError } from '../errors.js';
import type { Operation, OpStatus } from './history.js';
import type { KvInput, KvOutput } from './model.js';

const LINE =
  /^(\S+)\s+(get|put|cas)\(([^)]*)\)\s*(?:(?:->|→)\s*(\S+)\s+)?(ok|fail|info)\s+(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)?$/;

/** Parses the text format above into operations; throws a `UsageError` naming the bad line. */
export function parseKvHistory(text: string): Array<Operation<KvInput, KvOutput>> {
  const ops: Array<Operation<KvInput, KvOutput>> = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const bad = (why: string) => new UsageError(`history line ${index + 1} "${line}": ${why}`);
    const m = LINE.exec(line);
    if (m === null) throw bad('expected e.g. "c1 put(x, 1) ok 0..2" or "c2 get(x) → 1 ok 1..3"');
    const [, process, f, argText, outText, status, callText, returnText] = m as unknown as [
      string, string, 'get' | 'put' | 'cas', string, string | undefined, OpStatus, string, string | undefined,
    ];
    const args = argText.split(',').map((a) => a.trim());
    let input: KvInput;
    if (f === 'get' && args.length === 1) input = { f, key: args[0]! };
    else if (f === 'put' && args.length === 2) input = { f, key: args[0]!, value: args[1]! };
    else if (f === 'cas' && args.length === 3) input = { f, key: args[0]!, expected: value(args[1]!), value: args[2]! };
    else throw bad(`wrong number of arguments for ${f}`);
    let output: KvOutput | undefined;
    if (outText !== undefined) {
      if (status !== 'ok') throw bad('only an ok operation has an output');
      output = f === 'cas' ? parseBool(outText, bad) : value(outText);
    } else if (status === 'ok' && f !== 'put') {
      throw bad(`an ok ${f} needs its output: "→ value"`);
    }
    const call = Number(callText);
    const ret = returnText === undefined ? Infinity : Number(returnText);
    if (status === 'info' && returnText !== undefined) throw bad('an info operation has no return time: write "5.."');
    if (status !== 'info' && returnText === undefined) throw bad(`a ${status} operation needs a return time: "0..2"`);
    if (ret < call) throw bad('it returns before it was called');
    ops.push({ id: ops.length + 1, process, input, output, status, call, return: ret });
  });
  return ops;
}

function value(text: string): string | null {
  return text === 'nil' ? null : text;
}

function parseBool(text: string, bad: (why: string) => Error): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw bad(`a cas returns true or false, not ${text}`);
}
