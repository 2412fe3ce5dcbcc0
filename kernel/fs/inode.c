/*
 * The VFS core: inodes and open files, their reference counts, and the
 * few entry points the rest of the kernel uses (vfs_open, vfs_read_at,
 * vfs_get_page), plus building the root at boot.
 *
 * Two objects, two counts:
 *
 *   struct inode   a file itself (its type, size, data).  Referenced by
 *                  directory entries, open files, cwds, child directories
 *                  and lookups in progress.  The last inode_put calls the
 *                  file system's release and frees it.
 *   struct file    one open(): an inode plus a position, flags and the
 *                  operations.  Referenced by descriptor slots (dup and
 *                  fork share one file, so they share its position) and
 *                  by system calls while they use it.  The last file_put
 *                  calls ops->release and drops the inode.
 *
 * The kernel is not preemptible and nothing here sleeps, so plain
 * integers are enough for the counts.
 */
#include <kernel/arch.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/procfs.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

static struct inode *root;


uint32_t rtc_read_unix_time(void);	/* kernel/arch/x86/rtc.c */
static uint32_t boot_time;		/* the wall clock when vfs_init ran ... */
static uint64_t boot_ticks;		/* ... and the timer then */

uint32_t fs_time(void)
{
	return boot_time + (uint32_t)((timer_ticks() - boot_ticks) / TIMER_HZ);
}

/* --- inodes ----------------------------------------------------------------- */

struct inode *inode_alloc(uint32_t dev, uint32_t mode, const struct inode_ops *iops,
			  const struct file_ops *fops)
{
	struct inode *inode = kzalloc(sizeof *inode);
	if (!inode)
		return 0;
	inode->refcount = 1;
	inode->dev = dev;
	inode->mode = mode;
	inode->iops = iops;
	inode->fops = fops;
	inode->atime = inode->mtime = inode->ctime = fs_time();
	return inode;
}

void inode_get(struct inode *inode)
{
	BUG_ON(inode->refcount <= 0);
	inode->refcount++;
}

void inode_put(struct inode *inode)
{
	if (!inode)
		return;
	BUG_ON(inode->refcount <= 0);
	if (--inode->refcount > 0)
		return;
	BUG_ON(inode == root);
	if (inode->iops && inode->iops->release)
		inode->iops->release(inode);
	/* A directory holds its parent; the root's parent is itself. */
	if (inode->parent && inode->parent != inode)
		inode_put(inode->parent);
	kfree(inode);
}

int inode_get_write(struct inode *inode)
{
	if (inode->writecount < 0)
		return -ETXTBSY;
	inode->writecount++;
	return 0;
}

void inode_put_write(struct inode *inode)
{
	BUG_ON(inode->writecount <= 0);
	inode->writecount--;
}

int inode_deny_write(struct inode *inode)
{
	if (inode->writecount > 0)
		return -ETXTBSY;
	inode->writecount--;
	return 0;
}

void inode_allow_write(struct inode *inode)
{
	BUG_ON(inode->writecount >= 0);
	inode->writecount++;
}

uint32_t inode_mode(const struct inode *inode) { return inode->mode; }
uint64_t inode_size(const struct inode *inode) { return inode->size; }

/* --- open files -------------------------------------------------------------- */

struct file *file_alloc(struct inode *inode, const struct file_ops *ops, uint32_t flags)
{
	struct file *f = kzalloc(sizeof *f);
	if (!f)
		return 0;
	f->refcount = 1;
	f->inode = inode;
	if (inode)
		inode_get(inode);
	f->ops = ops;
	f->flags = flags;
	return f;
}

static const struct file_ops path_fops;	/* O_PATH: no reading, no writing */

int file_open_inode(struct inode *inode, uint32_t flags, struct file **out)
{
	struct file *f = file_alloc(inode, inode->fops, flags);
	if (!f)
		return -ENOMEM;
	int err = 0;
	if (flags & O_PATH) {
		f->ops = &path_fops;	/* no device open either, as Linux */
	} else {
		/* Not for writing while a program runs from it (ETXTBSY). */
		if (S_ISREG(inode->mode) && file_writable(f)) {
			err = inode_get_write(inode);
			f->write_access = !err;
		}
		if (!err && inode->iops && inode->iops->open)
			err = inode->iops->open(inode, f);
		if (err) {
			f->ops = 0;	/* nothing to release */
			file_put(f);
			return err;
		}
	}
	if (!f->ops)
		f->ops = &path_fops;
	*out = f;
	return 0;
}

void file_get(struct file *f)
{
	BUG_ON(f->refcount <= 0);
	f->refcount++;
}

void file_put(struct file *f)
{
	if (!f)
		return;
	BUG_ON(f->refcount <= 0);
	if (--f->refcount > 0)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if (f->write_access)
		inode_put_write(f->inode);
	inode_put(f->inode);
	kfree(f);
}

/* --- the kernel's own entry points -------------------------------------------- */

int vfs_open(const char *path, uint32_t flags, uint32_t mode, struct file **out)
{
	return do_open(0, path, flags, mode, out);
}

long vfs_read_at(struct file *f, void *buf, size_t n, uint64_t pos)
{
	if (!file_readable(f))
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(f, buf, n, &pos);
}

int vfs_get_page(struct inode *inode, uint32_t index, uint32_t *phys)
{
	if (!inode->iops || !inode->iops->get_page)
		return -ENODEV;
	return inode->iops->get_page(inode, index, phys);
}

int vfs_check_exec(struct file *f)
{
	uint32_t mode = f->inode->mode;
	if (!S_ISREG(mode) || !(mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		return -EACCES;
	return 0;
}

struct inode *fs_root(void) { return root; }

struct inode *vfs_root(void)
{
	inode_get(root);
	return root;
}

struct inode *fs_cwd(void)
{
	if (current && current->cwd)
		return current->cwd;
	return root;
}

/* --- boot ---------------------------------------------------------------------- */

/* Make dir/name of the given type, or complain: only used at boot. */
static struct inode *boot_create(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev)
{
	struct inode *inode;
	int err = dir->iops->create(dir, name, strlen(name), mode, rdev, 0, &inode);
	if (err) {
		printk("vfs: cannot create %s: error %d\n", name, err);
		return 0;
	}
	return inode;
}

void vfs_init(void)
{
	if (root)
		return;		/* once is enough */
	boot_ticks = timer_ticks();
	boot_time = rtc_read_unix_time();
	root = ramfs_new_root();
	struct inode *dev = boot_create(root, "dev", S_IFDIR | 0755, 0);
	if (dev) {
		static const struct { const char *name; uint32_t major, minor, perm; } nodes[] = {
			{ "null", 1, 3, 0666 }, { "zero", 1, 5, 0666 }, { "full", 1, 7, 0666 },
			{ "tty", 5, 0, 0666 }, { "console", 5, 1, 0600 },
		};
		for (unsigned i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
			inode_put(boot_create(dev, nodes[i].name, S_IFCHR | nodes[i].perm,
					      MKDEV(nodes[i].major, nodes[i].minor)));
		inode_put(dev);
	}
	struct inode *proc = procfs_new_root(root);
	if (!proc || ramfs_mount(root, "proc", proc))
		printk("vfs: cannot mount /proc\n");
	inode_put(proc);
}

/* --- O_PATH files -------------------------------------------------------------- */

static const struct file_ops path_fops = { 0 };
