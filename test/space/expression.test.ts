import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ExpressionError } from '../../src/errors.js';
import { evaluate, expressionNames, parseExpression } from '../../src/space/index.js';

const rejects = (text: string, pattern: RegExp, vars: Record<string, number> = {}): void => {
  try {
    evaluate(text, vars);
  } catch (err) {
    assert.instance(err, ExpressionError, `${JSON.stringify(text.slice(0, 40))} threw ${String(err)}`);
    assert.match((err as Error).message, pattern);
    return;
  }
  assert.unreachable(`${JSON.stringify(text.slice(0, 40))} should have been rejected`);
};

test('arithmetic, precedence and associativity', () => {
  assert.is(evaluate('1 + 2 * 3', {}), 7);
  assert.is(evaluate('(1 + 2) * 3', {}), 9);
  assert.is(evaluate('10 - 4 - 3', {}), 3, 'left-associative minus');
  assert.is(evaluate('2 ^ 3 ^ 2', {}), 512, 'right-associative power');
  assert.is(evaluate('2 ** 3', {}), 8);
  assert.is(evaluate('-2 ^ 2', {}), -4, 'unary minus binds looser than power');
  assert.is(evaluate('2 ^ -1', {}), 0.5);
  assert.is(evaluate('8 / 4 / 2', {}), 1);
  assert.is(evaluate('1.5e3 + .5', {}), 1500.5);
});

test('functions and metric names', () => {
  const m = { accuracy: 0.9, size_bits: 1024 };
  assert.ok(Math.abs(evaluate('accuracy - 0.005 * log2(size_bits)', m) - (0.9 - 0.05)) < 1e-15);
  assert.is(evaluate('min(3, accuracy, 7)', m), 0.9);
  assert.is(evaluate('max(1, 2, 3, 4)', {}), 4);
  assert.is(evaluate('exp(log(5))', {}), 5);
  assert.is(evaluate('log10(1000) + ln(1) + sqrt(16) + abs(-2)', {}), 9);
  assert.equal(expressionNames(parseExpression('a + b * log2(a) - c')), ['a', 'b', 'c']);
  assert.is(evaluate('log2(0)', {}), -Infinity, 'non-finite results are returned; callers decide');
});

test('unknown names and functions are clear errors', () => {
  rejects('accuracy + x', /unknown name 'x'; known: accuracy/, { accuracy: 1 });
  rejects('y', /unknown name 'y'; known: \(none\)/);
  rejects('sin(1)', /unknown function 'sin'.*known: log, ln, log2/);
  rejects('log(1, 2)', /log\(\) takes 1 argument\(s\), got 2/);
  rejects('min()', /expected a number, a name or "\("/);
});

test('prototype names are neither variables nor functions', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype']) {
    rejects(name, new RegExp(`unknown name '${name}'`), { accuracy: 1 });
    rejects(`${name}(1)`, new RegExp(`unknown function '${name}'`));
  }
  // A metric record whose prototype carries a number is not read through the prototype.
  const inherited = Object.create({ leaked: 5 }) as Record<string, number>;
  rejects('leaked', /unknown name 'leaked'/, inherited);
});

test('code-like input cannot do anything but fail to parse', () => {
  for (const name of ['eval', 'Function', 'require', 'import', 'process', 'globalThis', 'this']) {
    rejects(`${name}(1)`, /unknown function/);
    rejects(name, /unknown name/);
  }
  rejects('accuracy.constructor', /unexpected character '\.'/, { accuracy: 1 });
  rejects('a[0]', /unexpected character '\['/);
  rejects('"x"', /unexpected character '"'/);
  rejects('`${1}`', /unexpected character '`'/);
  rejects('1; 2', /unexpected character ';'/);
  rejects('x => 1', /unexpected character '='/);
  rejects('0x10', /unexpected token/);
  rejects('1 +', /at end/);
  rejects('(1', /expected "\)"/);
  rejects('', /empty expression/);
  rejects('   ', /empty expression/);
  rejects('1 ∗ 2', /unexpected character/);
});

test('unary plus and minus; errors name the position of the offending token, after any spaces', () => {
  assert.is(evaluate('+3', {}), 3);
  assert.is(evaluate('-+2', {}), -2);
  assert.is(evaluate('2 * -x', { x: 4 }), -8);
  rejects('a  b', /unexpected .* at position 4 \('b'\)/, { a: 1, b: 2 });
  rejects('1 +   2 3', /at position 9 \('3'\)/);
  rejects('(acc ,', /at position 6 \(','\)/, { acc: 1 });
  rejects('x # 2', /unexpected character '#' at position 2/, { x: 1 });
});

test('huge and deeply nested input is refused without exhausting the stack', () => {
  rejects('1+'.repeat(600) + '1', /longer than 1000 characters/);
  rejects('('.repeat(200) + '1' + ')'.repeat(200), /nested deeper than 64/);
  rejects('-'.repeat(500) + '1', /nested deeper than 64/);
  rejects(Array.from({ length: 100 }, () => '2').join('^'), /nested deeper than 64/);
  rejects('log('.repeat(100) + '1' + ')'.repeat(100), /nested deeper than 64/);
  // Long but flat is fine: sums and products are loops, not recursion.
  assert.is(evaluate('1+'.repeat(499) + '1', {}), 500);
  assert.is(evaluate('('.repeat(30) + '1' + ')'.repeat(30), {}), 1);
  assert.is(evaluate('1e999', {}), Infinity);
});

test.run();
