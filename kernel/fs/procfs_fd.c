/*
 * /proc/PID/fd/ and /proc/PID/fdinfo/: one entry per open descriptor.
 *
 *   fd/N       a symlink to what N has open: its path ("/tmp/x"), or
 *              "pipe:[INO]" for a pipe, as Linux names them
 *   fdinfo/N   "pos:\t0\nflags:\t02\nmnt_id:\tM\nino:\tI\n", Linux's
 *              lines: the offset, the open flags in octal (with
 *              O_CLOEXEC when close-on-exec is set), the file system
 *              and the inode
 *
 * The directories are listed from the task's descriptor table at the
 * time of reading; a descriptor closed meanwhile answers ENOENT.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include "procfs_int.h"

enum fd_kind { FD_DIR, FDINFO_DIR, FD_LINK, FDINFO_FILE };

struct fd_node {
	int pid, fd;
	enum fd_kind kind;
};

/* Inode numbers of their own, above the <pid> directories'. */
#define FD_INO(pid, kind, fd)	(0x40000000u | (uint32_t)(pid) << 13 | (uint32_t)(kind) << 11 | ((uint32_t)(fd) & 0x7ff))

static const struct inode_ops fd_dir_iops, fd_link_iops, fdinfo_iops;
static const struct file_ops fd_dir_fops, fdinfo_fops;

int proc_file_path(struct inode *inode, char *buf, size_t size)
{
	if (inode->dev == FS_DEV_PIPE)
		return snprintf(buf, size, "pipe:[%u]", inode->ino);
	if (inode->dev == FS_DEV_PROC)
		return snprintf(buf, size, "/proc");
	return ramfs_path_of(inode, buf, size);
}

static struct inode *fd_inode(int pid, int fd, enum fd_kind kind, uint32_t mode, struct inode *parent)
{
	const struct inode_ops *iops = kind <= FDINFO_DIR ? &fd_dir_iops :
				       kind == FD_LINK ? &fd_link_iops : &fdinfo_iops;
	struct inode *inode = inode_alloc(FS_DEV_PROC, mode, iops,
					  kind <= FDINFO_DIR ? &fd_dir_fops : &fdinfo_fops);
	struct fd_node *n = kmalloc(sizeof *n);
	if (!inode || !n) {
		kfree(n);
		if (inode)
			inode->iops = 0;
		inode_put(inode);
		return 0;
	}
	*n = (struct fd_node){ pid, fd, kind };
	procfs_set_owner(inode, pid);
	inode->priv = n;
	inode->ino = FD_INO(pid, kind, fd);
	inode->nlink = kind <= FDINFO_DIR ? 2 : 1;
	if (parent) {
		inode_get(parent);
		inode->parent = parent;
	}
	return inode;
}

struct inode *procfs_fd_dir(struct inode *pid_dir, uint32_t ino)
{
	(void)ino;
	return fd_inode(procfs_inode_pid(pid_dir), 0, FD_DIR, S_IFDIR | 0500, pid_dir);
}

struct inode *procfs_fdinfo_dir(struct inode *pid_dir, uint32_t ino)
{
	(void)ino;
	return fd_inode(procfs_inode_pid(pid_dir), 0, FDINFO_DIR, S_IFDIR | 0500, pid_dir);
}

static struct fd_node *fnode(struct inode *i) { return i->priv; }

/* The open file behind the node's descriptor, borrowed, or NULL. */
static struct file *node_file(struct fd_node *n, struct task **tp)
{
	struct task *t = task_find(n->pid);
	if (tp)
		*tp = t;
	return t && t->state != TASK_ZOMBIE ? fd_peek(t->files, n->fd) : 0;
}

static int fd_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct fd_node *d = fnode(dir);
	int fd = 0;
	if (len == 0 || len > 7 || (name[0] == '0' && len > 1))
		return -ENOENT;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -ENOENT;
		fd = fd * 10 + (name[i] - '0');
	}
	struct fd_node probe = { d->pid, fd, FD_LINK };
	struct file *f = node_file(&probe, 0);
	if (!f)
		return -ENOENT;
	uint32_t acc = f->flags & O_ACCMODE;
	uint32_t mode = d->kind == FD_DIR ?
		S_IFLNK | (acc != O_WRONLY ? 0500 : 0) | (acc != O_RDONLY ? 0300 : 0) : S_IFREG | 0444;
	*out = fd_inode(d->pid, fd, d->kind == FD_DIR ? FD_LINK : FDINFO_FILE, mode, 0);
	return *out ? 0 : -ENOMEM;
}

static int fd_readdir(struct inode *dir, uint64_t *pos,
		      int (*emit)(void *, const char *, size_t, uint32_t, uint32_t, uint64_t), void *ctx)
{
	struct fd_node *d = fnode(dir);
	struct task *t = task_find(d->pid);
	if (!t || t->state == TASK_ZOMBIE)
		return 0;
	int max = files_max_fds(t->files);
	for (int fd = (int)*pos - 2; fd < max; fd++) {
		if (!fd_peek(t->files, fd))
			continue;
		char name[12];
		int len = snprintf(name, sizeof name, "%d", fd);
		enum fd_kind k = d->kind == FD_DIR ? FD_LINK : FDINFO_FILE;
		if (emit(ctx, name, (size_t)len, FD_INO(d->pid, k, fd), k == FD_LINK ? S_IFLNK : S_IFREG,
			 (uint64_t)fd + 3))
			return 0;
		*pos = (uint64_t)fd + 3;
	}
	return 0;
}

static int fd_readlink(struct inode *inode, char *buf, size_t size)
{
	struct file *f = node_file(fnode(inode), 0);
	return f ? proc_file_path(f->inode, buf, size) : -ENOENT;
}

struct fdinfo_text {
	char text[96];
	size_t len;
};

static int fdinfo_open(struct inode *inode, struct file *f)
{
	struct task *t;
	struct fd_node *n = fnode(inode);
	struct file *of = node_file(n, &t);
	if (!of)
		return -ENOENT;
	struct fdinfo_text *b = kmalloc(sizeof *b);
	if (!b)
		return -ENOMEM;
	/* Linux keeps no creation flags in f_flags, and shows close-on-exec as O_CLOEXEC. */
	uint32_t flags = (of->flags & ~(uint32_t)(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC)) |
			 (fd_peek_cloexec(t->files, n->fd) ? O_CLOEXEC : 0);
	int len = snprintf(b->text, sizeof b->text, "pos:\t%llu\nflags:\t0%o\nmnt_id:\t%u\nino:\t%u\n",
			   (unsigned long long)of->pos, flags, of->inode->dev, of->inode->ino);
	b->len = (size_t)len < sizeof b->text ? (size_t)len : sizeof b->text - 1;
	f->priv = b;
	return 0;
}

static long fdinfo_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	struct fdinfo_text *b = f->priv;
	if (*pos >= b->len)
		return 0;
	if (n > b->len - *pos)
		n = (size_t)(b->len - *pos);
	memcpy(buf, b->text + *pos, n);
	*pos += n;
	return (long)n;
}

static void fdinfo_release(struct file *f)
{
	kfree(f->priv);
}

static long fd_dir_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EISDIR;
}

static int fd_no_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
			uint32_t rdev, const char *target, struct inode **out)
{
	(void)dir, (void)name, (void)len, (void)mode, (void)rdev, (void)target, (void)out;
	return -ENOENT;		/* as the rest of /proc */
}

static void fd_release(struct inode *inode)
{
	kfree(inode->priv);
}

/* fd/ and fdinfo/ are 0500: but a process may always look into its own,
 * even when they are root's (Linux's proc_fd_permission). */
static int fd_dir_permission(const struct inode *inode, int mask)
{
	int err = inode_generic_permission(inode, mask);
	const struct fd_node *n = inode->priv;
	return err && current && n->pid == current->pid ? 0 : err;
}

static const struct inode_ops fd_dir_iops = {
	.lookup = fd_lookup, .readdir = fd_readdir, .create = fd_no_create, .release = fd_release,
	.permission = fd_dir_permission,
};
static const struct inode_ops fd_link_iops = { .readlink = fd_readlink, .release = fd_release };
static const struct inode_ops fdinfo_iops = { .open = fdinfo_open, .release = fd_release };
static const struct file_ops fd_dir_fops = { .read = fd_dir_read };
static const struct file_ops fdinfo_fops = { .read = fdinfo_read, .release = fdinfo_release };
