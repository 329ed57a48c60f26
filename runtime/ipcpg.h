/* The control page: what a run process shares with the server, one memfd per process, mapped
 * by both. The process writes its line, state, counters and an event ring; the server writes
 * the gate, the trace switch, the PIDs and the line->channel table, and reads the rest.
 * lib/wire.ts holds the same offsets (a test compiles this header and compares). */
#ifndef IPCPG_H
#define IPCPG_H

#include <stdint.h>
#include "calls.h"

#define IPCPG_MAGIC 0x50435049u          /* "IPCP" */
#define IPCPG_VERSION 1u
#define IPCPG_MAX_PROCS 64
#define IPCPG_MAX_CHANS 32
#define IPCPG_MAX_LINES 4096
#define IPCPG_RING_SLOTS 2048             /* a power of two */
#define IPCPG_PREVIEW 48
#define IPCPG_MAX_CGROUPS 4
#define IPCPG_CGROUP_PATH 256

/* gate */
enum { IPCPG_GATE_FREE = 0, IPCPG_GATE_PAUSED = 1, IPCPG_GATE_SLOW = 2 };
/* state */
enum { IPCPG_ST_STARTING = 0, IPCPG_ST_READY = 1, IPCPG_ST_RUNNING = 2, IPCPG_ST_IN_CALL = 3, IPCPG_ST_PAUSED = 4 };
/* ring record kinds */
enum { IPCPG_REC_SYSCALL = 1, IPCPG_REC_LINE = 2, IPCPG_REC_SIGNAL = 3, IPCPG_REC_HANDLER_END = 4 };

struct ipcpg_rec {                        /* 128 bytes */
    uint32_t commit;                      /* (seq + 1), written last */
    uint16_t kind;
    uint16_t call;
    int32_t line;
    int32_t err;
    int64_t ret;
    int64_t a[4];
    uint64_t t;                           /* CLOCK_MONOTONIC ns at the start */
    uint64_t dur;                         /* ns */
    uint32_t dlen;                        /* bytes in data */
    uint32_t dfull;                       /* bytes the call moved (data may hold fewer) */
    uint8_t data[IPCPG_PREVIEW];
};

struct ipcpg_ctl {
    uint32_t magic;                       /* 0 */
    uint32_t version;                     /* 4 */
    volatile uint32_t gate;               /* 8: written by the server */
    volatile uint32_t tokens;             /* 12: futex word; the server adds, the process takes */
    volatile uint32_t slow;               /* 16: gate != FREE or line events wanted */
    volatile uint32_t trace;              /* 20: record every call */
    volatile uint32_t state;              /* 24 */
    volatile uint32_t call;               /* 28: the call in progress when state is IN_CALL */
    volatile int32_t line;                /* 32 */
    volatile int32_t call_line;           /* 36 */
    volatile uint32_t handlers;           /* 40: signal handlers running */
    uint32_t last_fd;                     /* 44: the highest fd the server passed; others are closed */
    volatile uint64_t stmts;              /* 48 */
    volatile uint64_t wseq;               /* 56: next record the process writes */
    volatile uint64_t rseq;               /* 64: next record the server reads */
    volatile uint64_t dropped;            /* 72 */
    uint64_t t_start;                     /* 80 */
    int32_t pids[IPCPG_MAX_PROCS];        /* 88: every process's PID, for kill() */
    volatile uint64_t calls[64];          /* 344: calls made, by call number */
    volatile uint64_t chan[IPCPG_MAX_CHANS][3];   /* 856: sends, receives, bytes sent */
    volatile int32_t chan_fd[IPCPG_MAX_CHANS];    /* 1624: the fd this process holds of a channel, -1 none */
    uint8_t line_chan[IPCPG_MAX_LINES];   /* 1752: channel index + 1 of a program line, 0 none */
    uint32_t uid;                         /* 5848: the run's uid, dropped to at the start (0: stay) */
    uint32_t gid;                         /* 5852 */
    uint32_t ncg;                         /* 5856: cgroups to join at the start */
    uint32_t pad1;                        /* 5860 */
    char cgroup_procs[IPCPG_MAX_CGROUPS][IPCPG_CGROUP_PATH];   /* 5864: their cgroup.procs files */
    volatile uint32_t errors;             /* 6888: calls that failed (pause and sigsuspend always do: not counted) */
    volatile int32_t last_err;            /* 6892: the errno of the latest */
    volatile int32_t last_err_line;       /* 6896: its program line */
    volatile uint32_t last_err_call;      /* 6900: its call number */
    volatile uint32_t accepted[IPCPG_MAX_CHANS];  /* 6904: connections accept(2) gave on a channel's listening socket */
    volatile uint32_t conns_closed[IPCPG_MAX_CHANS];  /* 7032: how many of those this process has closed */
    volatile int32_t pid;                 /* 7160: a pool page: its child's PID, written by the parent after fork (0: free, -1: being forked) */
    int32_t parent;                       /* 7164: the page of the process that forked it: -1 its own, else a pool index */
    int32_t slot;                         /* 7168: this page's pool index; -1 on a process's own page */
    uint32_t npool;                       /* 7172: pages in the process's pool of pages for forked children */
    uint8_t pad2[8192 - 7176];
    volatile uint32_t line_hits[IPCPG_MAX_LINES];  /* 8192: times each line's statement began */
};

#define IPCPG_RING_OFFSET 24576
#define IPCPG_PAGE_BYTES (IPCPG_RING_OFFSET + IPCPG_RING_SLOTS * 128)

extern struct ipcpg_ctl *ipcpg_ctl;
void ipcpg_gate(int line);

/* Before each statement: the line, and at full speed one load and a predicted branch. */
static inline void ipcpg_at(int line)
{
    struct ipcpg_ctl *c = ipcpg_ctl;
    c->line = line;
    c->stmts++;
    /* per line: shared memory's write and read are plain memory, counted by their statements */
    c->line_hits[line & (IPCPG_MAX_LINES - 1)]++;
    if (__builtin_expect(c->slow != 0, 0))
        ipcpg_gate(line);
}

/* Called by the hosted main: maps the control page (fd), closes fd. */
void ipcpg_init(int fd, int start_fd, int pool_fd);
/* Every process's PID, for the program's pid_of[] */
int *ipcpg_pids(void);

#endif
