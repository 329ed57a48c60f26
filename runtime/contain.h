/*
 * Containment of a run process, done by the process itself before it runs user code:
 * join the run's cgroups, drop to the run's own uid/gid, forbid privilege regain.
 * Self-contained (libc only); see contain.c for the order of steps and why.
 */
#ifndef IPCPG_CONTAIN_H
#define IPCPG_CONTAIN_H

#include <stddef.h>

/* uid and gid both IPCPG_KEEP_ID: keep the current ids (a server that is not root has no
 * pool of ids); capabilities must still be all zero, so root without an id is refused. */
#define IPCPG_KEEP_ID ((unsigned)-1)

/*
 * procs_files: n paths of cgroup.procs files (one per cgroup v1 hierarchy, one for v2; n may
 * be 0). uid, gid: the run's ids, never 0 (or both IPCPG_KEEP_ID).
 * Returns 0 when contained; -1 with a message in err (NUL-terminated, truncated to errlen)
 * when not, after which the caller must not run user code (it should _exit): some steps
 * may have been done and others not.
 * Opens no fd that outlives the call. No stdio, no malloc (messages are built by hand), so
 * it may also run in the child of a fork of a multithreaded process, before exec.
 */
int ipcpg_contain(const char *const *procs_files, int n, unsigned uid, unsigned gid, char *err, size_t errlen);

#endif
