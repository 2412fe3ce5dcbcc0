/*
 * The guest's /proc: the same files as the host kernel's /proc, made of
 * the guest's own figures (not the host's), in Linux's formats.
 *
 *   /proc/meminfo, kheap, stat, cpuinfo, loadavg, uptime, version,
 *         filesystems, mounts          the system (procfs_text.c)
 *   /proc/self                         the caller's /proc/PID
 *   /proc/PID/stat, statm, status, maps, cmdline, environ, comm (writable),
 *         limits, mounts, mountinfo, pagemap   the process (procfs_text.c)
 *   /proc/PID/exe, cwd, root           links to its program and directories
 *   /proc/PID/fd/N, fdinfo/N           its descriptors
 *   /proc/sys/fs/pipe-max-size, kernel/{pid_max,threads-max,tainted,
 *         ostype,osrelease,hostname}, vm/max_map_count   the sysctls, read
 *         and written with Linux's rules (<lib/sysctl_text.h>, shared with
 *         the host kernel)
 *
 * An open /proc file is an F_MEM gfile: its whole text is made at open
 * (a snapshot) and read from memory; a directory's "text" is its list of
 * linux_dirent64 records, which getdents64 hands out whole.  Sysctls,
 * comm writes and pagemap reads work live instead.  The links are
 * followed by path.c (procfs_follow), so exec, open and stat of
 * /proc/self/exe reach the program's file on the host.
 */
#include "procfs.h"
#include "sys.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <lib/sysctl_text.h>
#include <uapi/dirent.h>

char guest_hostname[65] = "uml-guest";
static int tainted, max_map_count = 65530;

/* The sysctls: node PN_SYSCTL + i is sysctls[i]. */
static const struct sysctl {
	const char *path;               /* under /proc/sys */
	int kind;                       /* 0 an int in [min, max], 1 a pipe size, 2 a string */
	void *data;                     /* uint32_t *, int * or char[max + 1] */
	int min, max;                   /* strings: min 0 read-only */
} sysctls[] = {
	{ "/fs/pipe-max-size", 1, &pipe_max_size, 0, 0 },
	{ "/kernel/pid_max", 0, &pid_max, PID_MAX_MIN, PID_MAX_LIMIT },
	{ "/kernel/threads-max", 0, &max_threads, 1, THREADS_MAX_LIMIT },
	{ "/kernel/tainted", 0, &tainted, 0, 0x7fffffff },
	{ "/kernel/ostype", 2, "Linux", 0, 0 },
	{ "/kernel/osrelease", 2, "6.1.0-uml-guest", 0, 0 },
	{ "/kernel/hostname", 2, guest_hostname, 1, 64 },
	{ "/vm/max_map_count", 0, &max_map_count, 0, 0x7fffffff },
};
#define N_SYSCTLS       (int)(sizeof sysctls / sizeof sysctls[0])

struct entry {
	const char *name;
	int node, type;                 /* DT_* */
};
static const struct entry root_tab[] = {
	{ "meminfo", PN_MEMINFO, DT_REG }, { "kheap", PN_KHEAP, DT_REG }, { "self", PN_SELF, DT_LNK },
	{ "sys", PN_SYS, DT_DIR }, { "stat", PN_STAT_SYS, DT_REG }, { "cpuinfo", PN_CPUINFO, DT_REG },
	{ "loadavg", PN_LOADAVG, DT_REG }, { "uptime", PN_UPTIME, DT_REG },
	{ "version", PN_VERSION, DT_REG }, { "filesystems", PN_FILESYSTEMS, DT_REG },
	{ "mounts", PN_MOUNTS_SYS, DT_LNK },        /* Linux's link to self/mounts */
};
static const struct entry pid_tab[] = {
	{ "stat", PN_STAT, DT_REG }, { "statm", PN_STATM, DT_REG }, { "status", PN_STATUS, DT_REG },
	{ "maps", PN_MAPS, DT_REG }, { "cmdline", PN_CMDLINE, DT_REG }, { "environ", PN_ENVIRON, DT_REG },
	{ "comm", PN_COMM, DT_REG }, { "exe", PN_EXE, DT_LNK }, { "cwd", PN_CWD, DT_LNK },
	{ "root", PN_ROOTLINK, DT_LNK }, { "fd", PN_FD_DIR, DT_DIR }, { "fdinfo", PN_FDINFO_DIR, DT_DIR },
	{ "limits", PN_LIMITS, DT_REG }, { "mounts", PN_MOUNTS, DT_REG },
	{ "mountinfo", PN_MOUNTINFO, DT_REG }, { "pagemap", PN_PAGEMAP, DT_REG },
};
#define N_ROOT  (int)(sizeof root_tab / sizeof root_tab[0])
#define N_PID   (int)(sizeof pid_tab / sizeof pid_tab[0])

static const char *const sys_dirs[] = { "fs", "kernel", "vm" };

/* The /proc/sys node s ("" or "/fs/pipe-max-size"...) names, or -ENOENT. */
static int sys_lookup(const char *s)
{
	if (!*s || !strcmp(s, "/"))
		return PN_SYS;
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(sys_dirs[i]);
		if (s[0] == '/' && !strncmp(s + 1, sys_dirs[i], n) && (!s[n + 1] || !strcmp(s + n + 1, "/")))
			return PN_SYS_FS + i;
	}
	for (int i = 0; i < N_SYSCTLS; i++)
		if (!strcmp(s, sysctls[i].path))
			return PN_SYSCTL + i;
	return -ENOENT;
}

static int is_dir(int node)
{
	return node == PN_ROOT || node == PN_PID || node == PN_FD_DIR || node == PN_FDINFO_DIR ||
	       (node >= PN_SYS && node <= PN_SYS_VM);
}

static int is_link(int node)
{
	return node == PN_SELF || node == PN_EXE || node == PN_CWD || node == PN_ROOTLINK ||
	       node == PN_FD_LINK || node == PN_MOUNTS_SYS;
}

/* A number at s up to the end or a '/': it, with *end after it; -1 if none. */
static int number(const char *s, const char **end)
{
	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return -1;
	long v = 0;
	while (*s >= '0' && *s <= '9' && v < 100000000)
		v = v * 10 + (*s++ - '0');
	*end = s;
	return (int)v;
}

/* What abs ("/proc..." clean) names: a node, with *pid and *fd for
 * per-process ones, or -ENOENT. */
/* Who owns a /proc/PID file of mode mode: the process's effective ids,
 * but root's for an undumpable process (or a zombie), all but the
 * world-readable directories (Linux's task_dump_owner). */
static void proc_owner(const struct proc *t, uint32_t mode, struct stat64 *st)
{
	st->st_uid = st->st_gid = 0;
	if (t && (mode == (S_IFDIR | 0555) || (t->dumpable && t->mm && t->state != P_ZOMBIE))) {
		st->st_uid = t->euid;
		st->st_gid = t->egid;
	}
}

/* May p search t's fd/ or fdinfo/ (0500, proc_owner's)?  Its own always
 * (Linux's proc_fd_permission). */
static int fd_dir_searchable(struct proc *p, struct proc *t)
{
	struct stat64 st = { .st_mode = S_IFDIR | 0500 };
	proc_owner(t, st.st_mode, &st);
	return t == p || !guest_permission(p, &st, 1);
}

static int lookup(struct proc *p, const char *abs, int *pid, int *fd)
{
	const char *s = abs + 5;                /* after "/proc" */
	*fd = -1;
	if (!*s || !strcmp(s, "/"))
		return PN_ROOT;
	if (!strncmp(s, "/sys", 4) && (s[4] == 0 || s[4] == '/'))
		return sys_lookup(s + 4);
	if (!strncmp(s, "/self", 5) && (s[5] == 0 || s[5] == '/')) {
		*pid = p->pid;
		if (!s[5])
			return PN_SELF;
		s += 5;
	} else if (s[0] == '/' && (*pid = number(s + 1, &s)) > 0) {
		if (*s && *s != '/')
			return -ENOENT;
	} else {
		for (int i = 0; i < N_ROOT; i++)
			if (s[0] == '/' && !strcmp(s + 1, root_tab[i].name))
				return root_tab[i].node;
		return -ENOENT;
	}
	struct proc *t = proc_find(*pid);
	if (!t)
		return -ENOENT;
	if (!*s || !strcmp(s, "/"))
		return PN_PID;
	for (int i = 0; i < N_PID; i++) {
		size_t n = strlen(pid_tab[i].name);
		if (strncmp(s + 1, pid_tab[i].name, n))
			continue;
		int node = pid_tab[i].node;
		const char *rest = s + 1 + n;
		if (!*rest || (is_dir(node) && !strcmp(rest, "/")))
			return node == PN_EXE && !t->mm ? -ENOENT : node;
		if ((node != PN_FD_DIR && node != PN_FDINFO_DIR) || rest[0] != '/')
			continue;
		if (!fd_dir_searchable(p, t))
			return -EACCES;
		*fd = number(rest + 1, &rest);
		if (*fd < 0 || *rest || *fd >= t->max_fds || !t->fd[*fd] || t->state == P_ZOMBIE)
			return -ENOENT;
		return node == PN_FD_DIR ? PN_FD_LINK : PN_FDINFO;
	}
	return -ENOENT;
}

/* Where a link points, into out (size bytes): its length, or -errno. */
static int link_target(struct proc *p, int node, int pid, int fd, char *out, int size)
{
	struct proc *t = proc_find(pid);
	switch (node) {
	case PN_SELF: return snprintf(out, size, "%d", p->pid);
	case PN_EXE: return snprintf(out, size, "%s", t->exe);
	case PN_CWD: return snprintf(out, size, "%s", t->cwd);
	case PN_ROOTLINK: return snprintf(out, size, "/");
	case PN_MOUNTS_SYS: return snprintf(out, size, "self/mounts");
	case PN_FD_LINK: return proc_fd_path(t, fd, out, size);
	}
	return -EINVAL;
}

int procfs_follow(struct proc *p, char *abs)
{
	int pid, fd;
	int node = lookup(p, abs, &pid, &fd);
	if (node < 0 || node == PN_SELF || !is_link(node))
		return 1;
	static char target[PATH_MAX_];
	int n = link_target(p, node, pid, fd, target, sizeof target);
	if (node == PN_MOUNTS_SYS) {
		strcpy(abs, "/proc/self/mounts");       /* relative to /proc */
		return 1;
	}
	if (n < 0 || n >= (int)sizeof target || target[0] != '/')
		return 1;               /* "pipe:[5]": nothing to follow to */
	strcpy(abs, target);
	return !strncmp(abs, "/proc", 5) && (!abs[5] || abs[5] == '/');  /* still ours? */
}

/* readlink: the target, cut to size, without a NUL (as readlink does). */
long procfs_readlink(struct proc *p, const char *abs, char *out, size_t size)
{
	static char target[PATH_MAX_];
	int pid, fd;
	int node = lookup(p, abs, &pid, &fd);
	if (node < 0)
		return node;
	if (!is_link(node))
		return -EINVAL;
	int n = link_target(p, node, pid, fd, target, sizeof target);
	if (n < 0)
		return n;
	if ((size_t)n > size)
		n = size;
	memcpy(out, target, n);
	return n;
}

long procfs_stat(struct proc *p, const char *abs, int nofollow, struct stat64 *st)
{
	int pid = 0, fd;
	int node = lookup(p, abs, &pid, &fd);
	if (node < 0)
		return node;
	memset(st, 0, sizeof *st);
	st->st_dev = MKDEV64(0, 4);
	st->st_ino = st->__st_ino = (uint64_t)pid << 16 | (uint32_t)(fd + 1) << 6 | node;
	st->st_nlink = 1;
	st->st_blksize = PAGE;
	if (is_dir(node) || (node == PN_SELF && !nofollow))
		st->st_mode = node == PN_FD_DIR || node == PN_FDINFO_DIR ? S_IFDIR | 0500 : S_IFDIR | 0555;
	else if (is_link(node))
		st->st_mode = node == PN_FD_LINK ? S_IFLNK | 0700 : S_IFLNK | 0777;
	else if (node >= PN_SYSCTL)
		st->st_mode = sysctls[node - PN_SYSCTL].kind == 2 && !sysctls[node - PN_SYSCTL].min
		              ? S_IFREG | 0444 : S_IFREG | 0644;
	else
		st->st_mode = node == PN_COMM ? S_IFREG | 0644 : node == PN_ENVIRON || node == PN_PAGEMAP
		              ? S_IFREG | 0400 : S_IFREG | 0444;
	if (pid && !(node == PN_SELF && nofollow))      /* the link itself is /proc's: root's */
		proc_owner(proc_find(pid), st->st_mode, st);
	return 0;
}

/* ---- Directories ---- */

static int add_dirent(char *buf, int at, int size, uint64_t ino, int type, const char *name)
{
	struct linux_dirent64 d;
	int len = (offsetof(struct linux_dirent64, d_name) + strlen(name) + 1 + 7) & ~7;
	if (at + len > size)
		return at;
	memset(buf + at, 0, len);
	d.d_ino = ino;
	d.d_off = at + len;
	d.d_reclen = len;
	d.d_type = type;
	memcpy(buf + at, &d, offsetof(struct linux_dirent64, d_name));
	strcpy(buf + at + offsetof(struct linux_dirent64, d_name), name);
	return at + len;
}

static int dir_text(int node, int pid, char *buf, int size)
{
	struct proc *t = proc_find(pid);
	char name[16];
	uint64_t base = (uint64_t)pid << 16;
	int n = add_dirent(buf, 0, size, base | node, DT_DIR, ".");
	n = add_dirent(buf, n, size, 1, DT_DIR, "..");
	switch (node) {
	case PN_ROOT:
		for (int i = 0; i < N_ROOT; i++)
			n = add_dirent(buf, n, size, root_tab[i].node, root_tab[i].type, root_tab[i].name);
		for (int i = 0; i < proc_slots; i++) {
			if (procs[i]->state == P_FREE)
				continue;
			snprintf(name, sizeof name, "%d", procs[i]->pid);
			n = add_dirent(buf, n, size, (uint64_t)procs[i]->pid << 16 | PN_PID, DT_DIR, name);
		}
		return n;
	case PN_PID:
		for (int i = 0; i < N_PID; i++)
			if (pid_tab[i].node != PN_EXE || t->mm)
				n = add_dirent(buf, n, size, base | pid_tab[i].node, pid_tab[i].type, pid_tab[i].name);
		return n;
	case PN_FD_DIR:
	case PN_FDINFO_DIR:
		for (int fd = 0; t->state != P_ZOMBIE && fd < t->max_fds; fd++) {
			if (!t->fd[fd])
				continue;
			snprintf(name, sizeof name, "%d", fd);
			n = add_dirent(buf, n, size, base | (uint32_t)(fd + 1) << 6 | node, node == PN_FD_DIR
			               ? DT_LNK : DT_REG, name);
		}
		return n;
	case PN_SYS:
		for (int i = 0; i < 3; i++)
			n = add_dirent(buf, n, size, PN_SYS_FS + i, DT_DIR, sys_dirs[i]);
		return n;
	default: {                              /* PN_SYS_FS, _KERNEL, _VM */
		char dir[16];
		snprintf(dir, sizeof dir, "/%s/", sys_dirs[node - PN_SYS_FS]);
		for (int i = 0; i < N_SYSCTLS; i++)
			if (!strncmp(sysctls[i].path, dir, strlen(dir)))
				n = add_dirent(buf, n, size, PN_SYSCTL + i, DT_REG, sysctls[i].path + strlen(dir));
		return n;
	}
	}
}

/* open() of a /proc path (links already followed): a snapshot in memory. */
long procfs_open(struct proc *p, const char *abs, int flags, struct gfile **out)
{
	int pid = 0, fd;
	int node = lookup(p, abs, &pid, &fd);
	if (node < 0)
		return node;
	if (node == PN_SELF)
		node = PN_PID;
	int dir = is_dir(node), acc = flags & O_ACCMODE;
	if ((flags & O_DIRECTORY) && !dir)
		return -ENOTDIR;
	/* The owner and mode decide, as for any file (a process's own fd/
	 * and fdinfo/ always open to it). */
	static const int want[4] = { 4, 2, 6, 6 };     /* Linux's ACC_MODE */
	struct stat64 st;
	long err = procfs_stat(p, abs, 0, &st);
	if (!err && !((node == PN_FD_DIR || node == PN_FDINFO_DIR) && pid == p->pid))
		err = guest_permission(p, &st, want[acc] | (flags & O_TRUNC ? 2 : 0));
	if (err)
		return err;
	if (node >= PN_SYSCTL || node == PN_COMM || node == PN_PAGEMAP) {  /* live, not snapshots */
		const struct sysctl *c = node >= PN_SYSCTL ? &sysctls[node - PN_SYSCTL] : NULL;
		if (acc != O_RDONLY && (node == PN_PAGEMAP || (c && c->kind == 2 && !c->min)))
			return -EACCES;         /* no write bits: refused even to root, as Linux */
		struct gfile *f = file_new(F_MEM, flags & (O_ACCMODE | O_NONBLOCK));
		if (!f)
			return -ENOMEM;
		f->sysctl = c ? node - PN_SYSCTL + 1 : 0;
		f->proc_node = node, f->proc_pid = pid;
		if (node == PN_COMM && acc != O_WRONLY) {
			f->data = malloc(32);
			f->size = f->data ? proc_text(node, proc_find(pid), -1, f->data, 32) : 0;
		}
		*out = f;
		return 0;
	}
	if (acc != O_RDONLY || (flags & O_CREAT))
		return -EACCES;
	if (is_link(node))
		return -ENOENT;         /* a pipe's fd link: nothing to open here */
	struct gfile *f = file_new(F_MEM, O_RDONLY);
	if (!f)
		return -ENOMEM;
	for (int size = 8192;; size *= 2) {
		char *buf = malloc(size);
		if (!buf) {
			free(f);
			return -ENOMEM;
		}
		int len = dir ? dir_text(node, pid, buf, size)
		              : proc_text(node, proc_find(pid), fd, buf, size);
		if (len < size || size >= (1 << 20)) {
			f->data = buf;
			f->size = len < size ? len : size;
			break;
		}
		free(buf);
	}
	f->mem_dir = dir;
	*out = f;
	return 0;
}

/*
 * A sysctl read: its number as text, made now, served at offset 0 only
 * (Linux makes the text on each read and serves nothing past offset 0).
 */
static long sysctl_read(struct proc *p, struct gfile *f, uint32_t ubuf, uint32_t n)
{
	const struct sysctl *c = &sysctls[f->sysctl - 1];
	char text[80];
	if (f->pos || !n)
		return 0;
	int len = c->kind == 1 ? snprintf(text, sizeof text, "%u\n", *(uint32_t *)c->data)
	        : c->kind == 2 ? snprintf(text, sizeof text, "%s\n", (const char *)c->data)
	                       : snprintf(text, sizeof text, "%d\n", *(int *)c->data);
	if ((uint32_t)len > n)
		len = n;
	if (copy_to_user(p, ubuf, text, len))
		return -EFAULT;
	f->pos += len;
	return len;
}

/*
 * A write: comm's (the process's new name), or a sysctl's with Linux's
 * rules: at offset 0 one number, parsed by <lib/sysctl_text.h> (EINVAL for
 * a bad one, changing nothing), or a string up to its first newline; at
 * any other offset ignored but said to succeed.  An int moves the offset
 * by what it parsed; a pipe size leaves it (Linux's proc_douintvec).
 */
long memfile_write(struct proc *p, struct gfile *f, uint32_t ubuf, uint32_t n)
{
	static char kbuf[SYSCTL_WRITE_MAX + 1];
	if (f->proc_node == PN_COMM) {
		struct proc *t = proc_find(f->proc_pid);
		return t ? proc_comm_write(p, t, ubuf, n) : -ESRCH;
	}
	if (!f->sysctl)
		return -EBADF;
	const struct sysctl *c = &sysctls[f->sysctl - 1];
	if (!n)
		return 0;
	if (f->pos) {
		f->pos += n;
		return n;
	}
	uint32_t k = n < sizeof kbuf ? n : sizeof kbuf;
	if (copy_from_user(p, kbuf, ubuf, k))
		return -EFAULT;
	if (c->kind == 2) {                     /* proc_dostring */
		uint32_t len = 0;
		while (len < k && kbuf[len] != '\n' && kbuf[len])
			len++;
		if (len > (uint32_t)c->max)
			len = c->max;
		memcpy(c->data, kbuf, len);
		((char *)c->data)[len] = 0;
		f->pos += n;
		return n;
	}
	uint32_t value;
	long r = sysctl_parse(kbuf, n, c->kind == 1, c->min, c->max, &value);
	if (r < 0)
		return r;
	if (c->kind == 1) {
		*(uint32_t *)c->data = value;
	} else {
		*(int *)c->data = (int)value;
		f->pos += r;
	}
	return r;
}

/* read() and getdents64() of a /proc file or directory. */
long memfile_read(struct proc *p, struct gfile *f, uint32_t ubuf, uint32_t n, int dirents)
{
	if (f->sysctl)
		return dirents ? -ENOTDIR : sysctl_read(p, f, ubuf, n);
	if (f->proc_node == PN_PAGEMAP)
		return dirents ? -ENOTDIR : proc_pagemap_read(p, f, ubuf, n);
	if (f->mem_dir != dirents)
		return dirents ? -ENOTDIR : -EISDIR;
	uint32_t left = f->pos < f->size ? f->size - f->pos : 0;
	if (n > left)
		n = left;
	if (dirents) {                          /* whole records only */
		uint32_t take = 0;
		while (take < n) {
			uint16_t reclen;
			memcpy(&reclen, f->data + f->pos + take + 16, 2);
			if (take + reclen > n)
				break;
			take += reclen;
		}
		if (!take && n < left)
			return -EINVAL;         /* buffer too small for one */
		n = take;
	}
	if (copy_to_user(p, ubuf, f->data + f->pos, n))
		return -EFAULT;
	f->pos += n;
	return n;
}
