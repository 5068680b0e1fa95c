/**
 * A small, safe arithmetic language over metric names, used by constraints and by the balance
 * efficiency E. Parsed once into an AST and evaluated by walking it: no eval, no Function, no
 * property access, so a hostile space file can compute numbers and nothing else.
 *
 *   expr    := sum
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := '-' unary | power
 *   power   := primary (('^' | '**') unary)?
 *   primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
 */
import { ExpressionError } from '../errors.js';

export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'neg'; readonly arg: Expr }
  | { readonly kind: 'bin'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr[] };

type Fn = { readonly arity: number | 'variadic'; readonly apply: (...xs: number[]) => number };

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  log: { arity: 1, apply: Math.log },
  ln: { arity: 1, apply: Math.log },
  log2: { arity: 1, apply: Math.log2 },
  log10: { arity: 1, apply: Math.log10 },
  exp: { arity: 1, apply: Math.exp },
  sqrt: { arity: 1, apply: Math.sqrt },
  abs: { arity: 1, apply: Math.abs },
  min: { arity: 'variadic', apply: Math.min },
  max: { arity: 'variadic', apply: Math.max },
};

export const EXPRESSION_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);
const MAX_LENGTH = 1000;
const MAX_DEPTH = 64;

type Token = { kind: 'num'; value: number; pos: number } | { kind: 'name'; value: string; pos: number } | { kind: 'op'; value: string; pos: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/^(),]))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new ExpressionError(`unexpected character '${text.slice(pos).trim()[0]}' at position ${pos + 1} in "${text}"`);
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? '').length;
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]), pos: at });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', value: m[2], pos: at });
    else tokens.push({ kind: 'op', value: m[3]!, pos: at });
    pos = re.lastIndex;
  }
  return tokens;
}

/** Parse `text` into an AST. Throws ExpressionError naming the position of the problem. */
export function parseExpression(text: string): Expr {
  if (text.length > MAX_LENGTH) throw new ExpressionError(`expression longer than ${MAX_LENGTH} characters`);
  const tokens = tokenize(text);
  let i = 0;
  let depth = 0;
  const peek = (): Token | undefined => tokens[i];
  const fail = (what: string): never => {
    const t = peek();
    throw new ExpressionError(`${what} ${t ? `at position ${t.pos + 1} ('${t.value}')` : 'at end'} in "${text}"`);
  };
  const isOp = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === 'op' && t.value === v;
  };
  const nested = <T>(f: () => T): T => {
    if (++depth > MAX_DEPTH) fail(`expression nested deeper than ${MAX_DEPTH}`);
    try {
      return f();
    } finally {
      depth--;
    }
  };

  const sum = (): Expr =>
    nested(() => {
      let left = product();
      while (isOp('+') || isOp('-')) {
        const op = tokens[i++]!.value as '+' | '-';
        left = { kind: 'bin', op, left, right: product() };
      }
      return left;
    });
  const product = (): Expr => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = tokens[i++]!.value as '*' | '/';
      left = { kind: 'bin', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr =>
    nested(() => {
      if (isOp('-')) {
        i++;
        return { kind: 'neg', arg: unary() };
      }
      if (isOp('+')) {
        i++;
        return unary();
      }
      return power();
    });
  const power = (): Expr => {
    const base = primary();
    if (isOp('^') || isOp('**')) {
      i++;
      return { kind: 'bin', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const primary = (): Expr => {
    const t = peek();
    if (!t) return fail('expected a number, a name or "("');
    if (t.kind === 'num') {
      i++;
      return { kind: 'num', value: t.value };
    }
    if (t.kind === 'name') {
      i++;
      if (!isOp('(')) return { kind: 'var', name: t.value };
      // Own properties only: `constructor`, `__proto__` or `toString` must not reach Object.prototype.
      const fn = Object.hasOwn(FUNCTIONS, t.value) ? FUNCTIONS[t.value] : undefined;
      if (!fn) throw new ExpressionError(`unknown function '${t.value}' in "${text}"; known: ${EXPRESSION_FUNCTIONS.join(', ')}`);
      i++;
      const args: Expr[] = [sum()];
      while (isOp(',')) {
        i++;
        args.push(sum());
      }
      if (!isOp(')')) fail('expected ")"');
      i++;
      if (fn.arity !== 'variadic' && args.length !== fn.arity) {
        throw new ExpressionError(`${t.value}() takes ${fn.arity} argument(s), got ${args.length} in "${text}"`);
      }
      return { kind: 'call', fn: t.value, args };
    }
    if (t.value === '(') {
      i++;
      const inner = sum();
      if (!isOp(')')) fail('expected ")"');
      i++;
      return inner;
    }
    return fail('expected a number, a name or "("');
  };

  if (tokens.length === 0) throw new ExpressionError('empty expression');
  const ast = sum();
  if (i < tokens.length) fail('unexpected token');
  return ast;
}

/** The variable names an expression reads, in first-use order. */
export function expressionNames(ast: Expr): string[] {
  const out: string[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'var':
        if (!out.includes(e.name)) out.push(e.name);
        return;
      case 'neg':
        return walk(e.arg);
      case 'bin':
        walk(e.left);
        return walk(e.right);
      case 'call':
        return e.args.forEach(walk);
      case 'num':
        return;
    }
  };
  walk(ast);
  return out;
}

/**
 * Evaluate with variables from `vars`. An unknown name throws ExpressionError listing the known
 * names; the result may be non-finite (log of 0, say) and callers decide what that means.
 */
export function evaluateExpression(ast: Expr, vars: Readonly<Record<string, number>>): number {
  switch (ast.kind) {
    case 'num':
      return ast.value;
    case 'var': {
      const v = Object.prototype.hasOwnProperty.call(vars, ast.name) ? vars[ast.name] : undefined;
      if (typeof v !== 'number') {
        throw new ExpressionError(`unknown name '${ast.name}'; known: ${Object.keys(vars).join(', ') || '(none)'}`);
      }
      return v;
    }
    case 'neg':
      return -evaluateExpression(ast.arg, vars);
    case 'bin':
      return applyBinary(ast.op, evaluateExpression(ast.left, vars), evaluateExpression(ast.right, vars));
    case 'call':
      return FUNCTIONS[ast.fn]!.apply(...ast.args.map((x) => evaluateExpression(x, vars)));
  }
}

function applyBinary(op: '+' | '-' | '*' | '/' | '^', a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      return a ** b;
  }
}

/** Convenience: parse and evaluate in one step. */
export function evaluate(text: string, vars: Readonly<Record<string, number>>): number {
  return evaluateExpression(parseExpression(text), vars);
}
