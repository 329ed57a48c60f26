/*
 * ipcpg_contain: see contain.h. Order matters:
 *  1. join the cgroups first: writing to cgroup.procs needs root, and from then on every
 *     page and child of the process counts against the run's limits;
 *  2. setgroups(0) before the gid change and the gid before the uid, since each step needs
 *     the privilege the next one removes;
 *  3. with every uid nonzero the kernel clears the effective, permitted and ambient
 *     capabilities; inheritable ones are cleared here too, then all are checked to be zero
 *     (a securebits setting such as SECBIT_NO_SETUID_FIXUP would otherwise keep them);
 *  4. no_new_privs: no setuid binary or file capability can give anything back on exec;
 *  5. dumpable again: the id change made the process non-dumpable, which makes the files under
 *     /proc/PID root-owned and unreadable to its own uid; the server reads /proc/PID and uses
 *     pidfd_getfd on it. Processes of the same run (same uid) may then ptrace each other,
 *     other runs (other uids) may not.
 */
#define _GNU_SOURCE
#include "contain.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- messages without stdio or malloc (async-signal-safe) ---- */

struct msg {
	char *buf;
	size_t len, cap;
};

static void put(struct msg *m, const char *s)
{
	if (m->cap == 0)
		return;
	while (*s && m->len + 1 < m->cap)
		m->buf[m->len++] = *s++;
	m->buf[m->len] = '\0';
}

static void put_num(struct msg *m, unsigned long v)
{
	char tmp[24];
	int i = (int)sizeof tmp - 1;
	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	put(m, tmp + i);
}

/* "what: ENAME (description)" from errno e; returns -1 for the caller to return */
static int fail(struct msg *m, const char *what, const char *arg, int e)
{
	put(m, what);
	if (arg) {
		put(m, " ");
		put(m, arg);
	}
	if (e) {
		const char *name = strerrorname_np(e), *desc = strerrordesc_np(e);
		put(m, ": ");
		if (name) {
			put(m, name);
		} else {
			put(m, "errno ");
			put_num(m, (unsigned long)e);
		}
		if (desc) {
			put(m, " (");
			put(m, desc);
			put(m, ")");
		}
	}
	return -1;
}

/* ---- steps ---- */

static int join_cgroup(const char *file, const char *pidtext, size_t pidlen, struct msg *m)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(m, "open", file, errno);
	ssize_t w = write(fd, pidtext, pidlen);
	int e = errno;
	close(fd); /* before returning, on every path: no fd survives */
	if (w < 0)
		return fail(m, "write pid to", file, e);
	if ((size_t)w != pidlen)
		return fail(m, "short write to", file, 0);
	return 0;
}

static int caps_zero(struct msg *m)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	memset(d, 0, sizeof d);
	/* dropping inheritable capabilities is always allowed: an all-zero capset cannot fail for lack of privilege */
	if (syscall(SYS_capset, &h, d) != 0)
		return fail(m, "capset(0)", NULL, errno);
	/* ambient ones (Linux 4.3) are cleared by the uid change already; EINVAL on older kernels */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
		return fail(m, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)", NULL, errno);
	if (syscall(SYS_capget, &h, d) != 0)
		return fail(m, "capget", NULL, errno);
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable)
			return fail(m, "capabilities are still set after the uid change", NULL, 0);
	return 0;
}

static int drop_ids(unsigned uid, unsigned gid, struct msg *m)
{
	if (uid == 0 || gid == 0)
		return fail(m, "refusing uid or gid 0", NULL, 0);
	if (setgroups(0, NULL) != 0)
		return fail(m, "setgroups(0)", NULL, errno);
	if (setresgid(gid, gid, gid) != 0)
		return fail(m, "setresgid", NULL, errno);
	if (setresuid(uid, uid, uid) != 0)
		return fail(m, "setresuid", NULL, errno);
	/* trust but verify: every id, not just the effective one */
	uid_t r, e, s;
	gid_t gr, ge, gs;
	if (getresuid(&r, &e, &s) != 0 || r != uid || e != uid || s != uid)
		return fail(m, "uids did not all change", NULL, 0);
	if (getresgid(&gr, &ge, &gs) != 0 || gr != gid || ge != gid || gs != gid)
		return fail(m, "gids did not all change", NULL, 0);
	if (getgroups(0, NULL) != 0)
		return fail(m, "supplementary groups remain", NULL, 0);
	return 0;
}

int ipcpg_contain(const char *const *procs_files, int n, unsigned uid, unsigned gid, char *err, size_t errlen)
{
	struct msg m = { err, 0, errlen };
	if (errlen)
		err[0] = '\0';

	/* the pid as text, "1234\n": cgroup.procs takes one pid per write */
	char pidtext[24];
	size_t len = 0;
	{
		char rev[24];
		size_t k = 0;
		unsigned long v = (unsigned long)getpid();
		do {
			rev[k++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		while (k)
			pidtext[len++] = rev[--k];
		pidtext[len++] = '\n';
	}
	for (int i = 0; i < n; i++)
		if (join_cgroup(procs_files[i], pidtext, len, &m) != 0)
			return -1;

	if (uid != IPCPG_KEEP_ID || gid != IPCPG_KEEP_ID) {
		if (uid == IPCPG_KEEP_ID || gid == IPCPG_KEEP_ID)
			return fail(&m, "uid and gid must both be given or both be IPCPG_KEEP_ID", NULL, 0);
		if (drop_ids(uid, gid, &m) != 0)
			return -1;
	}
	/* whatever the ids given: never a process with id 0 (root without capabilities still owns root's files) */
	{
		uid_t r, e, s;
		gid_t gr, ge, gs;
		if (getresuid(&r, &e, &s) != 0 || r == 0 || e == 0 || s == 0 || getresgid(&gr, &ge, &gs) != 0 || gr == 0 || ge == 0 || gs == 0)
			return fail(&m, "refusing to run with uid or gid 0", NULL, 0);
	}
	if (caps_zero(&m) != 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return fail(&m, "prctl(PR_SET_NO_NEW_PRIVS)", NULL, errno);
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
		return fail(&m, "prctl(PR_SET_DUMPABLE)", NULL, errno);
	return 0;
}
