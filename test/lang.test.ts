// The program language: parser, checker, formatter.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parse, MAX_DEPTH } from '../lib/lang/parser';
import { check, type CheckContext } from '../lib/lang/check';
import { formatExpr, formatProgram, formatStmt } from '../lib/lang/format';
import type { Expr, LangError, Program, Stmt } from '../lib/lang/ast';
import { MECHANISMS, MECHANISM_IDS, type MechanismId } from '../lib/mechanisms';
import { twoLinks } from '../lib/scenario';

// ---- helpers ---------------------------------------------------------------------------

/** A deep copy without `pos` keys (and without `id`s the checker fills). */
function strip<T>(x: T): T {
  if (Array.isArray(x)) return x.map(strip) as T;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (k !== 'pos' && k !== 'id') out[k] = strip(v);
    return out as T;
  }
  return x;
}

function ok(source: string): Program {
  const { program, errors } = parse(source);
  assert.deepEqual(errors, [], `unexpected errors for:\n${source}`);
  return program;
}

function one(source: string): Stmt {
  const p = ok(source);
  assert.equal(p.body.length, 1);
  return strip(p.body[0]);
}

function expr(source: string): Expr {
  const s = one(`print ${source}`);
  assert.equal(s.kind, 'print');
  return (s as { value: Expr }).value;
}

const num = (value: number) => ({ kind: 'num', value }) as Expr;
const v = (name: string) => ({ kind: 'var', name }) as Expr;
const str = (...parts: (string | Expr)[]) => ({ kind: 'str', parts }) as Expr;
const bin = (op: string, left: Expr, right: Expr) => ({ kind: 'binary', op, left, right }) as Expr;
const un = (op: '-' | 'not', arg: Expr) => ({ kind: 'unary', op, arg }) as Expr;
const ch = (name: string) => ({ name });

function errorsOf(source: string): LangError[] {
  return parse(source).errors;
}

/** The first error, as `line:col message`. */
function firstError(source: string): string {
  const e = errorsOf(source);
  assert.ok(e.length > 0, `expected an error for:\n${source}`);
  return `${e[0].line}:${e[0].col} ${e[0].message}`;
}

// A scenario: writer, reader, logger and one channel of every mechanism.
const processes = [
  { id: 'p1', name: 'writer' },
  { id: 'p2', name: 'reader' },
  { id: 'p3', name: 'logger' },
];
const channels: CheckContext['channels'] = [
  { id: 'c1', mechanism: 'pipe', links: twoLinks('p1', 'p2') },
  { id: 'c2', mechanism: 'pipe', links: twoLinks('p2', 'p1') },
  { id: 'c3', label: 'log', mechanism: 'pipe', links: twoLinks('p2', 'p3') },
  { id: 'c4', label: 'mem', mechanism: 'shm-posix', links: twoLinks('p1', 'p2'), options: { size: 64 } },
  { id: 'c5', label: 'sig', mechanism: 'signal', links: twoLinks('p1', 'p2'), options: { signal: 'SIGUSR2' } },
  { id: 'c6', label: 'sem', mechanism: 'sem-named', links: twoLinks('p1', 'p2') },
  { id: 'c7', label: 'q', mechanism: 'mq-sysv', links: twoLinks('p1', 'p2') },
  { id: 'c8', label: 'pq', mechanism: 'mq-posix', links: twoLinks('p1', 'p2'), options: { msgsize: 16 } },
  { id: 'c10', label: 'net', mechanism: 'tcp', links: twoLinks('p1', 'p2') },
  { id: 'c11', label: 'dg', mechanism: 'udp', links: twoLinks('p1', 'p2') },
  { id: 'c12', label: 'f', mechanism: 'file', links: twoLinks('p1', 'p2') },
  { id: 'c13', label: 'fifo-1', mechanism: 'fifo', links: twoLinks('p1', 'p2') },
  { id: 'c14', label: 'us', mechanism: 'unix-stream', links: twoLinks('p1', 'p2') },
  { id: 'c15', label: 'ud', mechanism: 'unix-dgram', links: twoLinks('p1', 'p2') },
  { id: 'c16', label: 'usem', mechanism: 'sem-unnamed', links: twoLinks('p1', 'p2') },
  { id: 'c17', label: 'anon', mechanism: 'shm-anon', links: twoLinks('p1', 'p2') },
];
const ctxFor = (self: string, messageBytes?: number): CheckContext => ({ self, processes, channels, messageBytes });

/** Parse (no errors allowed) then check as `self`; returns the checker's messages. */
function checkAs(self: string, source: string, messageBytes?: number): LangError[] {
  const { program, errors } = parse(source);
  assert.deepEqual(errors, [], `parse errors for:\n${source}`);
  return check(program, ctxFor(self, messageBytes));
}
function checkMsgs(self: string, source: string, messageBytes?: number): string[] {
  return checkAs(self, source, messageBytes).map((e) => `${e.line}:${e.col} ${e.message}`);
}
function assertChecks(self: string, source: string) {
  assert.deepEqual(checkMsgs(self, source), [], `check errors for:\n${source}`);
}
function assertCheckError(self: string, source: string, re: RegExp, at?: string) {
  const errs = checkAs(self, source);
  const hit = errs.find((e) => re.test(e.message));
  assert.ok(hit, `expected an error matching ${re} for:\n${source}\ngot: ${JSON.stringify(errs)}`);
  if (at) assert.equal(`${hit!.line}:${hit!.col}`, at, `position of: ${hit!.message}`);
}

// ---- statements ------------------------------------------------------------------------

describe('statements parse to the AST', () => {
  const cases: [string, unknown][] = [
    ['print "hi"', { kind: 'print', value: str('hi') }],
    ['send c1 "hello"', { kind: 'send', channel: ch('c1'), data: str('hello') }],
    ['send sig', { kind: 'send', channel: ch('sig') }],
    ['send q "x" type 2', { kind: 'send', channel: ch('q'), data: str('x'), mtype: num(2) }],
    ['send q type 3', { kind: 'send', channel: ch('q'), mtype: num(3) }],
    ['send pq "x" priority 5', { kind: 'send', channel: ch('pq'), data: str('x'), priority: num(5) }],
    ['send pq "x" priority 1 type 2', { kind: 'send', channel: ch('pq'), data: str('x'), mtype: num(2), priority: num(1) }],
    ['send my-pipe-2 n + 1', { kind: 'send', channel: ch('my-pipe-2'), data: bin('+', v('n'), num(1)) }],
    ['recv c1', { kind: 'recv', channel: ch('c1') }],
    ['recv c1 5 as msg', { kind: 'recv', channel: ch('c1'), size: num(5), into: 'msg' }],
    ['recv c1 as msg', { kind: 'recv', channel: ch('c1'), into: 'msg' }],
    ['recv q type 0 as m', { kind: 'recv', channel: ch('q'), mtype: num(0), into: 'm' }],
    ['recv q 100 type 2', { kind: 'recv', channel: ch('q'), size: num(100), mtype: num(2) }],
    ['write mem "hello"', { kind: 'write', channel: ch('mem'), data: str('hello') }],
    ['write mem "hello" at 16', { kind: 'write', channel: ch('mem'), data: str('hello'), offset: num(16) }],
    ['read mem 5 as t', { kind: 'read', channel: ch('mem'), length: num(5), into: 't' }],
    ['read mem 5 at 0x10 as t', { kind: 'read', channel: ch('mem'), length: num(5), offset: num(16), into: 't' }],
    ['close c1', { kind: 'close', channel: ch('c1') }],
    ['lock f', { kind: 'lock', channel: ch('f') }],
    ['unlock f', { kind: 'unlock', channel: ch('f') }],
    ['wait sem', { kind: 'wait', channel: ch('sem') }],
    ['post sem', { kind: 'post', channel: ch('sem') }],
    ['trywait sem', { kind: 'trywait', channel: ch('sem'), into: 'ok' }],
    ['trywait sem as got', { kind: 'trywait', channel: ch('sem'), into: 'got' }],
    ['signal child SIGUSR1', { kind: 'signal', target: { name: 'child' }, signal: 'SIGUSR1' }],
    ['signal child USR2', { kind: 'signal', target: { name: 'child' }, signal: 'SIGUSR2' }],
    ['signal worker-2 term', { kind: 'signal', target: { name: 'worker-2' }, signal: 'SIGTERM' }],
    ['pause', { kind: 'pause' }],
    ['sleep 500', { kind: 'sleep', ms: num(500) }],
    ['set x = 1', { kind: 'set', name: 'x', value: num(1) }],
    ['exit', { kind: 'exit' }],
    ['exit 3', { kind: 'exit', code: num(3) }],
    ['forever {\n  break\n}', { kind: 'forever', body: [{ kind: 'break' }] }],
    ['repeat 3 {\n  print i\n}', { kind: 'repeat', count: num(3), counter: 'i', body: [{ kind: 'print', value: v('i') }] }],
    ['repeat n as k {\n}', { kind: 'repeat', count: v('n'), counter: 'k', body: [] }],
    ['while n < 3 {\n  set n = n + 1\n}', {
      kind: 'while', cond: bin('<', v('n'), num(3)), body: [{ kind: 'set', name: 'n', value: bin('+', v('n'), num(1)) }],
    }],
    ['while recv c1 as m {\n  print m\n}', {
      kind: 'whileRecv', recv: { kind: 'recv', channel: ch('c1'), into: 'm' }, body: [{ kind: 'print', value: v('m') }],
    }],
    ['while recv q 64 type 2 as m { print m }', {
      kind: 'whileRecv', recv: { kind: 'recv', channel: ch('q'), size: num(64), mtype: num(2), into: 'm' }, body: [{ kind: 'print', value: v('m') }],
    }],
    ['if x {\n  print 1\n}', { kind: 'if', cond: v('x'), then: [{ kind: 'print', value: num(1) }] }],
    ['if x {\n  print 1\n} else {\n  print 2\n}', {
      kind: 'if', cond: v('x'), then: [{ kind: 'print', value: num(1) }], else: [{ kind: 'print', value: num(2) }],
    }],
    ['if x {\n  print 1\n} else if y {\n  print 2\n} else {\n  print 3\n}', {
      kind: 'if', cond: v('x'), then: [{ kind: 'print', value: num(1) }],
      else: [{ kind: 'if', cond: v('y'), then: [{ kind: 'print', value: num(2) }], else: [{ kind: 'print', value: num(3) }] }],
    }],
    ['if x {\n  print 1\n}\nelse {\n  print 2\n}', {
      kind: 'if', cond: v('x'), then: [{ kind: 'print', value: num(1) }], else: [{ kind: 'print', value: num(2) }],
    }],
    ['if x { print 1 } else { print 2 }', {
      kind: 'if', cond: v('x'), then: [{ kind: 'print', value: num(1) }], else: [{ kind: 'print', value: num(2) }],
    }],
    ['forever { }', { kind: 'forever', body: [] }],
    ['repeat 2 { if i == 2 { break } }', {
      kind: 'repeat', count: num(2), counter: 'i', body: [{ kind: 'if', cond: bin('==', v('i'), num(2)), then: [{ kind: 'break' }] }],
    }],
  ];
  for (const [src, want] of cases) {
    test(JSON.stringify(src), () => assert.deepEqual(one(src), want));
  }

  test('on SIGNAL handlers go to Program.handlers', () => {
    const p = ok('on SIGUSR1 {\n  print "a"\n}\non usr2 { print "b" }\non INT { }\nprint "main"');
    assert.deepEqual(strip(p.handlers), [
      { signal: 'SIGUSR1', body: [{ kind: 'print', value: str('a') }] },
      { signal: 'SIGUSR2', body: [{ kind: 'print', value: str('b') }] },
      { signal: 'SIGINT', body: [] },
    ]);
    assert.equal(p.body.length, 1);
  });

  test('positions: statement keyword, expression start, channel', () => {
    const p = ok('# comment\n  send c1 "x"   # trailing\n\nrepeat 2 {\n\tprint 1 + x\n}');
    const send = p.body[0] as Extract<Stmt, { kind: 'send' }>;
    assert.deepEqual(send.pos, { line: 2, col: 3 });
    assert.deepEqual(send.channel.pos, { line: 2, col: 8 });
    assert.deepEqual(send.data!.pos, { line: 2, col: 11 });
    const rep = p.body[1] as Extract<Stmt, { kind: 'repeat' }>;
    assert.deepEqual(rep.pos, { line: 4, col: 1 });
    const pr = rep.body[0] as Extract<Stmt, { kind: 'print' }>;
    assert.deepEqual(pr.pos, { line: 5, col: 2 });
    assert.deepEqual(pr.value.pos, { line: 5, col: 8 }); // binary: where its left side starts
    assert.deepEqual((pr.value as Extract<Expr, { kind: 'binary' }>).right.pos, { line: 5, col: 12 });
  });

  test('comments, blank lines and CRLF line ends', () => {
    const p = ok('# only a comment\r\n\r\nprint 1 # one\r\n   \r\nprint "# not a comment"\r\n');
    assert.deepEqual(strip(p.body), [{ kind: 'print', value: num(1) }, { kind: 'print', value: str('# not a comment') }]);
  });
});

// ---- expressions -----------------------------------------------------------------------

describe('expressions', () => {
  test('precedence: * / % over + - over comparisons over == != over and over or', () => {
    assert.deepEqual(expr('1 + 2 * 3'), bin('+', num(1), bin('*', num(2), num(3))));
    assert.deepEqual(expr('1 - 2 - 3'), bin('-', bin('-', num(1), num(2)), num(3)));
    assert.deepEqual(expr('8 / 4 % 3'), bin('%', bin('/', num(8), num(4)), num(3)));
    assert.deepEqual(expr('a + 1 < b * 2'), bin('<', bin('+', v('a'), num(1)), bin('*', v('b'), num(2))));
    assert.deepEqual(expr('a < b == c >= d'), bin('==', bin('<', v('a'), v('b')), bin('>=', v('c'), v('d'))));
    assert.deepEqual(expr('a == 1 and b != 2 or c'), bin('or', bin('and', bin('==', v('a'), num(1)), bin('!=', v('b'), num(2))), v('c')));
    assert.deepEqual(expr('a or b and c'), bin('or', v('a'), bin('and', v('b'), v('c'))));
    assert.deepEqual(expr('(1 + 2) * 3'), bin('*', bin('+', num(1), num(2)), num(3)));
    assert.deepEqual(expr('a <= b'), bin('<=', v('a'), v('b')));
    assert.deepEqual(expr('a > b'), bin('>', v('a'), v('b')));
  });

  test('unary minus and not bind tightest', () => {
    assert.deepEqual(expr('-x * 2'), bin('*', un('-', v('x')), num(2)));
    assert.deepEqual(expr('not a and b'), bin('and', un('not', v('a')), v('b')));
    assert.deepEqual(expr('not (a and b)'), un('not', bin('and', v('a'), v('b'))));
    assert.deepEqual(expr('- -1'), un('-', un('-', num(1))));
    assert.deepEqual(expr('2 - -1'), bin('-', num(2), un('-', num(1))));
  });

  test('numbers: decimal and 0x hex', () => {
    assert.deepEqual(expr('0x1F'), num(31));
    assert.deepEqual(expr('0'), num(0));
    assert.deepEqual(expr('1234567'), num(1234567));
  });

  test('strings: escapes', () => {
    assert.deepEqual(expr('"a\\nb\\tc\\"d\\\\e\\{f\\}g"'), str('a\nb\tc"d\\e{f}g'));
    assert.deepEqual(expr('""'), str(''));
    assert.deepEqual(expr('"a } b"'), str('a } b'));
  });

  test('strings: {expr} interpolation alternates text and expressions', () => {
    assert.deepEqual(expr('"got {reply}"'), str('got ', v('reply'), ''));
    assert.deepEqual(expr('"{a}{b}"'), str('', v('a'), '', v('b'), ''));
    assert.deepEqual(expr('"n={n * 2 + 1}!"'), str('n=', bin('+', bin('*', v('n'), num(2)), num(1)), '!'));
    const p = ok('print "x {abc} y"');
    const s = (p.body[0] as Extract<Stmt, { kind: 'print' }>).value as Extract<Expr, { kind: 'str' }>;
    assert.deepEqual((s.parts[1] as Expr).pos, { line: 1, col: 11 });
  });

  test('keywords are not variables', () => {
    assert.match(firstError('print type'), /^1:7 'type' is a keyword/);
    assert.match(firstError('set as = 1'), /^1:5 'as' is a keyword and cannot name a variable/);
    assert.match(firstError('recv c1 as priority'), /^1:12 'priority' is a keyword/);
    assert.match(firstError('print recv'), /^1:7 'recv' is a statement, not a value/);
  });
});

// ---- syntax errors ---------------------------------------------------------------------

describe('syntax errors', () => {
  test('unclosed string', () => {
    assert.equal(firstError('print "abc'), '1:7 unclosed string: add " before the end of the line');
    assert.equal(firstError('print 1\nsend c1 "x\nprint 2'), '2:9 unclosed string: add " before the end of the line');
  });

  test('bad escape and unclosed { in a string', () => {
    assert.match(firstError('print "a\\qb"'), /^1:9 unknown escape \\q/);
    assert.match(firstError('print "a {x"'), /^1:10 '\{' in a string starts \{expression\}/);
    assert.match(firstError('print "a {}"'), /^1:11 empty \{\} in a string/);
    assert.match(firstError('print "a {1 +}"'), /^1:14 expected a value/);
  });

  test('missing }', () => {
    assert.equal(firstError('repeat 3 {\n  print 1\n'), "1:10 missing '}': the repeat block opened here is never closed");
    assert.equal(firstError('print 0\nif x {\n  forever {\n    print 1\n  }\n'), "2:6 missing '}': the if block opened here is never closed");
    assert.match(firstError('on SIGINT { print 1'), /^1:11 missing '}': a one-line on block/);
    assert.match(firstError('repeat 3\n  print 1\n'), /^1:9 expected '\{' at the end of the repeat line/);
  });

  test("stray }", () => {
    assert.equal(firstError('print 1\n}'), "2:1 unexpected '}': no block is open here");
  });

  test('unknown statement, with did-you-mean', () => {
    assert.equal(firstError('prnt "x"'), "1:1 unknown statement 'prnt' (did you mean print?)");
    assert.equal(firstError('  sned c1 "x"'), "1:3 unknown statement 'sned' (did you mean send?)");
    assert.match(firstError('frobnicate'), /^1:1 unknown statement 'frobnicate' \(statements: print, send/);
    assert.equal(firstError('x = 3'), '1:1 to give a variable a value write: set x = ...');
    assert.match(firstError('"hello"'), /^1:1 a line cannot start with a string/);
  });

  test('bad expressions', () => {
    assert.equal(firstError('print 1 +'), '1:10 expected a value, found the end of the line');
    assert.equal(firstError('print (1 + 2'), "1:13 expected ')' to close the '(' at column 7, found the end of the line");
    assert.equal(firstError('print 1 2'), "1:9 unexpected '2': one statement per line");
    assert.equal(firstError('print * 2'), "1:7 expected a value, found '*'");
    assert.equal(firstError('if x = 1 {\n}'), '1:6 use == to compare (= is only for set NAME = value)');
    assert.match(firstError('print 1.5'), /^1:7 '1.5': only whole numbers/);
    assert.match(firstError('print 12ab'), /^1:7 '12ab' is not a number/);
    assert.match(firstError("print 'x'"), /^1:7 unexpected character '''.*double quotes/);
    assert.match(firstError('print a && b'), /^1:9 unexpected character '&'.*and \/ or/);
    assert.match(firstError('print f(1)'), /^1:8 there are no functions/);
    assert.match(firstError('print 99999999999999999999'), /^1:7 number .* is too large/);
  });

  test('statement-specific errors', () => {
    assert.match(firstError('send'), /^1:5 send needs a channel/);
    assert.match(firstError('read mem 4'), /^1:11 read needs a variable/);
    assert.deepEqual(parse('while recv c1 65536 {\n}').errors, []);
    assert.match(firstError('set x 5'), /^1:7 expected '=' after set x/);
    assert.match(firstError('set my-var = 1'), /^1:7 variable names hold letters, digits and _/);
    assert.match(firstError('signal child'), /^1:13 signal needs a signal name/);
    assert.match(firstError('signal child 9'), /^1:14 write the signal by name/);
    assert.match(firstError('print 1 {'), /^1:9 unexpected '\{'/);
    assert.match(firstError('else {\n}'), /^1:1 else without if/);
    assert.match(firstError('repeat 2 {\n  on SIGINT { print 1 }\n}'), /^2:3 on SIGNAL \{ \} handlers go at the top level/);
    assert.match(firstError('send q "a" type 1 type 2'), /^1:19 'type' given twice/);
    assert.match(firstError('read mem as x'), /^1:10 read needs the number of bytes/);
    assert.match(firstError('forever {\n}  else {\n}'), /^2:4 unexpected 'else': else goes only right after the '\}' of an if block/);
    assert.match(firstError('print (1))'), /^1:10 unexpected '\)': no '\(' is open/);
    assert.match(firstError('send c1 "a" as x'), /^1:13 send takes no 'as'/);
    assert.match(firstError('print "a" "b"'), /^1:11 unexpected a string: one statement per line/);
  });

  test('one error per bad line, and parsing goes on', () => {
    const e = errorsOf('prnt 1\nprint 2\nsend\nprint (\nrepeat x y {\n  print 1\n}\nprint ok\nfoo bar');
    assert.deepEqual(e.map((x) => x.line), [1, 3, 4, 5, 9]);
    const { program } = parse('prnt 1\nprint 2\nrepeat x y {\n  print 1\n}\nprint 3');
    assert.deepEqual(strip(program.body), [{ kind: 'print', value: num(2) }, { kind: 'print', value: num(3) }]);
  });

  test('an error inside a block keeps the blocks balanced', () => {
    const { program, errors } = parse('repeat 2 {\n  prnt 1\n  if x y {\n    print 1\n  }\n  print 2\n}\nprint 3\non SIGINT { prnt 4 }\nprint 5');
    assert.deepEqual(errors.map((e) => e.line), [2, 3, 9]);
    assert.equal(program.body.length, 3);
    assert.deepEqual(strip((program.body[0] as Extract<Stmt, { kind: 'repeat' }>).body), [{ kind: 'print', value: num(2) }]);
    assert.equal(program.handlers.length, 1);
  });

  test('nesting is capped with a clear error', () => {
    const deep = Array.from({ length: 100 }, () => 'forever {').join('\n') + '\n' + Array.from({ length: 100 }, () => '}').join('\n');
    const e = errorsOf(deep);
    assert.equal(e.length, 1);
    assert.equal(e[0].line, MAX_DEPTH + 1);
    assert.match(e[0].message, /nested too deeply/);
    assert.match(firstError('print ' + '('.repeat(200) + '1' + ')'.repeat(200)), /expression nested too deeply/);
    assert.match(firstError('print ' + '-'.repeat(10000) + '1'), /expression nested too deeply/);
    assert.match(firstError('print ' + 'not '.repeat(100) + '1'), /expression nested too deeply/);
    // Inline blocks too.
    assert.match(firstError('forever { '.repeat(100) + 'pause' + ' }'.repeat(100)), /nested too deeply/);
    assert.match(firstError('if x { }' + ' else if x { }'.repeat(100)), /nested too deeply/);
    // Just under the cap is fine.
    ok(Array.from({ length: MAX_DEPTH }, () => 'forever {').join('\n') + '\n' + Array.from({ length: MAX_DEPTH }, () => '}').join('\n'));
  });

  test('a flood of errors is capped', () => {
    const e = errorsOf('@\n'.repeat(1000));
    assert.ok(e.length <= 101);
    assert.match(e[e.length - 1].message, /too many errors/);
  });
});

// ---- checker ---------------------------------------------------------------------------

describe('checker', () => {
  test('resolves channels by id or label and processes by id or name', () => {
    const { program } = parse('send c1 "a"\nwrite mem "x"\nsignal reader SIGINT\nsignal p3 SIGTERM');
    assert.deepEqual(check(program, ctxFor('p1')), []);
    const [s1, s2, s3, s4] = program.body as any[];
    assert.equal(s1.channel.id, 'c1');
    assert.equal(s2.channel.id, 'c4');
    assert.equal(s3.target.id, 'p2');
    assert.equal(s4.target.id, 'p3');
  });

  test('unknown channel', () => {
    assertCheckError('p1', 'send c99 "x"', /^unknown channel 'c99' \(channels: c1, c2, log \(c3\), mem \(c4\)/, '1:6');
    assertCheckError('p1', 'send fifo1 "x"', /^unknown channel 'fifo1': did you mean fifo-1\?/);
    const { program } = parse('send c9 "x"');
    const e = check(program, { self: 'p1', processes, channels: [{ id: 'c1', mechanism: 'pipe', links: twoLinks('p1', 'p2') }, { id: 'c2', mechanism: 'pipe', links: twoLinks('p2', 'p1') }] });
    assert.deepEqual(e, [{ line: 1, col: 6, message: "unknown channel 'c9' (channels: c1, c2)" }]);
  });

  test('process not an end of the channel', () => {
    const e = checkMsgs('p1', 'recv log as x');
    assert.deepEqual(e, ["1:6 process 'writer' is not linked to channel 'log' (it joins reader and logger): draw a link from writer to it"]);
  });

  test('wrong end of a one-way channel', () => {
    assertCheckError('p2', 'send c1 "x"', /^pipe 'c1' carries data from writer to reader: reader cannot send on it/, '1:1');
    assertCheckError('p1', 'recv c1 as m', /writer cannot recv on it/);
    assertCheckError('p1', 'recv dg as m', /^udp 'dg' carries data from writer to reader: writer cannot recv/);
    assertCheckError('p2', 'send sig', /^signal 'sig' carries data from writer to reader: reader cannot send/);
    assertCheckError('p1', 'recv fifo-1', /writer cannot recv/);
    assertCheckError('p2', 'send ud "x"', /reader cannot send/);
  });

  test('verb not valid for the mechanism, one case per family', () => {
    assertCheckError('p1', 'send mem "x"', /^send is not valid on shm-posix channel 'mem' \(use write \/ read\)$/, '1:1');
    assertCheckError('p1', 'close anon', /^close is not valid on shm-anon channel 'anon' \(use write \/ read\)$/);
    assertCheckError('p1', 'write c1 "x"', /^write is not valid on pipe channel 'c1' \(use send \/ close\)$/); // stream
    assertCheckError('p1', 'lock net', /^lock is not valid on tcp channel 'net'/); // stream, two-way
    assertCheckError('p1', 'wait dg', /^wait is not valid on udp channel 'dg'/); // datagram
    assertCheckError('p1', 'read q 4 as x', /^read is not valid on mq-sysv channel 'q' \(use recv \/ send\)$/); // message
    assertCheckError('p1', 'close pq', /^close is not valid on mq-posix channel 'pq'/);
    assertCheckError('p1', 'lock sig', /^lock is not valid on signal channel 'sig' \(use send\)$/); // signal
    assertCheckError('p1', 'write f "x"', /^write is not valid on file channel 'f' \(use send/); // file
    assertCheckError('p1', 'close f', /^close is not valid on file channel 'f'/);
    assertCheckError('p1', 'lock sem', /^lock is not valid on sem-named channel 'sem'/); // semaphore
    assertCheckError('p1', 'write usem "x"', /^write is not valid on sem-unnamed channel 'usem' \(use send/);
  });

  test('every verb allowed by MECHANISMS is accepted (a program per mechanism and end)', () => {
    const sample: Record<string, (c: string) => string> = {
      send: (c) => `send ${c} "x"`,
      recv: (c) => `recv ${c} as m`,
      close: (c) => `close ${c}`,
      write: (c) => `write ${c} "x" at 1`,
      read: (c) => `read ${c} 4 at 2 as t`,
      lock: (c) => `lock ${c}`,
      unlock: (c) => `unlock ${c}`,
      wait: (c) => `wait ${c}`,
      post: (c) => `post ${c}`,
      trywait: (c) => `trywait ${c}`,
    };
    for (const mech of MECHANISM_IDS) {
      const info = MECHANISMS[mech];
      const fam = info.family;
      for (const end of ['from', 'to'] as const) {
        const lines = info.verbs[end].map((verb) => {
          if ((fam === 'signal' || fam === 'semaphore') && verb === 'send') return 'send x';
          if ((fam === 'signal' || fam === 'semaphore') && verb === 'recv') return 'recv x';
          return sample[verb]('x');
        });
        const { program, errors } = parse(lines.join('\n'));
        assert.deepEqual(errors, []);
        const ctx: CheckContext = { self: end === 'from' ? 'p1' : 'p2', processes, channels: [{ id: 'x', mechanism: mech as MechanismId, links: twoLinks('p1', 'p2') }] };
        assert.deepEqual(check(program, ctx), [], `${mech} ${end}: ${lines.join('; ')}`);
      }
    }
  });

  test('send data rules', () => {
    assertCheckError('p1', 'send c1', /^send on pipe channel 'c1' needs data, e.g. send c1 "hello"/, '1:1');
    assertCheckError('p1', 'send net', /needs data/);
    assertCheckError('p1', 'send sig "x"', /^send on signal channel 'sig' takes no data: it sends the signal SIGUSR2 with kill\(2\)/, '1:10');
    assertCheckError('p1', 'send sem 1', /^send on sem-named channel 'sem' takes no data: it posts the semaphore/);
    assertChecks('p1', 'send sig\nsend sem\npost usem');
    assertCheckError('p2', 'recv sig 10', /takes no size/);
    assertCheckError('p2', 'recv sig as x', /gives no data: drop 'as x'/);
    assertCheckError('p2', 'while recv sem as x {\n}', /while recv needs a channel that carries data/);
  });

  test('type only on mq-sysv, priority only on mq-posix', () => {
    assertChecks('p1', 'send q "a" type 2\nrecv q type 0 as m\nsend pq "b" priority 3\nrecv pq as n');
    assertCheckError('p1', 'send c1 "a" type 2', /^type is only for mq-sysv channels/, '1:18');
    assertCheckError('p1', 'send q "a" priority 2', /^priority is only for mq-posix channels/, '1:21');
    assertCheckError('p2', 'recv c1 type 2 as x', /^type is only for mq-sysv/);
    assertCheckError('p1', 'send q "a" type 0', /mtype\) must be 1 or more/);
    assertCheckError('p2', 'recv pq 10 as m', /^recv on mq-posix channel 'pq' takes no size/, '1:9');
  });

  test('message size limits', () => {
    assert.deepEqual(checkMsgs('p1', 'send c1 "' + 'x'.repeat(20) + '"', 10), ['1:9 this message is 20 bytes, over the limit of 10 bytes a message']);
    assert.deepEqual(checkMsgs('p1', 'send c1 "{pid}' + 'x'.repeat(20) + '"', 10), []); // interpolated: not checked
    assertChecks('p1', 'send c1 "' + 'x'.repeat(1000) + '"'); // default 64 KiB
    assertCheckError('p1', 'send pq "' + 'x'.repeat(17) + '"', /over the queue's message size of 16/);
  });

  test('shared memory offsets', () => {
    assertChecks('p1', 'write mem "hello" at 59\nread mem 64 as all');
    assertCheckError('p1', 'write mem "hello" at 64', /^offset 64 is outside shm-posix channel 'mem' \(64 bytes/, '1:22');
    assertCheckError('p1', 'write mem "hello" at 60', /writing 5 bytes at offset 60 goes past the end/);
    assertCheckError('p1', 'read mem 65 as x', /reading 65 bytes at offset 0 goes past the end/);
    assertCheckError('p1', 'read mem 0 as x', /at least 1 byte/);
  });

  test('signal PROCESS SIG', () => {
    assertCheckError('p1', 'signal nobody SIGINT', /^unknown process 'nobody' \(processes: writer \(p1\), reader \(p2\), logger \(p3\)\)/, '1:8');
    assertCheckError('p1', 'signal readr SIGINT', /did you mean reader\?/);
    assertCheckError('p1', 'signal reader SIGFOO', /^unknown signal 'SIGFOO'/, '1:1');
    assertCheckError('p1', 'signal reader USR3', /did you mean SIGUSR1\?/);
    assertChecks('p1', 'signal reader SIGKILL\nsignal writer STOP\nsignal logger cont');
  });

  test('on SIG handlers', () => {
    assertCheckError('p1', 'on SIGKILL {\n}', /^SIGKILL cannot be caught, as in C/, '1:1');
    assertCheckError('p1', 'on STOP { }', /^SIGSTOP cannot be caught, as in C/);
    assertCheckError('p1', 'on SIGFOO { }', /^unknown signal 'SIGFOO'/);
    assert.deepEqual(checkMsgs('p1', 'on SIGINT { print 1 }\nprint 2\non INT {\n  print 3\n}'), [
      '3:1 a handler for SIGINT is already installed at line 1: one handler per signal',
    ]);
    assertChecks('p1', 'on SIGTERM { exit 1 }\non SIGPIPE { print "pipe closed" }\non SIGCHLD { }');
  });

  test('variables', () => {
    assert.deepEqual(checkMsgs('p1', 'print x'), ["1:7 unknown variable 'x': give it a value first with set, or recv ... as x"]);
    assert.deepEqual(checkMsgs('p1', 'set count = 1\nprint coutn'), ["2:7 unknown variable 'coutn' (did you mean count?)"]);
    assert.deepEqual(checkMsgs('p1', 'set x = x + 1'), ["1:9 unknown variable 'x': give it a value first with set, or recv ... as x"]);
    assertChecks('p1', 'print pid\nset x = 1\nprint x');
    assertChecks('p2', 'recv c1 as m\nprint m\nrecv c1 5\nrepeat 3 { print i }\nrepeat 2 as k { print k }\nprint i');
    assertChecks('p1', 'trywait sem\nprint ok\ntrywait sem as got\nprint got\nread mem 4 as t\nprint "{t}"');
    assertChecks('p2', 'while recv c1 as line {\n  print line\n}\nprint line');
    assertCheckError('p1', 'print "value: {y}"', /^unknown variable 'y'/, '1:16');
    assertCheckError('p1', 'set pid = 3', /'pid' is built in/);
    assertCheckError('p1', 'repeat 2 as pid { }', /'pid' is built in/);
    // Source order counts, also across handlers.
    assertChecks('p1', 'set n = 0\non SIGUSR1 { set n = n + 1 }\npause\nprint n');
    assertCheckError('p1', 'on SIGUSR1 { print late }\nset late = 1', /unknown variable 'late'/);
  });

  test('break outside a loop', () => {
    assert.deepEqual(checkMsgs('p1', 'break'), ['1:1 break is only allowed inside repeat, forever or while']);
    assertCheckError('p1', 'if 1 {\n  break\n}', /break is only allowed/, '2:3');
    assertCheckError('p1', 'on SIGINT { break }', /break is only allowed/);
    assertChecks('p1', 'forever { break }\nrepeat 2 { if i == 2 { break } }\nwhile 1 { break }');
    assertChecks('p2', 'while recv c1 as m { break }');
  });

  test('exit codes', () => {
    assertChecks('p1', 'exit 0\nexit 255\nexit\nexit pid % 256');
    assertCheckError('p1', 'exit 256', /^exit code must be from 0 to 255 \(got 256\)/, '1:6');
    assertCheckError('p1', 'exit -1', /got -1/);
  });
});

// ---- examples --------------------------------------------------------------------------

describe('example programs parse and check cleanly', () => {
  test('writer', () => assertChecks('p1', '# writer (pipe c1 from writer to reader)\nsend c1 "hello"\nclose c1\n'));
  test('reader', () => assertChecks('p2', '# reader\nrecv c1 5 as msg\nprint "child read: {msg}"\n'));
  test('ping loop with a handler', () => {
    const src = `repeat 3 {
  send c1 "ping {i}"
  recv c2 as reply
  print "got {reply}"
}
on SIGUSR1 { print "caught SIGUSR1" }
sleep 500
exit 0
`;
    assertChecks('p1', src);
    const p = ok(src);
    assert.equal(p.body.length, 3);
    assert.deepEqual(strip(p.handlers), [{ signal: 'SIGUSR1', body: [{ kind: 'print', value: str('caught SIGUSR1') }] }]);
  });
  test('semaphore around shared memory', () => {
    assertChecks('p1', 'wait sem\nwrite mem "Hello from writer process!"\npost sem\n');
    assertChecks('p2', 'wait sem\nread mem 32 as text\nprint "Reader read: {text}"\npost sem\n');
  });
  test('reader loop to EOF', () => {
    assertChecks('p2', 'while recv c1 as chunk {\n  print "got {chunk}"\n}\nprint "writer closed the pipe"\n');
  });
  test('file with locks, queues, sockets', () => {
    assertChecks('p1', 'lock f\nsend f "line {pid}\\n"\nunlock f\nsend q "hi" type 2\nsend pq "urgent" priority 9\nsend net "hello"\nrecv net as answer\nclose net\nsend dg "datagram"');
    assertChecks('p2', 'recv f as text\nrecv q type 2 as m\nrecv pq as n\nrecv net as r\nsend net "re: {r}"\nrecv dg 100 as d\nrecv sig\nwait sem');
  });
});

// ---- formatter -------------------------------------------------------------------------

describe('format', () => {
  test('one statement on one line', () => {
    const p = ok('recv c1 5 as msg\nrepeat 3 {\n  print i\n}\nif a or b and c {\n  print 1\n  print 2\n} else if x {\n  pause\n}');
    assert.equal(formatStmt(p.body[0]), 'recv c1 5 as msg');
    assert.equal(formatStmt(p.body[1]), 'repeat 3 { print i }');
    assert.equal(formatStmt(p.body[2]), 'if a or b and c { … } else if x { pause }');
    assert.equal(formatExpr(expr('(a + b) * -(c - d) - (e - f)')), '(a + b) * -(c - d) - (e - f)');
    assert.equal(formatExpr(expr('"x\\n{y}\\{z\\}\\"q"')), '"x\\n{y}\\{z\\}\\"q"');
    assert.equal(formatExpr(expr('not (a == 1)')), 'not (a == 1)');
  });

  test('program round trip: parse(format(parse(s))) == parse(s)', () => {
    const srcs = [
      'repeat 3 {\n  send c1 "ping {i}"\n  recv c2 as reply\n  print "got {reply}"\n}\non SIGUSR1 { print "caught SIGUSR1" }\nsleep 500\nexit 0',
      'set n = 0\nwhile n < 10 and not (n == 5) {\n  set n = n + 1\n  if n % 2 == 0 {\n    print "{n} even"\n  } else if n > 7 {\n    break\n  } else {\n    print -n\n  }\n}',
      'send q "a" type 2 priority 1\nrecv q 10 type 3 as m\nwrite mem "x\\ty" at 4\nread mem 2 at 4 as z\ntrywait sem as t\ntrywait sem\nsignal reader SIGUSR2\nwhile recv c1 as l {\n  forever {\n    pause\n  }\n}\nrepeat 2 as k {\n}\nexit\nlock f\nunlock f\nclose c1\nwait s\npost s',
    ];
    for (const s of srcs) {
      const a = ok(s);
      const text = formatProgram(a);
      const b = ok(text);
      assert.deepEqual(strip(b), strip(a), text);
      assert.equal(formatProgram(b), text);
    }
  });
});

// ---- fuzz ------------------------------------------------------------------------------

describe('fuzz', () => {
  // mulberry32: a small seeded PRNG, so failures reproduce.
  function prng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const corpus = [
    'repeat 3 {\n  send c1 "ping {i}"\n  recv c2 as reply\n  print "got {reply}"\n}\non SIGUSR1 { print "caught SIGUSR1" }\nsleep 500\nexit 0\n',
    'if a { print 1 } else if b { print "x{y}" } else { while recv c1 as m { break } }\n',
    'write mem "hello" at 0x10\nread mem 5 at 16 as t\ntrywait s as ok\nsignal p USR1\nset x = -(1 + 2) * 3 % 4 >= 5 or not y\n',
    'on SIGALRM interrupts { print "t" }\nnonblocking c1\nalarm 1\ntry recv c1 as m\nif errno == EAGAIN { block SIGUSR1 }\nsuspend\nunblock USR1\n',
    'poll c1 c2 timeout 100 as r\ntry poll c1 as r\ntry send q "x" nowait\nrecv q 4 type -2 noerror nowait as m\nwhile recv stdin as line { print "{line}\\0" }\n',
  ];
  const alphabet = ' \t\n{}()"\\#=<>!+-*/%_abcxyz019SIGUSR1 recv send as at type priority if else on repeat forever while set print try poll timeout nowait noerror stdin errno EAGAIN \u00e9\u0000\u{1F600}';

  const show = (src: string) => JSON.stringify(src.length > 200 ? src.slice(0, 200) + '…' : src);
  function check1(src: string) {
    let r: ReturnType<typeof parse>;
    assert.doesNotThrow(() => {
      r = parse(src);
    }, `parse threw on ${show(src)}`);
    for (const e of r!.errors) {
      assert.ok(Number.isInteger(e.line) && e.line >= 1 && Number.isInteger(e.col) && e.col >= 1 && typeof e.message === 'string' && e.message.length > 0, JSON.stringify(e));
    }
    assert.doesNotThrow(() => check(r!.program, { self: 'p1', processes, channels }), `check threw on ${show(src)}`);
    assert.doesNotThrow(() => formatProgram(r!.program));
    if (r!.errors.length === 0) {
      // Whatever parses cleanly must format back to the same program.
      const again = parse(formatProgram(r!.program));
      assert.deepEqual(again.errors, [], show(src));
      assert.deepEqual(strip(again.program), strip(r!.program), show(src));
    }
  }

  test('random bytes, mutated programs and huge inputs never throw', () => {
    const rnd = prng(12345);
    const pick = <T,>(xs: ArrayLike<T>) => xs[Math.floor(rnd() * xs.length)];
    let n = 0;
    for (let k = 0; k < 1500; k++, n++) {
      // random code units, including lone surrogates and control characters
      const len = Math.floor(rnd() * 80);
      let s = '';
      for (let j = 0; j < len; j++) s += String.fromCharCode(rnd() < 0.7 ? 32 + Math.floor(rnd() * 95) : Math.floor(rnd() * 0x10000));
      check1(s);
    }
    for (let k = 0; k < 1500; k++, n++) {
      // random draws from a language-like alphabet
      const len = Math.floor(rnd() * 120);
      let s = '';
      for (let j = 0; j < len; j++) s += pick(alphabet);
      check1(s);
    }
    for (let k = 0; k < 2000; k++, n++) {
      // mutations of valid programs: delete, duplicate, insert, swap slices
      let s = pick(corpus);
      const edits = 1 + Math.floor(rnd() * 4);
      for (let e = 0; e < edits; e++) {
        const a = Math.floor(rnd() * (s.length + 1));
        const b = Math.min(s.length, a + Math.floor(rnd() * 8));
        const op = Math.floor(rnd() * 4);
        if (op === 0) s = s.slice(0, a) + s.slice(b);
        else if (op === 1) s = s.slice(0, b) + s.slice(a, b) + s.slice(b);
        else if (op === 2) s = s.slice(0, a) + pick(alphabet) + s.slice(a);
        else s = s.slice(0, a) + pick(corpus).slice(a, b) + s.slice(b);
      }
      check1(s);
    }
    // big inputs
    check1('{'.repeat(50_000));
    check1('}\n'.repeat(20_000));
    check1('forever {\n'.repeat(5_000));
    check1('print ' + '('.repeat(50_000));
    check1('print "' + '{'.repeat(50_000));
    check1('if x {\n} else '.repeat(20_000));
    check1('if x { } else '.repeat(20_000) + '{ }');
    check1('print 1' + ' + 1'.repeat(20_000));
    check1('print "' + '{1 + 1 + 1 + 1}'.repeat(5_000) + '"');
    check1('set x = ' + Array.from({ length: 5_000 }, (_, k) => `(${k}`).join(' + ') + ')'.repeat(5_000));
    assert.ok(n >= 5000);
  });
});

describe('scenario options', () => {
  test('a signal channel cannot carry SIGKILL or SIGSTOP: its receiver catches the signal to count it', async () => {
    const { validateScenario } = await import('../lib/validate');
    for (const sig of ['SIGKILL', 'SIGSTOP']) {
      const v = validateScenario({
        version: 2, title: 't',
        processes: [{ id: 'a', name: 'a', program: 'recv c1' }, { id: 'b', name: 'b', program: 'send c1' }],
        channels: [{ id: 'c1', links: twoLinks('b', 'a'), mechanism: 'signal', options: { signal: sig } }],
      });
      assert.equal(v.ok, false);
      const e = !v.ok ? v.errors[0] : null;
      assert.equal(e?.place, 'channels[0].options.signal');
      assert.match(e?.message ?? '', new RegExp(`cannot carry ${sig}: .* cannot be caught \\(use signal PROCESS ${sig} in a program\\)`));
    }
  });
});

describe('errors as values, not waiting, alarm, signal masks', () => {
  test('try marks a call; nowait, nonblocking, alarm, block, unblock, suspend parse', () => {
    assert.deepEqual(one('try recv c1 as m'), { kind: 'recv', channel: { name: 'c1' }, into: 'm', try: true });
    assert.deepEqual(one('try send q "x" nowait'), { kind: 'send', channel: { name: 'q' }, data: { kind: 'str', parts: ['x'] }, nowait: true, try: true });
    assert.deepEqual(one('recv q nowait as m'), { kind: 'recv', channel: { name: 'q' }, into: 'm', nowait: true });
    assert.deepEqual(one('nonblocking c1'), { kind: 'nonblocking', channel: { name: 'c1' } });
    assert.deepEqual(one('alarm 2'), { kind: 'alarm', seconds: { kind: 'num', value: 2 } });
    assert.deepEqual(one('block usr1'), { kind: 'block', signal: 'SIGUSR1' });
    assert.deepEqual(one('unblock SIGUSR1'), { kind: 'unblock', signal: 'SIGUSR1' });
    assert.deepEqual(one('suspend'), { kind: 'suspend' });
    const p = ok('on SIGALRM interrupts {\n  print "a"\n}');
    assert.equal(p.handlers[0].interrupts, true);
  });

  test('try goes only before a call that can fail', () => {
    const { errors } = parse('try print "x"');
    assert.deepEqual(errors, [{ line: 1, col: 5, message: 'try goes before a call that can fail: send, recv, wait, post, signal, poll, waitpid, accept, sendfd, recvfd (e.g. try recv c1 as msg)' }]);
  });

  test('formats back to the same source', () => {
    const src = 'on SIGALRM interrupts {\n  print "timeout"\n}\nnonblocking c1\ntry recv c1 as m\ntry send q "x" nowait\nalarm 1\nblock SIGUSR1\nunblock SIGUSR1\nsuspend\n';
    assert.equal(formatProgram(ok(src)), src);
  });

  test('errno is defined by an earlier try; error names are constants', () => {
    assertChecks('p2', 'try recv c1 as m\nif errno == EAGAIN or errno == EINTR {\n  print "{errno}"\n}');
    assertCheckError('p2', 'print errno\ntry recv c1 as m', /^errno is set by a call written with try/, '1:7');
    assertCheckError('p2', 'set errno = 0', /^'errno' is set by the calls written with try/);
    assertCheckError('p2', 'set EAGAIN = 1', /^'EAGAIN' is an error number/);
    assertCheckError('p2', 'recv c1 as EINTR', /^'EINTR' is an error number/);
  });

  test('nowait is for SysV queues; nonblocking for descriptors', () => {
    assertCheckError('p2', 'recv c1 nowait as m', /^nowait is IPC_NOWAIT, for mq-sysv channels only: write nonblocking c1 once/);
    assertCheckError('p1', 'send sem nowait', /use trywait sem/);
    assertCheckError('p1', 'nonblocking mem', /^nonblocking sets O_NONBLOCK on a descriptor; shm-posix channel 'mem' has none/);
    assertChecks('p2', 'nonblocking c1\ntry recv c1 as m');
  });

  test('alarm takes seconds; SIGKILL and SIGSTOP cannot be blocked', () => {
    assertCheckError('p1', 'alarm -1', /^alarm takes seconds, from 0/);
    assertCheckError('p1', 'block SIGKILL', /^SIGKILL cannot be blocked/);
    assertCheckError('p1', 'block SIGFOO', /^unknown signal 'SIGFOO'/);
    assertChecks('p1', 'alarm 0\nblock SIGINT\nsuspend\nunblock SIGINT');
  });

  test('poll: channels, a timeout, the variable; only descriptors', () => {
    assert.deepEqual(one('poll c1 c2 timeout 500 as ready'), {
      kind: 'poll', channels: [{ name: 'c1' }, { name: 'c2' }], timeout: { kind: 'num', value: 500 }, into: 'ready',
    });
    assert.deepEqual(one('try poll c1 as r'), { kind: 'poll', channels: [{ name: 'c1' }], into: 'r', try: true });
    assert.deepEqual(parse('poll c1 c2').errors.map((e) => e.message), ['poll needs a variable for the ready channel: poll c1 c2 as ready']);
    assert.deepEqual(parse('poll as r').errors.map((e) => e.message), ['poll needs the channels to watch, e.g. poll c1 c2 timeout 500 as ready']);
    assertChecks('p2', 'poll c1 us timeout 100 as r\nif r == "c1" {\n  recv c1 as m\n}');
    assertCheckError('p2', 'poll c1 mem as r', /^poll\(2\) watches descriptors; shm-posix channel 'mem' has none/, '1:9');
    assertCheckError('p2', 'poll c1 c1 as r', /^channel 'c1' is already in this poll/);
    assert.equal(formatStmt(ok('poll c1 c2 timeout 5 as r').body[0]), 'poll c1 c2 timeout 5 as r');
  });

  test('stdin is fd 0, for recv only, unless a channel is named so', () => {
    const { program } = parse('while recv stdin as line {\n  print line\n}\nrecv stdin 16 as x');
    assert.deepEqual(check(program, ctxFor('p1')), []);
    assert.equal((program.body[0] as any).recv.channel.id, '@stdin');
    assertCheckError('p1', 'send stdin "x"', /^stdin \(fd 0\) is only for recv/, '1:6');
    assertCheckError('p1', 'recv stdin type 2 as m', /^type is only for mq-sysv channels; stdin is a byte stream/);
    const named = check(parse('recv stdin as m').program, { self: 'p2', processes, channels: [{ id: 'c1', label: 'stdin', mechanism: 'pipe', links: twoLinks('p1', 'p2') }] });
    assert.deepEqual(named, []);
  });
});


describe('fork and waitpid', () => {
  test('parse, with and without a name and a PID', () => {
    const p = ok('fork as child {\n  print "in the child"\n  exit 3\n}\nwaitpid child as code\nfork {\n}\ntry waitpid\n');
    assert.equal(p.body[0].kind, 'fork');
    assert.deepEqual(strip(p.body[1]), { kind: 'waitpid', pid: { kind: 'var', name: 'child' }, into: 'code' });
    assert.deepEqual(strip(p.body[2]), { kind: 'fork', body: [] });
    assert.deepEqual(strip(p.body[3]), { kind: 'waitpid', try: true });
  });

  test('formats back to the same source', () => {
    const src = 'fork as child {\n  print "child"\n}\nwaitpid child as code\ntry waitpid as code\n';
    assert.equal(formatProgram(ok(src)), src);
  });

  test('the child block uses the parent’s channels; the names are defined', () => {
    assertChecks('p1', 'fork as kid {\n  close c1\n  exit 2\n}\nsend c1 "x"\nwaitpid kid as code\nprint "{kid} {code}"');
  });

  test('fork needs a block, and is not allowed in a handler', () => {
    assert.match(parse('fork as x').errors[0].message, /expected '\{'/);
    assertCheckError('p1', 'on SIGUSR1 {\n  fork {\n  }\n}\npause', /fork in a signal handler/, '2:3');
  });
});
