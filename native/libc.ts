// koffi 3 binding to glibc: the library handle, type aliases, struct layouts and every
// function declaration, made once at module load. Only native/ imports this file.
//
// Conventions:
// - Buffers, typed arrays and structs are passed as `void *` and marshalled by hand
//   through reused Buffers (zero copy for synchronous calls, no per-call allocation).
//   The struct types below are declared only to get sizes and offsets from koffi's
//   own C ABI rules; test/native.test.ts checks them against the gcc-checked layouts.
// - Variadic functions (open, fcntl, ioctl, sem_open, mq_open) are declared as
//   non-variadic twins with the one extra argument we use: faster, and allowed
//   with `.async` (safe on x86_64, see NATIVE-NOTES.md).
// - Pointers come back as BigInt (koffi 3); NULL comes back as null.

import koffi, { type TypeObject } from 'koffi';

export { koffi };

export const lib = koffi.load('libc.so.6');

/** Define a named alias once (koffi's type registry is process-global). */
function alias(name: string, type: string): void {
  try {
    koffi.type(name);
  } catch {
    koffi.alias(name, type);
  }
}

alias('ssize_t', 'long');
alias('off_t', 'int64_t');
alias('pid_t', 'int');
alias('mode_t', 'uint32_t');
alias('key_t', 'int');
alias('socklen_t', 'uint32_t');
alias('mqd_t', 'int');

// ---- struct layouts (x86_64) -------------------------------------------------------------

const timespec = koffi.struct({ tv_sec: 'long', tv_nsec: 'long' });
const timeval = koffi.struct({ tv_sec: 'long', tv_usec: 'long' });

export const T = {
  flock: koffi.struct({ l_type: 'short', l_whence: 'short', l_start: 'off_t', l_len: 'off_t', l_pid: 'pid_t' }),
  pollfd: koffi.struct({ fd: 'int', events: 'short', revents: 'short' }),
  timespec,
  itimerval: koffi.struct({ it_interval: timeval, it_value: timeval }),
  sigaction: koffi.struct({
    sa_handler: 'void *',
    sa_mask: koffi.array('ulong', 16), // sigset_t: 1024 bits
    sa_flags: 'int',
    sa_restorer: 'void *',
  }),
  stat: koffi.struct({
    st_dev: 'ulong', st_ino: 'ulong', st_nlink: 'ulong', st_mode: 'uint32_t', st_uid: 'uint32_t',
    st_gid: 'uint32_t', __pad0: 'int', st_rdev: 'ulong', st_size: 'long', st_blksize: 'long',
    st_blocks: 'long', st_atim: timespec, st_mtim: timespec, st_ctim: timespec,
    __reserved: koffi.array('long', 3),
  }),
  sem_t: koffi.struct({ __size: koffi.array('long', 4) }), // union { char[32]; long } on x86_64
  ipc_perm: koffi.struct({
    __key: 'key_t', uid: 'uint32_t', gid: 'uint32_t', cuid: 'uint32_t', cgid: 'uint32_t',
    mode: 'uint32_t', __seq: 'ushort', __pad2: 'ushort', __r1: 'ulong', __r2: 'ulong',
  }),
  msqid_ds: null as unknown as TypeObject,
  shmid_ds: null as unknown as TypeObject,
  mq_attr: koffi.struct({
    mq_flags: 'long', mq_maxmsg: 'long', mq_msgsize: 'long', mq_curmsgs: 'long',
    __pad: koffi.array('long', 4),
  }),
  sockaddr_in: koffi.struct({
    sin_family: 'uint16_t', sin_port: 'uint16_be_t', sin_addr: 'uint32_be_t', sin_zero: koffi.array('uint8_t', 8),
  }),
  sockaddr_un: koffi.struct({ sun_family: 'uint16_t', sun_path: koffi.array('char', 108) }),
};
T.msqid_ds = koffi.struct({
  msg_perm: T.ipc_perm, msg_stime: 'long', msg_rtime: 'long', msg_ctime: 'long',
  __msg_cbytes: 'ulong', msg_qnum: 'ulong', msg_qbytes: 'ulong', msg_lspid: 'pid_t', msg_lrpid: 'pid_t',
  __unused4: 'ulong', __unused5: 'ulong',
});
T.shmid_ds = koffi.struct({
  shm_perm: T.ipc_perm, shm_segsz: 'size_t', shm_atime: 'long', shm_dtime: 'long', shm_ctime: 'long',
  shm_cpid: 'pid_t', shm_lpid: 'pid_t', shm_nattch: 'ulong', __unused4: 'ulong', __unused5: 'ulong',
});

const off = (t: TypeObject, m: string): number => koffi.offsetof(t, m);

/** Byte offsets used by the hand marshalling in sys.ts. */
export const OFF = {
  flock: { type: off(T.flock, 'l_type'), whence: off(T.flock, 'l_whence'), start: off(T.flock, 'l_start'), len: off(T.flock, 'l_len'), pid: off(T.flock, 'l_pid'), size: T.flock.size },
  pollfd: { fd: off(T.pollfd, 'fd'), events: off(T.pollfd, 'events'), revents: off(T.pollfd, 'revents'), size: T.pollfd.size },
  timespec: { sec: off(T.timespec, 'tv_sec'), nsec: off(T.timespec, 'tv_nsec'), size: T.timespec.size },
  itimerval: { valueSec: off(T.itimerval, 'it_value'), valueUsec: off(T.itimerval, 'it_value') + 8, size: T.itimerval.size },
  sigaction: { handler: off(T.sigaction, 'sa_handler'), flags: off(T.sigaction, 'sa_flags'), size: T.sigaction.size },
  stat: { size_: off(T.stat, 'st_size'), size: T.stat.size },
  msqid_ds: { cbytes: off(T.msqid_ds, '__msg_cbytes'), qnum: off(T.msqid_ds, 'msg_qnum'), qbytes: off(T.msqid_ds, 'msg_qbytes'), lspid: off(T.msqid_ds, 'msg_lspid'), lrpid: off(T.msqid_ds, 'msg_lrpid'), size: T.msqid_ds.size },
  shmid_ds: { segsz: off(T.shmid_ds, 'shm_segsz'), cpid: off(T.shmid_ds, 'shm_cpid'), lpid: off(T.shmid_ds, 'shm_lpid'), nattch: off(T.shmid_ds, 'shm_nattch'), size: T.shmid_ds.size },
  mq_attr: { flags: off(T.mq_attr, 'mq_flags'), maxmsg: off(T.mq_attr, 'mq_maxmsg'), msgsize: off(T.mq_attr, 'mq_msgsize'), curmsgs: off(T.mq_attr, 'mq_curmsgs'), size: T.mq_attr.size },
  sockaddr_in: { family: off(T.sockaddr_in, 'sin_family'), port: off(T.sockaddr_in, 'sin_port'), addr: off(T.sockaddr_in, 'sin_addr'), size: T.sockaddr_in.size },
  sockaddr_un: { family: off(T.sockaddr_un, 'sun_family'), path: off(T.sockaddr_un, 'sun_path'), size: T.sockaddr_un.size },
  sem_t: { size: T.sem_t.size, align: T.sem_t.alignment },
};

// ---- functions ---------------------------------------------------------------------------

const fn = (proto: string) => lib.func(proto);

export const F = {
  // process, signals, time
  getpid: fn('pid_t getpid()'),
  posix_spawn: fn('int posix_spawn(pid_t *pid, const char *path, const void *actions, const void *attr, const char **argv, const char **envp)'),
  posix_spawn_file_actions_init: fn('int posix_spawn_file_actions_init(void *fa)'),
  posix_spawn_file_actions_destroy: fn('int posix_spawn_file_actions_destroy(void *fa)'),
  posix_spawn_file_actions_adddup2: fn('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)'),
  posix_spawn_file_actions_addclose: fn('int posix_spawn_file_actions_addclose(void *fa, int fd)'),
  posix_spawn_file_actions_addopen: fn('int posix_spawn_file_actions_addopen(void *fa, int fd, const char *path, int oflag, mode_t mode)'),
  posix_spawnattr_init: fn('int posix_spawnattr_init(void *attr)'),
  posix_spawnattr_destroy: fn('int posix_spawnattr_destroy(void *attr)'),
  posix_spawnattr_setflags: fn('int posix_spawnattr_setflags(void *attr, short flags)'),
  posix_spawnattr_setsigdefault: fn('int posix_spawnattr_setsigdefault(void *attr, const void *set)'),
  posix_spawnattr_setsigmask: fn('int posix_spawnattr_setsigmask(void *attr, const void *set)'),
  posix_spawnattr_setpgroup: fn('int posix_spawnattr_setpgroup(void *attr, pid_t pgroup)'),
  sigfillset: fn('int sigfillset(void *set)'),
  sigemptyset: fn('int sigemptyset(void *set)'),
  waitid: fn('int waitid(int idtype, int id, void *infop, int options)'),
  kill: fn('int kill(pid_t pid, int sig)'),
  sigaction: fn('int sigaction(int sig, const void *act, void *oldact)'),
  _exit: fn('void _exit(int status)'),
  setitimer: fn('int setitimer(int which, const void *newval, void *oldval)'),
  setrlimit: fn('int setrlimit(int resource, const void *rlim)'),
  unshare: fn('int unshare(int flags)'),
  setns: fn('int setns(int fd, int nstype)'),
  clock_gettime: fn('int clock_gettime(int clk, void *ts)'),
  strerror: fn('const char *strerror(int errnum)'),
  // fds
  pipe2: fn('int pipe2(int *fds, int flags)'),
  socketpair: fn('int socketpair(int domain, int type, int protocol, int *sv)'),
  close: fn('int close(int fd)'),
  read: fn('ssize_t read(int fd, void *buf, size_t count)'),
  write: fn('ssize_t write(int fd, const void *buf, size_t count)'),
  pread: fn('ssize_t pread(int fd, void *buf, size_t count, off_t offset)'),
  open: fn('int open(const char *path, int flags, mode_t mode)'),
  unlink: fn('int unlink(const char *path)'),
  mkfifo: fn('int mkfifo(const char *path, mode_t mode)'),
  ftruncate: fn('int ftruncate(int fd, off_t length)'),
  lseek: fn('off_t lseek(int fd, off_t offset, int whence)'),
  fstat: fn('int fstat(int fd, void *st)'),
  fcntlInt: fn('int fcntl(int fd, int cmd, long arg)'),
  fcntlPtr: fn('int fcntl(int fd, int cmd, void *arg)'),
  ioctl: fn('int ioctl(int fd, unsigned long req, void *arg)'),
  poll: fn('int poll(void *fds, unsigned long nfds, int timeout)'),
  // POSIX semaphores
  sem_open: fn('void *sem_open(const char *name, int oflag, mode_t mode, unsigned int value)'),
  sem_close: fn('int sem_close(void *sem)'),
  sem_unlink: fn('int sem_unlink(const char *name)'),
  sem_wait: fn('int sem_wait(void *sem)'),
  sem_timedwait: fn('int sem_timedwait(void *sem, const void *abstime)'),
  sem_trywait: fn('int sem_trywait(void *sem)'),
  sem_post: fn('int sem_post(void *sem)'),
  sem_getvalue: fn('int sem_getvalue(void *sem, int *sval)'),
  sem_init: fn('int sem_init(void *sem, int pshared, unsigned int value)'),
  sem_destroy: fn('int sem_destroy(void *sem)'),
  // shared memory
  shm_open: fn('int shm_open(const char *name, int oflag, mode_t mode)'),
  shm_unlink: fn('int shm_unlink(const char *name)'),
  mmap: fn('void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)'),
  munmap: fn('int munmap(void *addr, size_t length)'),
  memfd_create: fn('int memfd_create(const char *name, unsigned int flags)'),
  shmget: fn('int shmget(key_t key, size_t size, int shmflg)'),
  shmat: fn('void *shmat(int shmid, const void *addr, int shmflg)'),
  shmdt: fn('int shmdt(const void *addr)'),
  shmctl: fn('int shmctl(int shmid, int cmd, void *buf)'),
  memcpy: fn('void *memcpy(void *dst, const void *src, size_t n)'),
  // syscall(2) with three int-sized arguments after the number (futex wake, pidfd_open, pidfd_getfd)
  syscall3: fn('long syscall(long number, long a, long b, long c)'),
  syscall4: fn('long syscall(long number, long a, long b, long c, long d)'),
  // SysV message queues
  msgget: fn('int msgget(key_t key, int msgflg)'),
  msgsnd: fn('int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)'),
  msgrcv: fn('ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg)'),
  msgctl: fn('int msgctl(int msqid, int cmd, void *buf)'),
  // POSIX message queues
  mq_open: fn('mqd_t mq_open(const char *name, int oflag, mode_t mode, void *attr)'),
  mq_close: fn('int mq_close(mqd_t mqdes)'),
  mq_unlink: fn('int mq_unlink(const char *name)'),
  mq_send: fn('int mq_send(mqd_t mqdes, const void *msg, size_t len, unsigned int prio)'),
  mq_receive: fn('ssize_t mq_receive(mqd_t mqdes, void *msg, size_t len, unsigned int *prio)'),
  mq_getattr: fn('int mq_getattr(mqd_t mqdes, void *attr)'),
  mq_setattr: fn('int mq_setattr(mqd_t mqdes, const void *newattr, void *oldattr)'),
  // sockets
  socket: fn('int socket(int domain, int type, int protocol)'),
  bind: fn('int bind(int fd, const void *addr, socklen_t len)'),
  listen: fn('int listen(int fd, int backlog)'),
  accept4: fn('int accept4(int fd, void *addr, void *addrlen, int flags)'),
  connect: fn('int connect(int fd, const void *addr, socklen_t len)'),
  send: fn('ssize_t send(int fd, const void *buf, size_t len, int flags)'),
  recv: fn('ssize_t recv(int fd, void *buf, size_t len, int flags)'),
  sendto: fn('ssize_t sendto(int fd, const void *buf, size_t len, int flags, const void *addr, socklen_t alen)'),
  recvfrom: fn('ssize_t recvfrom(int fd, void *buf, size_t len, int flags, void *addr, void *alen)'),
  getsockname: fn('int getsockname(int fd, void *addr, void *alen)'),
  getsockopt: fn('int getsockopt(int fd, int level, int name, void *val, void *len)'),
  shutdown: fn('int shutdown(int fd, int how)'),
};

/** A function glibc may lack (added after 2.36's baseline, or by a newer kernel): null if absent. */
function optionalFn(proto: string): ReturnType<typeof fn> | null {
  try {
    return fn(proto);
  } catch {
    return null;
  }
}

/**
 * pidfd calls (glibc 2.36 wrappers over Linux 5.3's syscalls): a signal through a pidfd
 * reaches the process it was opened for or nobody, never a later owner of a recycled PID.
 */
export const PIDFD = {
  open: optionalFn('int pidfd_open(pid_t pid, unsigned int flags)'),
  sendSignal: optionalFn('int pidfd_send_signal(int pidfd, int sig, void *info, unsigned int flags)'),
};

/** (void *) -1, as returned by mmap() and shmat() on failure. */
export const MAP_FAILED = 0xffffffffffffffffn;
