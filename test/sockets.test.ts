// Servers with many clients: accept, connections as values, sendfd / recvfd (SCM_RIGHTS) and
// socketpair, in the parser, the checker, the formatter and the scenario's rules.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../lib/lang/parser';
import { check, type CheckContext } from '../lib/lang/check';
import { formatStmt } from '../lib/lang/format';
import { lineChannels } from '../lib/lang/walk';
import { validateScenario } from '../lib/validate';

const processes = [
  { id: 'srv', name: 'server' },
  { id: 'a', name: 'ann' },
  { id: 'b', name: 'bob' },
  { id: 'w', name: 'worker' },
];
const channels: CheckContext['channels'] = [
  { id: 'net', mechanism: 'tcp', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'from' }, { process: 'srv', end: 'to' }] },
  { id: 'us', mechanism: 'unix-stream', links: [{ process: 'srv', end: 'from' }, { process: 'w', end: 'to' }] },
  { id: 'sp', mechanism: 'socketpair', links: [{ process: 'srv', end: 'from' }, { process: 'w', end: 'to' }] },
  { id: 'p', mechanism: 'pipe', links: [{ process: 'a', end: 'from' }, { process: 'srv', end: 'to' }] },
  { id: 'mem', mechanism: 'shm-posix', links: [{ process: 'srv', end: 'from' }, { process: 'w', end: 'to' }] },
];

function checked(self: string, source: string) {
  const { program, errors } = parse(source);
  assert.deepEqual(errors, [], `parse errors for:\n${source}`);
  const e = check(program, { self, processes, channels });
  return { program, errors: e.map((x) => `${x.line}:${x.col} ${x.message}`) };
}
const errorsOf = (self: string, source: string) => checked(self, source).errors;

describe('accept and connections', () => {
  const server = 'forever {\n  accept net as conn\n  recv conn 64 as line\n  send conn "echo {line}"\n  close conn\n}';

  test('an accept loop checks, and a connection resolves to an id of its own, via its channel', () => {
    const { program, errors } = checked('srv', server);
    assert.deepEqual(errors, []);
    const body = (program.body[0] as { body: any[] }).body;
    assert.deepEqual({ kind: body[0].kind, into: body[0].into, id: body[0].channel.id }, { kind: 'accept', into: 'conn', id: 'net' });
    assert.equal(body[1].channel.id, '@sock:conn');
    assert.equal(body[1].channel.via, 'net');
    // the trace and the counts name the listening channel for every line of the loop
    assert.deepEqual([...lineChannels(program).entries()], [[2, 'net'], [3, 'net'], [4, 'net'], [5, 'net']]);
    assert.equal(formatStmt(body[0]), 'accept net as conn');
    assert.equal(formatStmt(parse('try accept net as c').program.body[0]), 'try accept net as c');
  });

  test('several clients at from, each connecting on first use; the listener stays one', () => {
    assert.deepEqual(errorsOf('a', 'send net "hi"\nrecv net as m'), []);
    assert.deepEqual(errorsOf('b', 'send net "hi"'), []);
    const two = validateScenario({
      version: 2, title: 't', processes: processes.map((p) => ({ ...p, program: '' })),
      channels: [{ id: 'net', mechanism: 'tcp', links: [{ process: 'a', end: 'to' }, { process: 'b', end: 'to' }, { process: 'srv', end: 'from' }] }],
    });
    assert.equal(two.ok, false);
    assert.match(JSON.stringify(!two.ok && two.errors), /a TCP has one process at its receiving end/);
  });

  test('a name that is neither a channel nor a connection is an error at its place', () => {
    assert.deepEqual(errorsOf('srv', 'set x = 3\nrecv x as m'), ["2:6 'x' is a variable, not a channel or a connection"]);
    assert.match(errorsOf('srv', 'recv nope as m')[0], /^1:6 unknown channel 'nope'/);
  });

  test('what a connection can and cannot do', () => {
    assert.deepEqual(errorsOf('srv', 'accept net as c\nlock c'), ['2:1 lock is not valid on connection \'c\' (use send / recv / close)']);
    assert.deepEqual(errorsOf('srv', 'accept net as c\npoll net c p as r'), []);
    assert.match(errorsOf('srv', 'accept net as c\nnonblocking c')[0], /^2:13 a channel goes here; 'c' is a connection/);
    assert.match(errorsOf('srv', 'accept net as c\nset c = 2')[0], /^2:1 'c' is a connection \(accept at line 1\)/);
    // a built-in name is refused as for any variable
    assert.match(errorsOf('srv', 'accept net as pid')[0] ?? '', /^1:1 'pid' is built in/);
    assert.match(errorsOf('srv', 'accept net as errno')[0] ?? '', /^1:1 'errno' is set by the calls written with try/);
    // every statement that gives a name a value: a loop's recv, fork, waitpid, a repeat's counter
    for (const [line, col] of [['while recv net as c {\n}', 1], ['fork as c {\n}', 1], ['waitpid as c', 1], ['repeat 2 as c {\n}', 1]] as const) {
      assert.match(errorsOf('srv', `accept net as c\n${line}`)[0] ?? '', new RegExp(`^2:${col} 'c' is a connection`), line);
    }
    assert.match(errorsOf('srv', 'recv c as m\naccept net as c')[0], /^1:6 connection 'c' is used before accept gives it a value \(line 2\)/);
    assert.match(errorsOf('srv', 'accept net as net')[0], /^1:1 'net' names a channel/);
    assert.match(errorsOf('srv', 'set c = 1\naccept net as c')[0], /^1:1 'c' is a connection \(accept at line 2\)/);
    // the descriptor is a number the program can print
    assert.deepEqual(errorsOf('srv', 'accept net as c\nprint "fd {c}"'), []);
  });

  test('accept only on a listening socket, only by its server', () => {
    assert.match(errorsOf('a', 'accept net as c')[0], /^1:8 ann connects to 'net' .*only that process accepts/);
    assert.match(errorsOf('srv', 'accept p as c')[0], /^1:8 accept takes connections on a listening stream socket \(tcp, unix-stream\); 'p' is pipe/);
    assert.match(errorsOf('srv', 'accept nope as c')[0], /^1:8 unknown channel 'nope'/);
    assert.match(parse('accept net').errors[0].message, /accept needs a name for the connection: accept net as conn/);
  });
});

describe('sendfd and recvfd (SCM_RIGHTS), socketpair', () => {
  test('a connection or a channel end passes over a Unix stream socket or a socketpair', () => {
    assert.deepEqual(errorsOf('srv', 'accept net as c\nsendfd us c\nsendfd sp c\nsendfd us p\nclose c'), []);
    const { program, errors } = checked('w', 'recvfd us as got\nrecv got 10 as m\nsend got "x"\nclose got\nrecvfd sp as g2');
    assert.deepEqual(errors, []);
    assert.equal((program.body[1] as any).channel.id, '@fd:got');
    assert.equal(formatStmt(program.body[0]), 'recvfd us as got');
    assert.equal(formatStmt(parse('sendfd us c').program.body[0]), 'sendfd us c');
  });

  test('only over Unix stream sockets; only descriptors', () => {
    assert.match(errorsOf('srv', 'accept net as c\nsendfd net c')[0], /^2:8 sendfd passes a descriptor over a Unix stream socket \(unix-stream, socketpair\); 'net' is tcp/);
    assert.match(errorsOf('srv', 'sendfd us mem')[0], /^1:11 shm-posix channel 'mem' has no descriptor to pass/);
    assert.match(errorsOf('w', 'recvfd mem as c')[0], /^1:8 recvfd takes a descriptor over a Unix stream socket/);
    assert.match(parse('sendfd us').errors[0].message, /sendfd needs the descriptor to pass/);
  });

  test('a socketpair: one process at each end, both send and receive', () => {
    assert.deepEqual(errorsOf('srv', 'send sp "x"\nrecv sp as m\nclose sp'), []);
    assert.deepEqual(errorsOf('w', 'send sp "x"\nrecv sp as m'), []);
  });
});
