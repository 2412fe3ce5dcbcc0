/*
 * The guest's /proc: a few files that describe the guest, not the host.
 *
 *   /proc                  the directory: meminfo, self, one entry per pid
 *   /proc/meminfo          guest physical memory (MemTotal, MemFree...)
 *   /proc/self             the caller's /proc/PID
 *   /proc/PID/stat         "PID (COMM) STATE PPID PGRP SID ...", Linux's format
 *   /proc/PID/exe          a link to the program the process runs
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
#include <uapi/dirent.h>

enum node { PROC_ROOT, PROC_MEMINFO, PROC_SELF, PROC_PID, PROC_STAT, PROC_EXE };

/* What abs ("/proc..." clean) names: a node, with *pid for per-process
 * ones, or -ENOENT. */
static int lookup(struct proc *p, const char *abs, int *pid)
{
	const char *s = abs + 5;                /* after "/proc" */
	if (!*s || !strcmp(s, "/"))
		return PROC_ROOT;
	if (!strcmp(s, "/meminfo"))
		return PROC_MEMINFO;
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
	if (node == PROC_ROOT || node == PROC_PID || (node == PROC_SELF && !nofollow))
		st->st_mode = S_IFDIR | 0555;
	else if (node == PROC_SELF || node == PROC_EXE)
		st->st_mode = S_IFLNK | 0777;
	else
		st->st_mode = S_IFREG | 0444;
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
	case PROC_STAT:
		return snprintf(buf, size, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %u 0 0 0 20 0 1 0 0 0 0\n",
		                t->pid, t->comm, state_letter(t), t->ppid, t->pgid, t->sid,
		                t->utime_ticks);
	case PROC_ROOT:
		n = add_dirent(buf, n, size, 1, DT_DIR, ".");
		n = add_dirent(buf, n, size, 1, DT_DIR, "..");
		n = add_dirent(buf, n, size, 2, DT_REG, "meminfo");
		n = add_dirent(buf, n, size, 3, DT_LNK, "self");
		for (int i = 0; i < proc_slots; i++) {
			if (procs[i].state == P_FREE)
				continue;
			snprintf(name, sizeof name, "%d", procs[i].pid);
			n = add_dirent(buf, n, size, (uint64_t)procs[i].pid << 4, DT_DIR, name);
		}
		return n;
	case PROC_PID:
		n = add_dirent(buf, n, size, (uint64_t)pid << 4, DT_DIR, ".");
		n = add_dirent(buf, n, size, 1, DT_DIR, "..");
		n = add_dirent(buf, n, size, (uint64_t)pid << 4 | PROC_STAT, DT_REG, "stat");
		if (t->mm)
			n = add_dirent(buf, n, size, (uint64_t)pid << 4 | PROC_EXE, DT_LNK, "exe");
		return n;
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
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
		return -EACCES;
	int dir = node == PROC_ROOT || node == PROC_PID;
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

/* read() and getdents64() of a /proc file or directory. */
long memfile_read(struct proc *p, struct gfile *f, uint32_t ubuf, uint32_t n, int dirents)
{
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
