/* The runtime linked into every run process. It makes no system call of its own once the
 * program has started (clock_gettime is the vDSO's), except futex waits at the gate when the
 * server pauses or slows the process. What it does:
 *   - the gate before each statement (ipcpg.h: ipcpg_at), here its slow path;
 *   - the program's calls, wrapped at link time (ld --wrap=read ...): each sets "in call X on
 *     line L" in the control page, makes the real call once, counts it and, when tracing,
 *     records it (args, result, errno, ns) in the event ring;
 *   - sigaction: the program's handler runs from a trampoline that records the delivery and
 *     keeps the line and state of the code it interrupted. Dispositions and flags are the
 *     program's own: the kernel delivers, merges, restarts and interrupts as for any C.
 * One writer per ring (this process; a handler may interrupt a record being written, so slots
 * are reserved with an atomic add and published by their commit word). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "contain.h"
#include "ipcpg.h"

struct ipcpg_ctl *ipcpg_ctl;
static struct ipcpg_rec *ring;
/* pages for forked children (each its own page and ring, which the server adopts): mapped at
 * the start, so every child and grandchild shares them */
static char *pool;
static uint32_t npool;
static int my_slot = -1;
static int start_fd = -1;
static int started;

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- the ring ---------------------------------------------------------------------------- */

static struct ipcpg_rec *rec_begin(uint64_t *seq)
{
    struct ipcpg_ctl *c = ipcpg_ctl;
    uint64_t w = __atomic_load_n(&c->wseq, __ATOMIC_RELAXED);
    uint64_t r = __atomic_load_n(&c->rseq, __ATOMIC_ACQUIRE);
    /* leave room for handlers that interrupt us between this check and the add */
    if (w - r >= IPCPG_RING_SLOTS - 16) {
        __atomic_fetch_add(&c->dropped, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    *seq = __atomic_fetch_add(&c->wseq, 1, __ATOMIC_RELAXED);
    return &ring[*seq & (IPCPG_RING_SLOTS - 1)];
}

static inline void rec_commit(struct ipcpg_rec *x, uint64_t seq)
{
    __atomic_store_n(&x->commit, (uint32_t)(seq + 1), __ATOMIC_RELEASE);
}

static void record(int kind, int call, int line, int64_t ret, int err, const int64_t a[4], uint64_t t, uint64_t dur,
                   const void *data, size_t dlen, size_t dfull)
{
    uint64_t seq;
    struct ipcpg_rec *x = rec_begin(&seq);
    if (!x)
        return;
    x->kind = (uint16_t)kind;
    x->call = (uint16_t)call;
    x->line = line;
    x->err = err;
    x->ret = ret;
    for (int i = 0; i < 4; i++)
        x->a[i] = a ? a[i] : 0;
    x->t = t;
    x->dur = dur;
    if (dlen > IPCPG_PREVIEW)
        dlen = IPCPG_PREVIEW;
    x->dlen = data ? (uint32_t)dlen : 0;
    x->dfull = (uint32_t)dfull;
    if (data && dlen)
        memcpy(x->data, data, dlen);
    rec_commit(x, seq);
}

/* ---- start and the gate ------------------------------------------------------------------ */

void *__real_mmap(void *, size_t, int, int, int, off_t);

void ipcpg_init(int fd, int sfd, int poolfd)
{
    /* setup happens before the start: the runtime's own calls are not the program's */
    void *p = __real_mmap(NULL, IPCPG_PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED || ((struct ipcpg_ctl *)p)->magic != IPCPG_MAGIC) {
        static const char msg[] = "ipcpg: no control page\n";
        syscall(SYS_write, 2, msg, sizeof msg - 1);
        syscall(SYS_exit_group, 125);
    }
    syscall(SYS_close, fd);
    ipcpg_ctl = p;
    if (poolfd >= 0) {
        npool = ipcpg_ctl->npool;
        void *q = npool ? __real_mmap(NULL, (size_t)npool * IPCPG_PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, poolfd, 0) : MAP_FAILED;
        if (q == MAP_FAILED)
            npool = 0;
        else
            pool = q;
        syscall(SYS_close, poolfd);
    }
    /* nothing of the server's may reach the program: fds it did not pass (an inherited stray) */
    syscall(SYS_close_range, ipcpg_ctl->last_fd + 1, ~0u, 0);
    /* limits of a run's process: no core files, bounded fds, file sizes and address space */
    struct rlimit core = { 0, 0 }, files = { 256, 256 }, fsize = { 64 << 20, 64 << 20 }, as = { 1ul << 30, 1ul << 30 };
    setrlimit(RLIMIT_CORE, &core);
    setrlimit(RLIMIT_NOFILE, &files);
    setrlimit(RLIMIT_FSIZE, &fsize);
    setrlimit(RLIMIT_AS, &as);
    ring = (struct ipcpg_rec *)((char *)p + IPCPG_RING_OFFSET);
    start_fd = sfd;
}

int *ipcpg_pids(void)
{
    return ipcpg_ctl->pids;
}

static int first_line_done;

void ipcpg_gate(int line)
{
    struct ipcpg_ctl *c = ipcpg_ctl;
    if (!first_line_done || c->trace || c->gate != IPCPG_GATE_FREE) {
        first_line_done = 1;
        record(IPCPG_REC_LINE, 0, line, 0, 0, NULL, now_ns(), 0, NULL, 0, 0);
    }
    /* 2: "the first line is pending"; the server may have set 1 (pause, trace) meanwhile */
    uint32_t two = 2;
    __atomic_compare_exchange_n(&c->slow, &two, (c->trace || c->gate) ? 1u : 0u, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
    int saved_errno = errno;
    while (__atomic_load_n(&c->gate, __ATOMIC_ACQUIRE) != IPCPG_GATE_FREE) {
        uint32_t t = __atomic_load_n(&c->tokens, __ATOMIC_ACQUIRE);
        if (t > 0) {
            if (__atomic_compare_exchange_n(&c->tokens, &t, t - 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
                break;
            continue;
        }
        uint32_t st = c->state;
        if (c->gate == IPCPG_GATE_PAUSED)
            c->state = IPCPG_ST_PAUSED;
        /* a shared futex (no FUTEX_PRIVATE_FLAG): the server wakes it through its own mapping */
        syscall(SYS_futex, &c->tokens, FUTEX_WAIT, 0, NULL, NULL, 0);
        c->state = st;
    }
    errno = saved_errno;
}

/* ---- calls ------------------------------------------------------------------------------- */

/* The channel a line acts on (index), or -1. */
static inline int chan_of(int line)
{
    if (line <= 0 || line >= IPCPG_MAX_LINES)
        return -1;
    return (int)ipcpg_ctl->line_chan[line] - 1;
}

struct call {
    int id;
    int line;
    int recorded;
    uint64_t t;
};

/* A call begins; it is timed and recorded when tracing, or always when `always` (kill: the
 * server shows signals sent; write(1): it times each line of stdout by its write). */
static inline struct call begin_recorded(int id, int always)
{
    struct ipcpg_ctl *c = ipcpg_ctl;
    struct call k = { id, c->line, 0, 0 };
    if (!started)
        return k;
    c->call = (uint32_t)id;
    c->call_line = k.line;
    __atomic_store_n(&c->state, IPCPG_ST_IN_CALL, __ATOMIC_RELEASE);
    k.recorded = c->trace || always;
    if (k.recorded)
        k.t = now_ns();
    return k;
}

static inline struct call begin(int id)
{
    return begin_recorded(id, id == IPCPG_CALL_kill);
}

enum { MOVES_NONE, MOVES_SEND, MOVES_RECV };

/* After the call: running again, counted, recorded when tracing. errno is kept. */
static void end(struct call k, int64_t ret, int e, int64_t a0, int64_t a1, int64_t a2, int64_t a3, const void *data,
                size_t dlen, int moves)
{
    struct ipcpg_ctl *c = ipcpg_ctl;
    if (!started)
        return;
    __atomic_store_n(&c->state, IPCPG_ST_RUNNING, __ATOMIC_RELEASE);
    c->calls[k.id]++;
    int ch = chan_of(k.line);
    if (ch >= 0 && ret >= 0 && moves != MOVES_NONE) {
        c->chan[ch][moves == MOVES_SEND ? 0 : 1]++;
        /* write, send, sendto return the bytes taken; msgsnd and mq_send 0 for all of them */
        if (moves == MOVES_SEND)
            c->chan[ch][2] += ret > 0 ? (uint64_t)ret : (uint64_t)(dlen == (size_t)-1 ? 0 : dlen);
    }
    if (ret < 0 && k.id != IPCPG_CALL_pause && k.id != IPCPG_CALL_sigsuspend) {
        /* the failure the node shows: the fields first, the count last (the server reads on a change of it) */
        c->last_err = e;
        c->last_err_line = k.line;
        c->last_err_call = (uint32_t)k.id;
        __atomic_store_n(&c->errors, c->errors + 1, __ATOMIC_RELEASE);
    }
    if (k.recorded) {
        int64_t a[4] = { a0, a1, a2, a3 };
        size_t shown = dlen == (size_t)-1 ? 0 : dlen;
        record(IPCPG_REC_SYSCALL, k.id, k.line, ret, ret < 0 ? e : 0, a, k.t, now_ns() - k.t, data, shown, shown);
    }
    errno = e;
}

/* A channel fd this process now holds (open, accept, socket on a channel's line). */
static inline void holds(struct call k, int fd)
{
    int ch = chan_of(k.line);
    if (started && ch >= 0 && ch < IPCPG_MAX_CHANS && fd >= 0)
        ipcpg_ctl->chan_fd[ch] = fd;
}

#define REAL(ret, name, ...) ret __real_##name(__VA_ARGS__)

/* At the start, once the program has opened its objects: into the run's cgroups, down to the
 * run's uid, no way back (contain.c). A process that cannot be contained does not run. */
static void contain(void)
{
    struct ipcpg_ctl *c = ipcpg_ctl;
    if (!c->uid && !c->ncg)
        return;
    const char *files[IPCPG_MAX_CGROUPS];
    int n = c->ncg > IPCPG_MAX_CGROUPS ? IPCPG_MAX_CGROUPS : (int)c->ncg;
    for (int i = 0; i < n; i++)
        files[i] = c->cgroup_procs[i];
    char err[256];
    if (ipcpg_contain(files, n, c->uid ? c->uid : IPCPG_KEEP_ID, c->uid ? c->gid : IPCPG_KEEP_ID, err, sizeof err) == -1) {
        static const char head[] = "ipcpg: the process could not be contained: ";
        syscall(SYS_write, 2, head, sizeof head - 1);
        syscall(SYS_write, 2, err, strlen(err));
        syscall(SYS_write, 2, "\n", 1);
        syscall(SYS_exit_group, 125);
    }
}

REAL(ssize_t, read, int, void *, size_t);
ssize_t __wrap_read(int fd, void *buf, size_t n)
{
    if (fd == start_fd && !started) {
        /* wait_for_start(): the objects are open; contained before it says ready, so that no
         * process starts (and signals another) while one of them is still root. The server
         * closes its end of the start pipe once all are ready. */
        contain();
        __atomic_store_n(&ipcpg_ctl->state, IPCPG_ST_READY, __ATOMIC_RELEASE);
        ssize_t r = __real_read(fd, buf, n);
        int e = errno;
        ipcpg_ctl->t_start = now_ns();
        started = 1;
        __atomic_store_n(&ipcpg_ctl->state, IPCPG_ST_RUNNING, __ATOMIC_RELEASE);
        errno = e;
        return r;
    }
    struct call k = begin(IPCPG_CALL_read);
    ssize_t r = __real_read(fd, buf, n);
    end(k, r, errno, fd, 0, (int64_t)n, 0, buf, r > 0 ? (size_t)r : 0, MOVES_RECV);
    return r;
}

REAL(ssize_t, write, int, const void *, size_t);
ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
    struct call k = begin_recorded(IPCPG_CALL_write, fd == 1);
    ssize_t r = __real_write(fd, buf, n);
    end(k, r, errno, fd, 0, (int64_t)n, 0, buf, n, fd > 2 ? MOVES_SEND : MOVES_NONE);
    return r;
}

REAL(ssize_t, pread, int, void *, size_t, off_t);
ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off)
{
    struct call k = begin(IPCPG_CALL_pread);
    ssize_t r = __real_pread(fd, buf, n, off);
    end(k, r, errno, fd, 0, (int64_t)n, off, buf, r > 0 ? (size_t)r : 0, MOVES_RECV);
    return r;
}

REAL(ssize_t, send, int, const void *, size_t, int);
ssize_t __wrap_send(int fd, const void *buf, size_t n, int flags)
{
    struct call k = begin(IPCPG_CALL_send);
    ssize_t r = __real_send(fd, buf, n, flags);
    end(k, r, errno, fd, 0, (int64_t)n, flags, buf, n, MOVES_SEND);
    return r;
}

REAL(ssize_t, recv, int, void *, size_t, int);
ssize_t __wrap_recv(int fd, void *buf, size_t n, int flags)
{
    struct call k = begin(IPCPG_CALL_recv);
    ssize_t r = __real_recv(fd, buf, n, flags);
    end(k, r, errno, fd, 0, (int64_t)n, flags, buf, r > 0 ? (size_t)r : 0, MOVES_RECV);
    return r;
}

REAL(ssize_t, sendto, int, const void *, size_t, int, const struct sockaddr *, socklen_t);
ssize_t __wrap_sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to, socklen_t tolen)
{
    struct call k = begin(IPCPG_CALL_sendto);
    ssize_t r = __real_sendto(fd, buf, n, flags, to, tolen);
    end(k, r, errno, fd, 0, (int64_t)n, flags, buf, n, MOVES_SEND);
    return r;
}

REAL(ssize_t, recvfrom, int, void *, size_t, int, struct sockaddr *, socklen_t *);
ssize_t __wrap_recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from, socklen_t *fromlen)
{
    struct call k = begin(IPCPG_CALL_recvfrom);
    ssize_t r = __real_recvfrom(fd, buf, n, flags, from, fromlen);
    end(k, r, errno, fd, 0, (int64_t)n, flags, buf, r > 0 ? (size_t)r : 0, MOVES_RECV);
    return r;
}

/* The channel (index + 1) of each connection accept(2) gave, by fd: its close is counted too. */
#define CONN_FDS 1024
static uint8_t conn_chan[CONN_FDS];

REAL(int, accept, int, struct sockaddr *, socklen_t *);
int __wrap_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    struct call k = begin(IPCPG_CALL_accept);
    int r = __real_accept(fd, addr, len);
    int e = errno;
    holds(k, r);
    int ch = chan_of(k.line);
    if (started && ch >= 0 && ch < IPCPG_MAX_CHANS && r >= 0 && r < CONN_FDS) {
        conn_chan[r] = (uint8_t)(ch + 1);
        ipcpg_ctl->accepted[ch]++;
    }
    end(k, r, e, fd, 0, 0, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

/* The first descriptor an SCM_RIGHTS message carries, or -1 (for the trace: strace shows cmsg_data=[fd]). */
static int64_t passed_fd(const struct msghdr *m)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR((struct msghdr *)m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
            int fd;
            memcpy(&fd, CMSG_DATA(c), sizeof fd);
            return fd;
        }
    }
    return -1;
}

/* sendmsg / recvmsg: a3 packs msg_controllen (high 32 bits) and the first iovec's length */
static int64_t msg_sizes(const struct msghdr *m, size_t controllen)
{
    size_t iov = m->msg_iovlen ? m->msg_iov[0].iov_len : 0;
    return ((int64_t)controllen << 32) | (int64_t)(uint32_t)iov;
}

REAL(ssize_t, sendmsg, int, const struct msghdr *, int);
ssize_t __wrap_sendmsg(int fd, const struct msghdr *m, int flags)
{
    struct call k = begin(IPCPG_CALL_sendmsg);
    ssize_t r = __real_sendmsg(fd, m, flags);
    int e = errno;
    const void *buf = m->msg_iovlen ? m->msg_iov[0].iov_base : NULL;
    end(k, r, e, fd, passed_fd(m), flags, msg_sizes(m, m->msg_controllen), buf, r > 0 ? (size_t)r : 0, MOVES_SEND);
    return r;
}

REAL(ssize_t, recvmsg, int, struct msghdr *, int);
ssize_t __wrap_recvmsg(int fd, struct msghdr *m, int flags)
{
    struct call k = begin(IPCPG_CALL_recvmsg);
    ssize_t r = __real_recvmsg(fd, m, flags);
    int e = errno;
    const void *buf = m->msg_iovlen ? m->msg_iov[0].iov_base : NULL;
    /* what the kernel filled in; nothing when it failed */
    end(k, r, e, fd, r >= 0 ? passed_fd(m) : -1, flags, msg_sizes(m, r >= 0 ? m->msg_controllen : 0), buf, r > 0 ? (size_t)r : 0, MOVES_RECV);
    return r;
}

REAL(int, connect, int, const struct sockaddr *, socklen_t);
int __wrap_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    struct call k = begin(IPCPG_CALL_connect);
    int r = __real_connect(fd, addr, len);
    end(k, r, errno, fd, 0, len, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, socket, int, int, int);
int __wrap_socket(int domain, int type, int proto)
{
    struct call k = begin(IPCPG_CALL_socket);
    int r = __real_socket(domain, type, proto);
    int e = errno;
    holds(k, r);
    end(k, r, e, domain, type, proto, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, open, const char *, int, ...);
int __wrap_open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    struct call k = begin(IPCPG_CALL_open);
    int r = __real_open(path, flags, mode);
    int e = errno;
    holds(k, r);
    end(k, r, e, 0, flags, mode, 0, path, strlen(path), MOVES_NONE);
    return r;
}

REAL(int, close, int);
int __wrap_close(int fd)
{
    if (fd == start_fd) {
        /* wait_for_start() is done with the start pipe: part of the start, not of the program */
        start_fd = -1;
        return __real_close(fd);
    }
    struct call k = begin(IPCPG_CALL_close);
    int r = __real_close(fd);
    int e = errno;
    if (r == 0 && fd >= 0 && fd < CONN_FDS && conn_chan[fd]) {
        ipcpg_ctl->conns_closed[conn_chan[fd] - 1]++;
        conn_chan[fd] = 0;
    }
    if (started)
        for (int i = 0; i < IPCPG_MAX_CHANS; i++)
            if (ipcpg_ctl->chan_fd[i] == fd)
                ipcpg_ctl->chan_fd[i] = -1;
    end(k, r, e, fd, 0, 0, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(off_t, lseek, int, off_t, int);
off_t __wrap_lseek(int fd, off_t off, int whence)
{
    struct call k = begin(IPCPG_CALL_lseek);
    off_t r = __real_lseek(fd, off, whence);
    end(k, r, errno, fd, 0, off, whence, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, fstat, int, struct stat *);
int __wrap_fstat(int fd, struct stat *st)
{
    struct call k = begin(IPCPG_CALL_fstat);
    int r = __real_fstat(fd, st);
    end(k, r, errno, fd, 0, r == 0 ? st->st_size : 0, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, fcntl, int, int, ...);
int __wrap_fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    struct call k = begin(IPCPG_CALL_fcntl);
    int r = __real_fcntl(fd, cmd, arg);
    int64_t detail = (int64_t)(intptr_t)arg;
    if (cmd == F_SETLK || cmd == F_SETLKW || cmd == F_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW || cmd == F_OFD_GETLK)
        detail = ((struct flock *)arg)->l_type;
    end(k, r, errno, fd, cmd, detail, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, msgsnd, int, const void *, size_t, int);
int __wrap_msgsnd(int id, const void *msgp, size_t sz, int flg)
{
    struct call k = begin(IPCPG_CALL_msgsnd);
    int r = __real_msgsnd(id, msgp, sz, flg);
    end(k, r, errno, id, *(const long *)msgp, (int64_t)sz, flg, (const char *)msgp + sizeof(long), sz, MOVES_SEND);
    return r;
}

REAL(ssize_t, msgrcv, int, void *, size_t, long, int);
ssize_t __wrap_msgrcv(int id, void *msgp, size_t sz, long typ, int flg)
{
    struct call k = begin(IPCPG_CALL_msgrcv);
    ssize_t r = __real_msgrcv(id, msgp, sz, typ, flg);
    end(k, r, errno, id, typ, (int64_t)sz, flg, (const char *)msgp + sizeof(long), r > 0 ? (size_t)r : 0, MOVES_RECV);
    return r;
}

REAL(int, mq_setattr, mqd_t, const struct mq_attr *, struct mq_attr *);
int __wrap_mq_setattr(mqd_t q, const struct mq_attr *attr, struct mq_attr *old)
{
    struct call k = begin(IPCPG_CALL_mq_setattr);
    int r = __real_mq_setattr(q, attr, old);
    end(k, r, errno, q, attr->mq_flags, 0, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, mq_send, mqd_t, const char *, size_t, unsigned);
int __wrap_mq_send(mqd_t q, const char *buf, size_t n, unsigned prio)
{
    struct call k = begin(IPCPG_CALL_mq_send);
    int r = __real_mq_send(q, buf, n, prio);
    end(k, r, errno, q, 0, (int64_t)n, prio, buf, n, MOVES_SEND);
    return r;
}

REAL(ssize_t, mq_receive, mqd_t, char *, size_t, unsigned *);
ssize_t __wrap_mq_receive(mqd_t q, char *buf, size_t n, unsigned *prio)
{
    struct call k = begin(IPCPG_CALL_mq_receive);
    ssize_t r = __real_mq_receive(q, buf, n, prio);
    end(k, r, errno, q, 0, (int64_t)n, 0, buf, r > 0 ? (size_t)r : 0, MOVES_RECV);
    return r;
}

REAL(mqd_t, mq_open, const char *, int, ...);
mqd_t __wrap_mq_open(const char *name, int flags, ...)
{
    mode_t mode = 0;
    struct mq_attr *attr = NULL;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        attr = va_arg(ap, struct mq_attr *);
        va_end(ap);
    }
    struct call k = begin(IPCPG_CALL_mq_open);
    mqd_t r = (flags & O_CREAT) ? __real_mq_open(name, flags, mode, attr) : __real_mq_open(name, flags);
    end(k, r, errno, 0, flags, mode, 0, name, strlen(name), MOVES_NONE);
    return r;
}

REAL(int, sem_wait, sem_t *);
int __wrap_sem_wait(sem_t *s)
{
    struct call k = begin(IPCPG_CALL_sem_wait);
    int r = __real_sem_wait(s);
    end(k, r, errno, (int64_t)(intptr_t)s, 0, 0, 0, NULL, 0, MOVES_RECV);
    return r;
}

REAL(int, sem_post, sem_t *);
int __wrap_sem_post(sem_t *s)
{
    struct call k = begin(IPCPG_CALL_sem_post);
    int r = __real_sem_post(s);
    end(k, r, errno, (int64_t)(intptr_t)s, 0, 0, 0, NULL, 0, MOVES_SEND);
    return r;
}

REAL(int, sem_trywait, sem_t *);
int __wrap_sem_trywait(sem_t *s)
{
    struct call k = begin(IPCPG_CALL_sem_trywait);
    int r = __real_sem_trywait(s);
    end(k, r, errno, (int64_t)(intptr_t)s, 0, 0, 0, NULL, 0, MOVES_RECV);
    return r;
}

REAL(sem_t *, sem_open, const char *, int, ...);
sem_t *__wrap_sem_open(const char *name, int flags, ...)
{
    mode_t mode = 0;
    unsigned value = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        value = va_arg(ap, unsigned);
        va_end(ap);
    }
    struct call k = begin(IPCPG_CALL_sem_open);
    sem_t *r = (flags & O_CREAT) ? __real_sem_open(name, flags, mode, value) : __real_sem_open(name, flags);
    end(k, r == SEM_FAILED ? -1 : 0, errno, 0, flags, mode, value, name, strlen(name), MOVES_NONE);
    return r;
}

REAL(int, kill, pid_t, int);
int __wrap_kill(pid_t pid, int sig)
{
    struct call k = begin(IPCPG_CALL_kill);
    int r = __real_kill(pid, sig);
    end(k, r, errno, pid, sig, 0, 0, NULL, 0, MOVES_SEND);
    return r;
}

/* fork(2), with a page of the pool for the child: a copy of this process's page (its channels,
 * its gate, the PIDs), its own ring from the start. The child records nothing of the fork; the
 * parent records it always (the server adopts the child by it, and by the PID on the page).
 * With no page free (children forked faster than the server sees the last ones end), the child
 * runs unobserved, on a page of its own memory nobody reads: fork never fails for the
 * playground's sake. */
static char unobserved[IPCPG_PAGE_BYTES] __attribute__((aligned(64)));

REAL(pid_t, fork, void);
pid_t __wrap_fork(void)
{
    struct call k = begin_recorded(IPCPG_CALL_fork, 1);
    struct ipcpg_ctl *c = ipcpg_ctl, *p = NULL;
    uint32_t i;
    for (i = 0; i < npool; i++) {
        struct ipcpg_ctl *q = (struct ipcpg_ctl *)(pool + (size_t)i * IPCPG_PAGE_BYTES);
        int32_t free_ = 0;
        if (__atomic_compare_exchange_n(&q->pid, &free_, -1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            p = q;
            break;
        }
    }
    int observed = p != NULL;
    if (!observed) {
        p = (struct ipcpg_ctl *)unobserved;
        i = (uint32_t)-1;
    }
    /* a page used before goes on from where its ring was read: its slots still hold the last
     * child's records, whose commit marks must not pass for new ones */
    uint64_t seq = p->rseq;
    memcpy(p, c, offsetof(struct ipcpg_ctl, errors));
    p->tokens = 0;
    p->handlers = 0;
    p->stmts = 0;
    p->wseq = p->rseq = seq;
    p->dropped = 0;
    memset((void *)p->calls, 0, sizeof p->calls);
    memset((void *)p->chan, 0, sizeof p->chan);
    /* failures and connection counts are the child's own, from none */
    memset((char *)p + offsetof(struct ipcpg_ctl, errors), 0, offsetof(struct ipcpg_ctl, pid) - offsetof(struct ipcpg_ctl, errors));
    p->parent = my_slot;
    p->slot = (int32_t)i;
    p->npool = 0;
    memset((void *)p->line_hits, 0, sizeof p->line_hits);
    p->state = IPCPG_ST_RUNNING;
    if (!observed) {
        /* nobody opens its gate or reads its ring: it runs free, and records nothing */
        p->gate = IPCPG_GATE_FREE;
        p->slow = 0;
        p->trace = 0;
    }
    pid_t r = __real_fork();
    if (r == 0) {
        ipcpg_ctl = p;
        ring = (struct ipcpg_rec *)((char *)p + IPCPG_RING_OFFSET);
        my_slot = observed ? (int)i : -2;
        if (!observed)
            npool = 0; /* its own children would have no parent the server knows */
        return 0;
    }
    int e = errno;
    if (observed)
        __atomic_store_n(&p->pid, r == -1 ? 0 : r, __ATOMIC_RELEASE);
    end(k, r, e, observed ? (int64_t)i : -1, 0, 0, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

/* waitpid(2), recorded always: the server learns from it which child ended, how, and that it was reaped. */
REAL(pid_t, waitpid, pid_t, int *, int);
pid_t __wrap_waitpid(pid_t pid, int *status, int options)
{
    struct call k = begin_recorded(IPCPG_CALL_waitpid, 1);
    int st = 0;
    pid_t r = __real_waitpid(pid, &st, options);
    if (status)
        *status = st;
    end(k, r, errno, pid, r > 0 ? st : 0, options, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, pause, void);
int __wrap_pause(void)
{
    struct call k = begin(IPCPG_CALL_pause);
    int r = __real_pause();
    end(k, r, errno, 0, 0, 0, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, poll, struct pollfd *, nfds_t, int);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    /* recorded always: the page shows which descriptors it found ready */
    struct call k = begin_recorded(IPCPG_CALL_poll, 1);
    int r = __real_poll(fds, n, timeout);
    /* the pollfds after the call: fd, events and the revents the kernel filled in */
    end(k, r, errno, (int64_t)n, timeout, 0, 0, fds, n * sizeof *fds, MOVES_NONE);
    return r;
}

REAL(unsigned, alarm, unsigned);
unsigned __wrap_alarm(unsigned seconds)
{
    struct call k = begin(IPCPG_CALL_alarm);
    unsigned r = __real_alarm(seconds);
    end(k, r, 0, seconds, 0, 0, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

static int64_t mask_bits(const sigset_t *set)
{
    int64_t bits = 0;
    if (set)
        for (int s = 1; s < 64; s++)
            if (sigismember(set, s) == 1)
                bits |= (int64_t)1 << (s - 1);
    return bits;
}

REAL(int, sigsuspend, const sigset_t *);
int __wrap_sigsuspend(const sigset_t *mask)
{
    struct call k = begin(IPCPG_CALL_sigsuspend);
    int r = __real_sigsuspend(mask);
    end(k, r, errno, mask_bits(mask), 0, 0, 0, NULL, 0, MOVES_RECV);
    return r;
}

REAL(int, sigprocmask, int, const sigset_t *, sigset_t *);
int __wrap_sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    struct call k = begin(IPCPG_CALL_sigprocmask);
    int r = __real_sigprocmask(how, set, old);
    end(k, r, errno, how, mask_bits(set), set ? 1 : 0, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, nanosleep, const struct timespec *, struct timespec *);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
    struct call k = begin(IPCPG_CALL_nanosleep);
    int r = __real_nanosleep(req, rem);
    end(k, r, errno, req->tv_sec, req->tv_nsec, 0, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(void *, shmat, int, const void *, int);
void *__wrap_shmat(int id, const void *addr, int flg)
{
    struct call k = begin(IPCPG_CALL_shmat);
    void *r = __real_shmat(id, addr, flg);
    end(k, r == (void *)-1 ? -1 : (int64_t)(intptr_t)r, errno, id, 0, flg, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(void *, mmap, void *, size_t, int, int, int, off_t);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    struct call k = begin(IPCPG_CALL_mmap);
    void *r = __real_mmap(addr, len, prot, flags, fd, off);
    end(k, r == MAP_FAILED ? -1 : (int64_t)(intptr_t)r, errno, (int64_t)len, prot, flags, fd, NULL, (size_t)-1, MOVES_NONE);
    return r;
}

REAL(int, shm_open, const char *, int, mode_t);
int __wrap_shm_open(const char *name, int flags, mode_t mode)
{
    struct call k = begin(IPCPG_CALL_shm_open);
    int r = __real_shm_open(name, flags, mode);
    end(k, r, errno, 0, flags, mode, 0, name, strlen(name), MOVES_NONE);
    return r;
}

/* printf + fflush(stdout): the one write(2) the kernel sees is fflush's; record it as such. */
REAL(int, fflush, FILE *);
int __wrap_fflush(FILE *f)
{
    if (f != stdout || !started)
        return __real_fflush(f);
    const char *base = f->_IO_write_base;
    size_t n = (size_t)(f->_IO_write_ptr - f->_IO_write_base);
    if (n == 0)
        return __real_fflush(f);
    struct call k = begin_recorded(IPCPG_CALL_write, 1);
    int r = __real_fflush(f);
    /* the buffer is intact until the next printf: show what went out (counted as a send when
     * fd 1 is a pipe joined as a shell's |: the line of the print maps to it) */
    end(k, r == 0 ? (int64_t)n : -1, errno, 1, 0, (int64_t)n, 0, base, n, MOVES_SEND);
    return r;
}

/* ---- signals ----------------------------------------------------------------------------- */

static void (*handlers[65])(int);

/* Runs the program's handler, as the kernel called it, between two records; the line and state
 * of the code it interrupted come back afterwards. */
static void trampoline(int sig)
{
    struct ipcpg_ctl *c = ipcpg_ctl;
    int saved_errno = errno;
    int line = c->line;
    uint32_t state = c->state, call = c->call;
    int call_line = c->call_line;
    int64_t a[4] = { sig, 0, 0, 0 };
    record(IPCPG_REC_SIGNAL, 0, line, 0, 0, a, now_ns(), 0, NULL, 0, 0);
    c->handlers++;
    __atomic_store_n(&c->state, IPCPG_ST_RUNNING, __ATOMIC_RELEASE);
    errno = saved_errno;
    handlers[sig](sig);
    saved_errno = errno;
    c->handlers--;
    c->line = line;
    c->call = call;
    c->call_line = call_line;
    __atomic_store_n(&c->state, state, __ATOMIC_RELEASE);
    record(IPCPG_REC_HANDLER_END, 0, line, 0, 0, a, now_ns(), 0, NULL, 0, 0);
    errno = saved_errno;
}

REAL(int, sigaction, int, const struct sigaction *, struct sigaction *);
int __wrap_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    struct sigaction mine;
    const struct sigaction *use = act;
    if (act && sig > 0 && sig < 65 && !(act->sa_flags & SA_SIGINFO) && act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN) {
        handlers[sig] = act->sa_handler;
        mine = *act;
        mine.sa_handler = trampoline;
        use = &mine;
    }
    struct call k = begin(IPCPG_CALL_sigaction);
    int r = __real_sigaction(sig, use, old);
    end(k, r, errno, sig, act ? (int64_t)act->sa_flags : -1, act && act->sa_handler == SIG_IGN ? 1 : act && act->sa_handler == SIG_DFL ? 0 : 2, 0, NULL, (size_t)-1, MOVES_NONE);
    return r;
}
