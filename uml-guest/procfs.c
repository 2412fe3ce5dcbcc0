/*
 * The guest's /proc: a few files that describe the guest, not the host.
 *
 *   /proc                  the directory: meminfo, self, one entry per pid
 *   /proc/meminfo          guest physical memory (MemTotal, MemFree...)
 *   /proc/kheap            "live_blocks: N": the guest kernel's malloc blocks
 *                          in use, as the host's /proc/kheap counts kmalloc's
 *                          (what a leak check compares)
 *   /proc/self             the caller's /proc/PID
 *   /proc/PID/stat         "PID (COMM) STATE PPID PGRP SID ...", Linux's format
 *   /proc/PID/exe          a link to the program the process runs
 *   /proc/sys/fs/pipe-max-size, /proc/sys/kernel/pid_max, .../threads-max
 *                          the sysctls, read and written with Linux's rules
 *                          (<lib/sysctl_text.h>, shared with the host kernel)
 *
 * An open /proc file is an F_MEM gfile: its whole text is made at open
 * (a snapshot) and read from memory; a directory's "text" is its list of
 * linux_dirent64 records, which getdents64 hands out whole.  The exe link
 * is followed by path.c (procfs_follow), so exec, open and stat of
 * /proc/self/exe reach the program's file on the host.
 */
#include "file.h"
#include "sys.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <lib/sysctl_text.h>
#include <uapi/dirent.h>

enum node { PROC_ROOT, PROC_MEMINFO, PROC_SELF, PROC_PID, PROC_STAT, PROC_EXE,
            PROC_SYS, PROC_SYS_FS, PROC_SYS_KERNEL, PROC_KHEAP, PROC_SYSCTL };

/* The sysctls: node PROC_SYSCTL + i is sysctls[i]. */
static const struct sysctl {
	const char *path;               /* under /proc/sys */
	int pipe_size;                  /* a pipe size (else an int in [min, max]) */
	void *data;                     /* uint32_t * or int * */
	int min, max;
} sysctls[] = {
	{ "/fs/pipe-max-size", 1, &pipe_max_size, 0, 0 },
	{ "/kernel/pid_max", 0, &pid_max, PID_MAX_MIN, PID_MAX_LIMIT },
	{ "/kernel/threads-max", 0, &max_threads, 1, THREADS_MAX_LIMIT },
};
#define N_SYSCTLS       (int)(sizeof sysctls / sizeof sysctls[0])

/* The /proc/sys node s ("" or "/fs/pipe-max-size"...) names, or -ENOENT. */
static int sys_lookup(const char *s)
{
	if (!*s || !strcmp(s, "/"))
		return PROC_SYS;
	if (!strcmp(s, "/fs") || !strcmp(s, "/fs/"))
		return PROC_SYS_FS;
	if (!strcmp(s, "/kernel") || !strcmp(s, "/kernel/"))
		return PROC_SYS_KERNEL;
	for (int i = 0; i < N_SYSCTLS; i++)
		if (!strcmp(s, sysctls[i].path))
			return PROC_SYSCTL + i;
	return -ENOENT;
}

static int is_dir(int node)
{
	return node == PROC_ROOT || node == PROC_PID || node == PROC_SYS || node == PROC_SYS_FS ||
	       node == PROC_SYS_KERNEL;
}

/* What abs ("/proc..." clean) names: a node, with *pid for per-process
 * ones, or -ENOENT. */
static int lookup(struct proc *p, const char *abs, int *pid)
{
	const char *s = abs + 5;                /* after "/proc" */
	if (!*s || !strcmp(s, "/"))
		return PROC_ROOT;
	if (!strcmp(s, "/meminfo"))
		return PROC_MEMINFO;
	if (!strcmp(s, "/kheap"))
		return PROC_KHEAP;
	if (!strncmp(s, "/sys", 4) && (s[4] == 0 || s[4] == '/'))
		return sys_lookup(s + 4);
	if (!strncmp(s, "/self", 5) && (s[5] == 0 || s[5] == '/')) {
		*pid = p->pid;
		if (!s[5])
			return PROC_SELF;
		s += 5;
	} else if (s[0] == '/' && s[1] >= '1' && s[1] <= '9') {
		char *end;
		*pid = strtol(s + 1, &end, 10);
		s = end;
	} else {
		return -ENOENT;
	}
	struct proc *t = proc_find(*pid);
	if (!t)
		return -ENOENT;
	if (!*s || !strcmp(s, "/"))
		return PROC_PID;
	if (!strcmp(s, "/stat"))
		return PROC_STAT;
	if (!strcmp(s, "/exe") && t->mm)
		return PROC_EXE;
	return -ENOENT;
}

int procfs_follow(struct proc *p, char *abs)
{
	int pid;
	if (lookup(p, abs, &pid) != PROC_EXE)
		return 1;
	strcpy(abs, proc_find(pid)->exe);
	return 0;
}

/* readlink: the target, cut to size, without a NUL (as readlink does). */
long procfs_readlink(struct proc *p, const char *abs, char *out, size_t size)
{
	char target[PATH_MAX_];
	int pid;
	int node = lookup(p, abs, &pid);
	if (node < 0)
		return node;
	if (node == PROC_SELF)
		snprintf(target, sizeof target, "%d", pid);
	else if (node == PROC_EXE)
		snprintf(target, sizeof target, "%s", proc_find(pid)->exe);
	else
		return -EINVAL;
	size_t n = strlen(target);
	if (n > size)
		n = size;
	memcpy(out, target, n);
	return n;
}

long procfs_stat(struct proc *p, const char *abs, int nofollow, struct stat64 *st)
{
	int pid;
	int node = lookup(p, abs, &pid);
	if (node < 0)
		return node;
	memset(st, 0, sizeof *st);
	st->st_dev = MKDEV64(0, 4);
	st->st_ino = st->__st_ino = (uint32_t)pid << 4 | node;
	st->st_nlink = 1;
	st->st_blksize = PAGE;
	if (is_dir(node) || (node == PROC_SELF && !nofollow))
		st->st_mode = S_IFDIR | 0555;
	else if (node == PROC_SELF || node == PROC_EXE)
		st->st_mode = S_IFLNK | 0777;
	else
		st->st_mode = node >= PROC_SYSCTL ? S_IFREG | 0644 : S_IFREG | 0444;
	return 0;
}

/* ---- Contents ---- */

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

static char state_letter(const struct proc *t)
{
	return t->state == P_ZOMBIE ? 'Z' : t->state == P_BLOCKED ? 'S' : 'R';
}

/* The text of a node, into buf (size bytes); its length. */
static int contents(struct proc *p, int node, int pid, char *buf, int size)
{
	struct proc *t = proc_find(pid);
	int n = 0;
	char name[16];
	switch (node) {
	case PROC_MEMINFO: {
		unsigned total = mem_total_pages() * 4, free_kb = mem_free_pages() * 4;
		return snprintf(buf, size, "MemTotal:       %8u kB\nMemFree:        %8u kB\n"
		                "MemAvailable:   %8u kB\n", total, free_kb, free_kb);
	}
	case PROC_KHEAP:
		return snprintf(buf, size, "live_blocks: %lu\n", malloc_live_blocks());
	case PROC_STAT:
		return snprintf(buf, size, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %u 0 0 0 20 0 1 0 0 0 0\n",
		                t->pid, t->comm, state_letter(t), t->ppid, t->pgid, t->sid,
		                t->utime_ticks);
	case PROC_ROOT:
		n = add_dirent(buf, n, size, 1, DT_DIR, ".");
		n = add_dirent(buf, n, size, 1, DT_DIR, "..");
		n = add_dirent(buf, n, size, 2, DT_REG, "meminfo");
		n = add_dirent(buf, n, size, PROC_KHEAP, DT_REG, "kheap");
		n = add_dirent(buf, n, size, 3, DT_LNK, "self");
		n = add_dirent(buf, n, size, PROC_SYS, DT_DIR, "sys");
		for (int i = 0; i < proc_slots; i++) {
			if (procs[i]->state == P_FREE)
				continue;
			snprintf(name, sizeof name, "%d", procs[i]->pid);
			n = add_dirent(buf, n, size, (uint64_t)procs[i]->pid << 4, DT_DIR, name);
		}
		return n;
	case PROC_PID:
		n = add_dirent(buf, n, size, (uint64_t)pid << 4, DT_DIR, ".");
		n = add_dirent(buf, n, size, 1, DT_DIR, "..");
		n = add_dirent(buf, n, size, (uint64_t)pid << 4 | PROC_STAT, DT_REG, "stat");
		if (t->mm)
			n = add_dirent(buf, n, size, (uint64_t)pid << 4 | PROC_EXE, DT_LNK, "exe");
		return n;
	case PROC_SYS:
		n = add_dirent(buf, n, size, PROC_SYS, DT_DIR, ".");
		n = add_dirent(buf, n, size, 1, DT_DIR, "..");
		n = add_dirent(buf, n, size, PROC_SYS_FS, DT_DIR, "fs");
		return add_dirent(buf, n, size, PROC_SYS_KERNEL, DT_DIR, "kernel");
	case PROC_SYS_FS:
	case PROC_SYS_KERNEL: {
		const char *dir = node == PROC_SYS_FS ? "/fs/" : "/kernel/";
		n = add_dirent(buf, n, size, node, DT_DIR, ".");
		n = add_dirent(buf, n, size, PROC_SYS, DT_DIR, "..");
		for (int i = 0; i < N_SYSCTLS; i++)
			if (!strncmp(sysctls[i].path, dir, strlen(dir)))
				n = add_dirent(buf, n, size, PROC_SYSCTL + i, DT_REG,
				               sysctls[i].path + strlen(dir));
		return n;
	}
	}
	(void)p;
	return 0;
}

/* open() of a /proc path (links already followed): a snapshot in memory. */
long procfs_open(struct proc *p, const char *abs, int flags, struct gfile **out)
{
	int pid = 0;
	int node = lookup(p, abs, &pid);
	if (node < 0)
		return node;
	if (node == PROC_SELF)
		node = PROC_PID;
	int dir = is_dir(node);
	if (node >= PROC_SYSCTL) {               /* read and written when asked, not at open */
		if (flags & O_DIRECTORY)
			return -ENOTDIR;
		struct gfile *f = file_new(F_MEM, flags & (O_ACCMODE | O_NONBLOCK));
		if (!f)
			return -ENOMEM;
		f->sysctl = node - PROC_SYSCTL + 1;
		*out = f;
		return 0;
	}
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
		return -EACCES;
	if ((flags & O_DIRECTORY) && !dir)
		return -ENOTDIR;
	struct gfile *f = file_new(F_MEM, O_RDONLY);
	char *buf = malloc(8192);
	if (!f || !buf) {
		free(f);
		free(buf);
		return -ENOMEM;
	}
	f->data = buf;
	f->size = contents(p, node, pid, buf, 8192);
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
	char text[16];
	if (f->pos || !n)
		return 0;
	int len = c->pipe_size ? snprintf(text, sizeof text, "%u\n", *(uint32_t *)c->data)
	                       : snprintf(text, sizeof text, "%d\n", *(int *)c->data);
	if ((uint32_t)len > n)
		len = n;
	if (copy_to_user(p, ubuf, text, len))
		return -EFAULT;
	f->pos += len;
	return len;
}

/*
 * A sysctl write, with Linux's rules: at offset 0 one number, parsed by
 * <lib/sysctl_text.h> (EINVAL for a bad one, changing nothing); at any
 * other offset ignored but said to succeed.  An int moves the offset by
 * what it parsed; a pipe size leaves it (Linux's proc_douintvec).
 */
long memfile_write(struct proc *p, struct gfile *f, uint32_t ubuf, uint32_t n)
{
	static char kbuf[SYSCTL_WRITE_MAX + 1];
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
	uint32_t value;
	long r = sysctl_parse(kbuf, n, c->pipe_size, c->min, c->max, &value);
	if (r < 0)
		return r;
	if (c->pipe_size) {
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
