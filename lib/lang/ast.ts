// The syntax tree of the program language. The parser builds it, the checker resolves
// channel and process names in it, the C compiler (lib/cgen) turns it into the C that runs.

/** 1-based line and column of the first character of a token. */
export interface Pos {
  line: number;
  col: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type Expr =
  | { kind: 'num'; value: number; pos: Pos }
  /** A string literal; `{expr}` inside it interpolates. Plain text parts are strings. */
  | { kind: 'str'; parts: (string | Expr)[]; pos: Pos }
  | { kind: 'var'; name: string; pos: Pos }
  | { kind: 'unary'; op: '-' | 'not'; arg: Expr; pos: Pos }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: Pos };

/** A string literal with nothing to interpolate: its text is known before the program runs. */
export function isConstantText(e: Expr | undefined): e is Extract<Expr, { kind: 'str' }> & { parts: string[] } {
  return e?.kind === 'str' && e.parts.every((p) => typeof p === 'string');
}

/** The value of an integer literal, `-literal` included; undefined for anything else. */
export function literalInt(e: Expr | undefined): number | undefined {
  if (!e) return undefined;
  if (e.kind === 'num') return e.value;
  if (e.kind === 'unary' && e.op === '-' && e.arg.kind === 'num') return -e.arg.value;
  return undefined;
}

/** The id the checker gives `stdin` (the process's fd 0) when no channel of the scenario is named so. */
export const STDIN_CHANNEL = '@stdin';

/** A channel as written in the program: its id or its label. The checker fills `id`. */
export interface ChannelRef {
  name: string;
  pos: Pos;
  id?: string;
  /** A connection (lib/lang/sockets.ts): the channel it came through, for the trace and the counts. */
  via?: string;
}

/** A process as written in the program: its id or its name. The checker fills `id`. */
export interface ProcessRef {
  name: string;
  pos: Pos;
  id?: string;
}

export interface RecvStmt {
  kind: 'recv';
  channel: ChannelRef;
  /** Largest number of bytes to take (read(2)'s count); default 1024, or the queue's message size. */
  size?: Expr;
  /** mq-sysv: the mtype to receive (0 = any); default the channel's mtype option. */
  mtype?: Expr;
  /** Variable that receives the data as text; omitted: the data is discarded. */
  into?: string;
  /** mq-sysv: IPC_NOWAIT, fail with ENOMSG rather than wait. */
  nowait?: boolean;
  /** mq-sysv with a size: MSG_NOERROR, a longer message is cut to the size instead of failing with E2BIG. */
  noerror?: boolean;
  /** Written `try recv ...`: a failure sets errno and the program goes on. */
  try?: boolean;
  pos: Pos;
}

/** Statements that may be written `try STATEMENT`: a failed call sets errno instead of ending the process. */
export const TRYABLE = ['send', 'recv', 'wait', 'post', 'signal', 'poll', 'waitpid', 'accept', 'sendfd', 'recvfd'] as const;

export type Stmt =
  | { kind: 'print'; value: Expr; pos: Pos }
  | {
      kind: 'send';
      channel: ChannelRef;
      /** Omitted for signal and semaphore channels. */
      data?: Expr;
      mtype?: Expr;
      priority?: Expr;
      /** mq-sysv: IPC_NOWAIT, fail with EAGAIN rather than wait for room. */
      nowait?: boolean;
      try?: boolean;
      pos: Pos;
    }
  | RecvStmt
  | { kind: 'write'; channel: ChannelRef; data: Expr; offset?: Expr; pos: Pos }
  | { kind: 'read'; channel: ChannelRef; length: Expr; offset?: Expr; into: string; pos: Pos }
  | { kind: 'close'; channel: ChannelRef; pos: Pos }
  | { kind: 'lock'; channel: ChannelRef; pos: Pos }
  | { kind: 'unlock'; channel: ChannelRef; pos: Pos }
  | { kind: 'wait'; channel: ChannelRef; try?: boolean; pos: Pos }
  | { kind: 'post'; channel: ChannelRef; try?: boolean; pos: Pos }
  /** poll(2) on the channels' ends: `into` gets the name of the first ready one, as written, or "" after `timeout` ms. */
  | { kind: 'poll'; channels: ChannelRef[]; timeout?: Expr; into: string; try?: boolean; pos: Pos }
  /** O_NONBLOCK on this process's end: a call that would block fails with EAGAIN. */
  | { kind: 'nonblocking'; channel: ChannelRef; pos: Pos }
  /** Sets `into` (default `ok`) to 1 when the semaphore was taken, 0 when it would block. */
  | { kind: 'trywait'; channel: ChannelRef; into: string; pos: Pos }
  | { kind: 'signal'; target: ProcessRef; signal: string; try?: boolean; pos: Pos }
  | { kind: 'pause'; pos: Pos }
  /** alarm(2): SIGALRM in `seconds` (0 cancels). */
  | { kind: 'alarm'; seconds: Expr; pos: Pos }
  /** sigprocmask(2): SIG_BLOCK / SIG_UNBLOCK one signal. */
  | { kind: 'block' | 'unblock'; signal: string; pos: Pos }
  /** sigsuspend(2) with nothing blocked: waits for a signal, even one that `block` holds back. */
  | { kind: 'suspend'; pos: Pos }
  | { kind: 'sleep'; ms: Expr; pos: Pos }
  | { kind: 'set'; name: string; value: Expr; pos: Pos }
  /** Counter variable `counter` (default `i`) runs 1..count. */
  | { kind: 'repeat'; count: Expr; counter: string; body: Stmt[]; pos: Pos }
  | { kind: 'forever'; body: Stmt[]; pos: Pos }
  /** fork(2): the child runs `body` and exits with 0 at its end; `into` gets the child's PID (0 in the child). */
  | { kind: 'fork'; into?: string; body: Stmt[]; pos: Pos }
  /** waitpid(2) for the child whose PID is `pid` (any child without one); `into` gets its exit code, or 128 + the signal that killed it. */
  | { kind: 'waitpid'; pid?: Expr; into?: string; try?: boolean; pos: Pos }
  | { kind: 'while'; cond: Expr; body: Stmt[]; pos: Pos }
  /** `while recv c as m { }`: loops while recv returns data; ends at EOF / closed peer. */
  | { kind: 'whileRecv'; recv: RecvStmt; body: Stmt[]; pos: Pos }
  | { kind: 'if'; cond: Expr; then: Stmt[]; else?: Stmt[]; pos: Pos }
  | { kind: 'break'; pos: Pos }
  | { kind: 'exit'; code?: Expr; pos: Pos }
  | DescriptorStmt;

/** Statements that make or pass descriptors: a connection is a value (lib/lang/sockets.ts). */
export type DescriptorStmt =
  /** accept(2) on a stream socket's listening socket: `into` is the new connection. */
  | { kind: 'accept'; channel: ChannelRef; into: string; try?: boolean; pos: Pos }
  /** sendmsg(2) with SCM_RIGHTS over a Unix stream socket: passes `fd`, a connection or a channel end. */
  | { kind: 'sendfd'; channel: ChannelRef; fd: ChannelRef; try?: boolean; pos: Pos }
  /** recvmsg(2) with SCM_RIGHTS: `into` is the descriptor that came, as a connection. */
  | { kind: 'recvfd'; channel: ChannelRef; into: string; try?: boolean; pos: Pos };

export interface Handler {
  signal: string;
  /** `on SIG interrupts { }`: installed without SA_RESTART, so a blocking call it interrupts fails with EINTR. */
  interrupts?: boolean;
  body: Stmt[];
  pos: Pos;
}

export interface Program {
  body: Stmt[];
  /** `on SIGNAL { }` blocks, at top level only. */
  handlers: Handler[];
}

export interface LangError {
  line: number;
  col: number;
  message: string;
}
