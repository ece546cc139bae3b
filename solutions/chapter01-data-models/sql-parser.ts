/**
 * Exercise 7: parsing a small SQL subset.
 *
 * Grammar (keywords are case-insensitive; `[ ]` optional, `{ }` repeated):
 *
 * ```text
 * statement := SELECT items FROM table {JOIN table ON expr} [WHERE expr]
 *              [GROUP BY column {, column}] [ORDER BY order {, order}] [LIMIT integer] [;]
 * items     := * | item {, item}
 * item      := (column | function ( column | * )) [AS name]
 * table     := name [[AS] alias]
 * order     := (column | function ( column | * )) [ASC | DESC]
 * expr      := and {OR and}         and := not {AND not}         not := NOT not | predicate
 * predicate := operand [op operand | IS [NOT] NULL]      op := = | <> | != | < | <= | > | >=
 * operand   := column | number | -number | 'text' | TRUE | FALSE | NULL | ( expr )
 * column    := name [. name]
 * ```
 *
 * Each "(" of an expression and each NOT opens a level of nesting that ends with the operand it
 * applies to; at most `MAX_NESTING` (1000) levels may be open at once.
 * @module
 */

import type { AggregateFunction } from './aggregation.js';
import { SqlSyntaxError } from './errors.js';
import type { CompareOp, Expr } from './expression.js';
import { MAX_NESTING } from './values.js';

/** One item of the select list. Column names are kept as written, e.g. `u.name` or `name`. */
export type SelectItem =
  | { readonly kind: 'star' }
  | { readonly kind: 'column'; readonly column: string; readonly as?: string }
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunction; readonly column?: string; readonly as?: string };

/** A table in `FROM` or `JOIN`. Without an alias, the alias is the table's name. */
export interface TableRef {
  readonly table: string;
  readonly alias: string;
}

/** `JOIN table ON condition`. */
export interface JoinClause {
  readonly table: TableRef;
  readonly on: Expr;
}

/**
 * One `ORDER BY` term: a name as written (an output name or an input column), or an aggregate
 * call, its function name lower-cased and its column as written (`COUNT( * )` is
 * `{ kind: 'aggregate', fn: 'count', descending }`).
 */
export type OrderTerm =
  | { readonly kind: 'column'; readonly column: string; readonly descending: boolean }
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunction; readonly column?: string; readonly descending: boolean };

/** A parsed `SELECT` statement. Absent clauses are empty lists or `undefined`. */
export interface SelectStatement {
  readonly select: readonly SelectItem[];
  readonly from: TableRef;
  readonly joins: readonly JoinClause[];
  readonly where: Expr | undefined;
  readonly groupBy: readonly string[];
  readonly orderBy: readonly OrderTerm[];
  readonly limit: number | undefined;
}

type TokenKind = 'word' | 'number' | 'string' | 'symbol' | 'end';

interface Token {
  readonly kind: TokenKind;
  /** For words: as written. For symbols: the symbol. For strings: the unquoted text. */
  readonly text: string;
  readonly position: number;
}

const KEYWORDS = new Set([
  'SELECT', 'FROM', 'JOIN', 'ON', 'WHERE', 'GROUP', 'BY', 'ORDER', 'ASC', 'DESC', 'LIMIT',
  'AND', 'OR', 'NOT', 'IS', 'NULL', 'TRUE', 'FALSE', 'AS',
]);
const FUNCTIONS: readonly string[] = ['count', 'sum', 'avg', 'min', 'max'];
const SYMBOLS = ['<>', '!=', '<=', '>=', '=', '<', '>', ',', '.', '(', ')', '*', ';', '-'];

/** Splits SQL text into tokens; throws a {@link SqlSyntaxError} at the first character it cannot read. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < sql.length) {
    const c = sql[at]!;
    if (/\s/.test(c)) {
      at++;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = at;
      while (at < sql.length && /[A-Za-z0-9_]/.test(sql[at]!)) at++;
      tokens.push({ kind: 'word', text: sql.slice(start, at), position: start });
    } else if (/[0-9]/.test(c)) {
      const start = at;
      while (at < sql.length && /[0-9]/.test(sql[at]!)) at++;
      if (sql[at] === '.' && /[0-9]/.test(sql[at + 1] ?? '')) {
        at++;
        while (at < sql.length && /[0-9]/.test(sql[at]!)) at++;
      }
      tokens.push({ kind: 'number', text: sql.slice(start, at), position: start });
    } else if (c === "'") {
      // A quote inside a string is written twice: 'it''s'.
      const start = at;
      let text = '';
      at++;
      for (;;) {
        if (at >= sql.length) throw new SqlSyntaxError(sql, start, 'a closing quote for this string', 'end of input');
        if (sql[at] === "'") {
          if (sql[at + 1] === "'") {
            text += "'";
            at += 2;
            continue;
          }
          at++;
          break;
        }
        text += sql[at];
        at++;
      }
      tokens.push({ kind: 'string', text, position: start });
    } else {
      const symbol = SYMBOLS.find((s) => sql.startsWith(s, at));
      if (symbol === undefined) throw new SqlSyntaxError(sql, at, 'a word, number, string or symbol', JSON.stringify(c));
      tokens.push({ kind: 'symbol', text: symbol, position: at });
      at += symbol.length;
    }
  }
  tokens.push({ kind: 'end', text: '', position: sql.length });
  return tokens;
}

/** A recursive-descent parser over the token list: one method per grammar rule. */
class Parser {
  private readonly tokens: Token[];
  private at = 0;
  /** How many "(" and NOT levels enclose the current token. */
  private depth = 0;

  constructor(private readonly sql: string) {
    this.tokens = tokenize(sql);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!;
  }

  private fail(expected: string): never {
    const token = this.peek();
    const found = token.kind === 'end' ? 'end of input' : token.kind === 'string' ? `'${token.text}'` : `"${token.text}"`;
    throw new SqlSyntaxError(this.sql, token.position, expected, found);
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && token.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.at++;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(word);
  }

  private acceptSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token.kind !== 'symbol' || token.text !== symbol) return false;
    this.at++;
    return true;
  }

  private expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) this.fail(`"${symbol}"`);
  }

  /** A name that is not a keyword. */
  private name(what: string): string {
    const token = this.peek();
    if (token.kind !== 'word' || KEYWORDS.has(token.text.toUpperCase())) this.fail(what);
    this.at++;
    return token.text;
  }

  private columnRef(): string {
    const first = this.name('a column name');
    if (this.acceptSymbol('.')) return `${first}.${this.name('a column name after "."')}`;
    return first;
  }

  statement(): SelectStatement {
    this.expectKeyword('SELECT');
    const select = this.selectList();
    this.expectKeyword('FROM');
    const from = this.tableRef();
    const joins: JoinClause[] = [];
    while (this.acceptKeyword('JOIN')) {
      const table = this.tableRef();
      this.expectKeyword('ON');
      joins.push({ table, on: this.expr() });
    }
    const where = this.acceptKeyword('WHERE') ? this.expr() : undefined;
    const groupBy: string[] = [];
    if (this.acceptKeyword('GROUP')) {
      this.expectKeyword('BY');
      do groupBy.push(this.columnRef());
      while (this.acceptSymbol(','));
    }
    const orderBy: OrderTerm[] = [];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do orderBy.push(this.orderTerm());
      while (this.acceptSymbol(','));
    }
    let limit: number | undefined;
    if (this.acceptKeyword('LIMIT')) {
      const token = this.peek();
      if (token.kind !== 'number' || !/^[0-9]+$/.test(token.text)) this.fail('a whole number after LIMIT');
      limit = Number(token.text);
      this.at++;
    }
    this.acceptSymbol(';');
    if (this.peek().kind !== 'end') this.fail('end of statement');
    return { select, from, joins, where, groupBy, orderBy, limit };
  }

  private selectList(): SelectItem[] {
    if (this.acceptSymbol('*')) return [{ kind: 'star' }];
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptSymbol(','));
    return items;
  }

  /** True when the next tokens are a function call: a word, then "(". */
  private atCall(): boolean {
    const next = this.peek(1);
    return this.peek().kind === 'word' && next.kind === 'symbol' && next.text === '(';
  }

  /** `function ( column | * )`; the function's name in any case, `*` only for count. */
  private aggregateCall(): { fn: AggregateFunction; column: string | undefined } {
    const fn = this.peek().text.toLowerCase();
    if (!FUNCTIONS.includes(fn)) this.fail(`an aggregate function (${FUNCTIONS.join(', ')})`);
    this.at += 2;
    let column: string | undefined;
    if (this.acceptSymbol('*')) {
      if (fn !== 'count') throw new SqlSyntaxError(this.sql, this.peek(-1).position, `a column (only count takes *)`, '"*"');
    } else {
      column = this.columnRef();
    }
    this.expectSymbol(')');
    return { fn: fn as AggregateFunction, column };
  }

  private selectItem(): SelectItem {
    if (this.atCall()) {
      const { fn, column } = this.aggregateCall();
      const as = this.acceptKeyword('AS') ? this.name('a name after AS') : undefined;
      return { kind: 'aggregate', fn, column, as };
    }
    const column = this.columnRef();
    const as = this.acceptKeyword('AS') ? this.name('a name after AS') : undefined;
    return { kind: 'column', column, as };
  }

  private tableRef(): TableRef {
    const table = this.name('a table name');
    this.acceptKeyword('AS');
    const token = this.peek();
    if (token.kind === 'word' && !KEYWORDS.has(token.text.toUpperCase())) {
      this.at++;
      return { table, alias: token.text };
    }
    return { table, alias: table };
  }

  private orderTerm(): OrderTerm {
    const term = this.atCall() ? { kind: 'aggregate' as const, ...this.aggregateCall() } : { kind: 'column' as const, column: this.columnRef() };
    const descending = this.acceptKeyword('DESC');
    if (!descending) this.acceptKeyword('ASC');
    return { ...term, descending };
  }

  private expr(): Expr {
    let left = this.andExpr();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.andExpr() };
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.notExpr() };
    return left;
  }

  /**
   * Runs `parse` one level of nesting deeper: each "(" and each NOT opens a level. Past
   * MAX_NESTING open levels it is a syntax error at the token that opens one too many, before
   * the recursion could overflow the stack.
   */
  private nested<T>(parse: () => T): T {
    if (this.depth === MAX_NESTING) this.fail(`at most ${MAX_NESTING} nested parentheses and NOTs`);
    this.depth++;
    const result = parse();
    this.depth--;
    return result;
  }

  private notExpr(): Expr {
    if (this.isKeyword('NOT')) {
      return this.nested(() => {
        this.at++;
        return { kind: 'not', operand: this.notExpr() };
      });
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.operand();
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      this.expectKeyword('NULL');
      return { kind: 'isNull', operand: left, negated };
    }
    const token = this.peek();
    if (token.kind === 'symbol' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      this.at++;
      const op = (token.text === '!=' ? '<>' : token.text) as CompareOp;
      return { kind: 'compare', op, left, right: this.operand() };
    }
    return left;
  }

  private operand(): Expr {
    const token = this.peek();
    if (token.kind === 'number') {
      this.at++;
      return { kind: 'literal', value: Number(token.text) };
    }
    if (token.kind === 'symbol' && token.text === '-' && this.peek(1).kind === 'number') {
      this.at += 2;
      return { kind: 'literal', value: -Number(this.peek(-1).text) };
    }
    if (token.kind === 'string') {
      this.at++;
      return { kind: 'literal', value: token.text };
    }
    if (this.acceptKeyword('NULL')) return { kind: 'literal', value: null };
    if (this.acceptKeyword('TRUE')) return { kind: 'literal', value: true };
    if (this.acceptKeyword('FALSE')) return { kind: 'literal', value: false };
    if (token.kind === 'symbol' && token.text === '(') {
      return this.nested(() => {
        this.at++;
        const inner = this.expr();
        this.expectSymbol(')');
        return inner;
      });
    }
    if (token.kind === 'word' && !KEYWORDS.has(token.text.toUpperCase())) return { kind: 'column', name: this.columnRef() };
    return this.fail('a column, a number, a string, TRUE, FALSE, NULL or "("');
  }
}

/**
 * Parses one `SELECT` statement of the subset above into a {@link SelectStatement}. Keywords
 * may be in any case; names keep theirs. Throws a {@link SqlSyntaxError} whose `position` is
 * the offset of the first token that does not fit (the text's length at its end; the opening
 * quote of an unterminated string; the character itself if no token starts there), and whose
 * `expected` says what would have fitted, naming the keyword when one was required (`FROM`).
 * An unknown function (`median(x)`) is a syntax error in the select list and in `ORDER BY`
 * alike. The "(" or NOT that would open nesting level `MAX_NESTING + 1` is a syntax error at its
 * offset whose `expected` names the limit, never a stack overflow.
 */
export function parseSql(sql: string): SelectStatement {
  return new Parser(sql).statement();
}
