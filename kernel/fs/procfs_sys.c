/*
 * /proc/sys: the kernel's tunable numbers (sysctls), read and written as
 * text, with Linux's rules for both.
 *
 *   /proc/sys/fs/pipe-max-size   the largest pipe a user may ask for (root may go past it)
 *   /proc/sys/kernel/pid_max     pids are below it: 301..32768
 *   /proc/sys/kernel/threads-max how many tasks may exist: 1..0x3fffffff
 *   /proc/sys/kernel/tainted     0: nothing has tainted the kernel
 *   /proc/sys/kernel/ostype, osrelease   uname's sysname and release (read-only)
 *   /proc/sys/kernel/hostname    uname's nodename (writable, up to 64 bytes)
 *   /proc/sys/vm/max_map_count   how many VMAs a process may have (Linux's 65530)
 *
 * Each file is one number.  Reading it at offset 0 gives "N\n" (cut to
 * the size asked for); at any other offset, nothing (Linux regenerates
 * the text on each read and only serves offset 0).  Writing it at offset
 * 0 parses one number as Linux does (<lib/sysctl_text.h>, shared with the
 * guest kernel): a bad one, or one out of range, is EINVAL and changes
 * nothing.  A write at any other offset is ignored but said to succeed
 * (Linux's "strict" mode).  The integer files answer with the bytes they parsed
 * (with the spaces after), and move the offset; pipe-max-size answers
 * with the whole count and leaves the offset (Linux's proc_douintvec),
 * and rounds what it stores up to a power-of-two number of pages.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/procfs.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <lib/sysctl_text.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

#define SYS_INO		0x8000u		/* /proc/sys; its directories and files follow */

enum sysctl_kind {
	SYSCTL_INT,		/* an int within [min, max] (proc_dointvec_minmax) */
	SYSCTL_PIPE_SIZE,	/* a pipe size, rounded (proc_dopipe_max_size) */
	SYSCTL_STRING,		/* a string of up to max bytes (proc_dostring); min 0: read-only */
};

static int tainted, max_map_count = 65530;
static char ostype[] = "Linux", osrelease[] = "6.1.0-altmm";

struct sysctl {
	const char *dir, *name;
	enum sysctl_kind kind;
	void *data;		/* int * or uint32_t * */
	int min, max;
};

static const struct sysctl sysctls[] = {
	{ "fs", "pipe-max-size", SYSCTL_PIPE_SIZE, &pipe_max_size, 0, 0 },
	{ "kernel", "pid_max", SYSCTL_INT, &pid_max, PID_MAX_MIN, PID_MAX_LIMIT },
	{ "kernel", "threads-max", SYSCTL_INT, &max_threads, THREADS_MAX_MIN, THREADS_MAX_LIMIT },
	{ "kernel", "tainted", SYSCTL_INT, &tainted, 0, 0x7fffffff },
	{ "kernel", "ostype", SYSCTL_STRING, ostype, 0, 0 },
	{ "kernel", "osrelease", SYSCTL_STRING, osrelease, 0, 0 },
	{ "kernel", "hostname", SYSCTL_STRING, uts_hostname, 1, UTS_HOSTNAME_MAX },
	{ "vm", "max_map_count", SYSCTL_INT, &max_map_count, 0, 0x7fffffff },
};
static const char *const dirs[] = { "fs", "kernel", "vm" };
#define N_SYSCTLS	(sizeof sysctls / sizeof sysctls[0])
#define N_DIRS		(sizeof dirs / sizeof dirs[0])

static const struct inode_ops sys_dir_iops, sys_file_iops;
static const struct file_ops sys_dir_fops, sys_file_fops;

static long sysctl_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	const struct sysctl *c = f->inode->priv;
	if (*pos != 0 || n == 0)
		return 0;
	char text[80];
	int len = c->kind == SYSCTL_PIPE_SIZE ? snprintf(text, sizeof text, "%u\n", *(uint32_t *)c->data)
		  : c->kind == SYSCTL_STRING ? snprintf(text, sizeof text, "%s\n", (char *)c->data)
					     : snprintf(text, sizeof text, "%d\n", *(int *)c->data);
	if ((size_t)len > n)
		len = (int)n;
	memcpy(buf, text, (size_t)len);
	*pos += (uint64_t)len;
	return len;
}

static long sysctl_write(struct file *f, const void *buf, size_t n, uint64_t *pos)
{
	const struct sysctl *c = f->inode->priv;
	if (n == 0)
		return 0;
	if (*pos != 0) {
		*pos += n;		/* strict mode: ignored, and said to be written */
		return (long)n;
	}
	if (c->kind == SYSCTL_STRING) {
		if (!c->min)
			return -EPERM;	/* read-only (mode 0444: root gets this far) */
		/* proc_dostring: up to the first newline or NUL, cut to the size. */
		size_t k = 0;
		const char *b = buf;
		while (k < n && b[k] != '\n' && b[k] != 0)
			k++;
		if (k > (size_t)c->max)
			k = (size_t)c->max;
		memcpy(c->data, b, k);
		((char *)c->data)[k] = 0;
		*pos += n;
		return (long)n;
	}
	uint32_t value;
	long r = sysctl_parse(buf, n, c->kind == SYSCTL_PIPE_SIZE, c->min, c->max, &value);
	if (r < 0)
		return r;
	if (c->kind == SYSCTL_PIPE_SIZE) {
		*(uint32_t *)c->data = value;	/* proc_douintvec leaves the offset */
	} else {
		*(int *)c->data = (int)value;
		*pos += (uint64_t)r;
	}
	return r;
}

/* --- the directories ------------------------------------------------------------------ */

/* A /proc/sys inode: priv is the sysctl for files, the directory's name
 * for directories (NULL for /proc/sys itself). */
static struct inode *sys_inode(uint32_t mode, uint32_t ino, const void *priv, struct inode *parent)
{
	bool dir = S_ISDIR(mode);
	struct inode *inode = inode_alloc(FS_DEV_PROC, mode, dir ? &sys_dir_iops : &sys_file_iops,
					  dir ? &sys_dir_fops : &sys_file_fops);
	if (!inode)
		return 0;
	inode->ino = ino;
	inode->priv = (void *)priv;
	inode->nlink = dir ? 2 : 1;
	if (dir) {
		inode_get(parent);	/* ".." */
		inode->parent = parent;
	}
	return inode;
}

struct inode *procfs_sys_root(struct inode *parent, uint32_t ino)
{
	(void)ino;
	return sys_inode(S_IFDIR | 0555, SYS_INO, 0, parent);
}

static bool name_is(const char *want, const char *name, size_t len)
{
	return strlen(want) == len && memcmp(want, name, len) == 0;
}

static int sys_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	const char *here = dir->priv;
	*out = 0;
	for (unsigned i = 0; i < (here ? N_SYSCTLS : N_DIRS); i++) {
		if (!here && name_is(dirs[i], name, len))
			*out = sys_inode(S_IFDIR | 0555, SYS_INO + 1 + i, dirs[i], dir);
		else if (here && !strcmp(sysctls[i].dir, here) && name_is(sysctls[i].name, name, len))
			*out = sys_inode(sysctls[i].kind == SYSCTL_STRING && !sysctls[i].min ? S_IFREG | 0444
					 : S_IFREG | 0644, SYS_INO + 0x100 + i, &sysctls[i], dir);
		else
			continue;
		return *out ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

static int sys_readdir(struct inode *dir, uint64_t *pos,
		       int (*emit)(void *, const char *, size_t, uint32_t, uint32_t, uint64_t), void *ctx)
{
	const char *here = dir->priv;
	unsigned n = here ? N_SYSCTLS : N_DIRS;
	for (unsigned i = (unsigned)*pos - 2; i < n; i++) {
		const char *name = here ? sysctls[i].name : dirs[i];
		if (here && strcmp(sysctls[i].dir, here)) {
			*pos = i + 3;
			continue;
		}
		uint32_t ino = here ? SYS_INO + 0x100 + i : SYS_INO + 1 + i;
		if (emit(ctx, name, strlen(name), ino, here ? S_IFREG : S_IFDIR, i + 3))
			return 0;
		*pos = i + 3;
	}
	return 0;
}

/* Like the rest of /proc: a new name is ENOENT (Linux makes no entry to create at). */
static int sys_no_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
			 uint32_t rdev, const char *target, struct inode **out)
{
	(void)dir, (void)name, (void)len, (void)mode, (void)rdev, (void)target, (void)out;
	return -ENOENT;
}

static long sys_dir_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EISDIR;
}

/* Truncating a sysctl (open with O_TRUNC, as a shell's "echo 1 > file"
 * does) succeeds and changes nothing: Linux's proc_sys_setattr ignores
 * the size. */
static int sysctl_truncate(struct inode *inode, uint64_t size)
{
	(void)inode, (void)size;
	return 0;
}

static const struct inode_ops sys_dir_iops = {
	.lookup = sys_lookup, .readdir = sys_readdir, .create = sys_no_create,
};
/* Linux's proc_sys_permission: a file without write bits (ostype,
 * osrelease) refuses writing even to root. */
static int sysctl_open(struct inode *inode, struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;
	if ((acc == O_WRONLY || acc == O_RDWR) && !(inode->mode & 0222))
		return -EACCES;
	return 0;
}

static const struct inode_ops sys_file_iops = { .truncate = sysctl_truncate, .open = sysctl_open };
static const struct file_ops sys_dir_fops = { .read = sys_dir_read };
static const struct file_ops sys_file_fops = { .read = sysctl_read, .write = sysctl_write };
