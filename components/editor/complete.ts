// Completion: statements at the start of a line (as templates), then the channels this
// process may use with that verb, process names after `signal`, signal names after `on`.
import { snippetCompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { CATCHABLE_SIGNALS, MECHANISMS, SIGNALS, type Verb } from '@/lib/mechanisms';
import { endOf } from '@/lib/scenario';
import { useEditor } from '../store/editor';
import { ERRNO_NAMES, ERRNO_VARIABLE } from '@/lib/lang/errors';

const STATEMENTS: Completion[] = [
  snippetCompletion('send ${channel} "${text}"', { label: 'send', detail: 'CHANNEL DATA', info: 'write / send / post on a channel', type: 'keyword' }),
  snippetCompletion('recv ${channel} as ${msg}', { label: 'recv', detail: 'CHANNEL [MAX] as NAME', info: 'read / receive / wait on a channel', type: 'keyword' }),
  snippetCompletion('write ${mem} "${text}"', { label: 'write', detail: 'SHM TEXT [at OFFSET]', info: 'copy bytes into shared memory', type: 'keyword' }),
  snippetCompletion('read ${mem} ${16} as ${text}', { label: 'read', detail: 'SHM LENGTH [at OFFSET] as NAME', info: 'copy bytes out of shared memory', type: 'keyword' }),
  snippetCompletion('close ${channel}', { label: 'close', detail: 'CHANNEL', type: 'keyword' }),
  snippetCompletion('lock ${file}', { label: 'lock', detail: 'FILE', info: 'fcntl write lock', type: 'keyword' }),
  snippetCompletion('unlock ${file}', { label: 'unlock', detail: 'FILE', type: 'keyword' }),
  snippetCompletion('wait ${sem}', { label: 'wait', detail: 'SEM', info: 'sem_wait', type: 'keyword' }),
  snippetCompletion('post ${sem}', { label: 'post', detail: 'SEM', info: 'sem_post', type: 'keyword' }),
  snippetCompletion('trywait ${sem} as ${got}', { label: 'trywait', detail: 'SEM [as NAME]', info: 'sem_trywait', type: 'keyword' }),
  snippetCompletion('signal ${process} ${SIGUSR1}', { label: 'signal', detail: 'PROCESS SIGNAL', info: 'kill(2)', type: 'keyword' }),
  snippetCompletion('on ${SIGUSR1} {\n\t${}\n}', { label: 'on', detail: 'SIGNAL { }', info: 'install a handler (sigaction)', type: 'keyword' }),
  { label: 'pause', detail: '', info: 'pause(2): wait for any signal', type: 'keyword' },
  snippetCompletion('try recv ${channel} as ${msg}\nif errno == ${EAGAIN} {\n\t${}\n}', { label: 'try', detail: 'CALL, then test errno', info: 'a failed call sets errno instead of ending the process', type: 'keyword' }),
  snippetCompletion('poll ${a} ${b} timeout ${1000} as ${ready}', { label: 'poll', detail: 'CHANNELS [timeout MS] as NAME', info: 'poll(2): NAME = the first ready channel, "" at the timeout', type: 'keyword' }),
  snippetCompletion('nonblocking ${channel}', { label: 'nonblocking', detail: 'CHANNEL', info: 'O_NONBLOCK: calls that would wait fail with EAGAIN', type: 'keyword' }),
  snippetCompletion('alarm ${1}', { label: 'alarm', detail: 'SECONDS', info: 'alarm(2): SIGALRM later; 0 cancels', type: 'keyword' }),
  snippetCompletion('block ${SIGUSR1}', { label: 'block', detail: 'SIGNAL', info: 'sigprocmask(SIG_BLOCK): held back, pending', type: 'keyword' }),
  snippetCompletion('unblock ${SIGUSR1}', { label: 'unblock', detail: 'SIGNAL', info: 'sigprocmask(SIG_UNBLOCK)', type: 'keyword' }),
  { label: 'suspend', detail: '', info: 'sigsuspend(2): wait for a signal with none blocked', type: 'keyword' },
  snippetCompletion('accept ${listener} as ${conn}', { label: 'accept', detail: 'SOCKET as NAME', info: 'accept(2): the next client\'s connection, a value recv / send / close take', type: 'keyword' }),
  snippetCompletion('sendfd ${sock} ${conn}', { label: 'sendfd', detail: 'UNIX-SOCKET CONNECTION', info: 'sendmsg(2) with SCM_RIGHTS: pass a descriptor', type: 'keyword' }),
  snippetCompletion('recvfd ${sock} as ${conn}', { label: 'recvfd', detail: 'UNIX-SOCKET as NAME', info: 'recvmsg(2) with SCM_RIGHTS: a passed descriptor, as a connection', type: 'keyword' }),
  snippetCompletion('print "${text}"', { label: 'print', detail: 'EXPR', type: 'keyword' }),
  snippetCompletion('set ${name} = ${0}', { label: 'set', detail: 'NAME = EXPR', type: 'keyword' }),
  snippetCompletion('sleep ${500}', { label: 'sleep', detail: 'MS', type: 'keyword' }),
  snippetCompletion('exit ${0}', { label: 'exit', detail: '[CODE]', type: 'keyword' }),
  snippetCompletion('repeat ${3} {\n\t${}\n}', { label: 'repeat', detail: 'COUNT { }', type: 'keyword' }),
  snippetCompletion('forever {\n\t${}\n}', { label: 'forever', detail: '{ }', type: 'keyword' }),
  snippetCompletion('while ${cond} {\n\t${}\n}', { label: 'while', detail: 'COND { }', type: 'keyword' }),
  snippetCompletion('while recv ${channel} as ${msg} {\n\t${}\n}', { label: 'while recv', detail: 'CHANNEL as NAME { }', info: 'loop until end of file', type: 'keyword' }),
  snippetCompletion('if ${cond} {\n\t${}\n}', { label: 'if', detail: 'COND { }', type: 'keyword' }),
  { label: 'break', type: 'keyword' },
];

const CHANNEL_VERBS = new Set<string>(['send', 'recv', 'write', 'read', 'close', 'lock', 'unlock', 'wait', 'post', 'trywait', 'nonblocking', 'poll', 'accept', 'sendfd', 'recvfd']);

/** Whether a channel suits a statement that is no verb of lib/mechanisms.ts: accept, sendfd, recvfd. */
function suitsDescriptor(word: string, m: (typeof MECHANISMS)[keyof typeof MECHANISMS], end: 'from' | 'to'): boolean | undefined {
  if (word === 'accept') return !!m.accepts && end === 'to';
  if (word === 'sendfd' || word === 'recvfd') return !!m.passesFds;
  return undefined;
}

export function completeProgram(procId: string) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const word = ctx.matchBefore(/[A-Za-z_][A-Za-z0-9_-]*/);
    if (!word && !ctx.explicit) return null;
    const from = word ? word.from : ctx.pos;
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, from - line.from);
    if (/#/.test(before.replace(/"(?:[^"\\]|\\.)*"/g, ''))) return null; // in a comment
    const words = before.trim().split(/\s+/).filter(Boolean);
    const prev = words[words.length - 1];
    const s = useEditor.getState().scenario;

    if (words.length === 0 || prev === '{' || prev === '}') return { from, options: STATEMENTS, validFor: /^[\w ]*$/ };
    // poll takes several channels: each word after it until timeout / as
    const polling = words[0] === 'poll' && !words.includes('timeout') && !words.includes('as');
    if (polling || (prev && CHANNEL_VERBS.has(prev))) {
      const verb = (polling ? 'poll' : prev) as Verb;
      const options: Completion[] = [];
      for (const c of s.channels) {
        const end = endOf(c, procId);
        if (!end) continue;
        const info = MECHANISMS[c.mechanism];
        const ok = polling || prev === 'nonblocking' || (suitsDescriptor(prev, info, end) ?? info.verbs[end].includes(verb));
        options.push({ label: c.label ?? c.id, detail: `${info.icon} ${info.name}`, info: `this end may: ${info.verbs[end].join(', ')}`, type: 'variable', boost: ok ? 10 : -10 });
      }
      return { from, options };
    }
    if (prev === 'signal' && words.length === 1) {
      return { from, options: s.processes.filter((p) => p.id !== procId).map((p) => ({ label: p.name, detail: 'process', type: 'class' })) };
    }
    if ((words[0] === 'signal' && words.length === 2) || prev === 'on' || prev === 'block' || prev === 'unblock') {
      const list = prev === 'signal' || words[0] === 'signal' ? SIGNALS : CATCHABLE_SIGNALS;
      return { from, options: list.map((sig) => ({ label: sig, type: 'constant' })) };
    }
    return {
      from,
      options: [
        ...['as', 'at', 'type', 'priority', 'nowait', 'noerror', 'timeout', 'interrupts', 'and', 'or', 'not', 'pid', ERRNO_VARIABLE].map((k) => ({ label: k, type: 'keyword' })),
        ...ERRNO_NAMES.map((e) => ({ label: e, type: 'constant' })),
      ],
    };
  };
}
