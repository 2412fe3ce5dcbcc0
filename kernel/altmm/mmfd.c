/*
 * Address spaces as descriptors: /proc/new-mm (a new, empty space) and
 * /proc/self/mm (the caller's home space).  The open file holds one
 * reference to its struct mm; closing the last descriptor drops it.  A
 * thread running in the space, or sigaltmm naming it, holds its own.
 */
#include <kernel/altmm.h>
#include <kernel/fs.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/procfs.h>
#include <kernel/task.h>
#include <uapi/altmm.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

static long mmfd_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EINVAL;	/* an address space has no bytes to read: use mm_mmap */
}

static long mmfd_write(struct file *f, const void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EINVAL;
}

static void mmfd_release(struct file *f)
{
	mm_put(f->priv);
}

static const struct file_ops mmfd_ops = {
	.read = mmfd_read, .write = mmfd_write, .release = mmfd_release,
	.stream = true,		/* no file position: lseek gives ESPIPE */
};

/* No file-system operations at all (no pages, no truncate): every VFS
 * path then answers with its error for "cannot do that here". */
static const struct inode_ops mmfd_iops;

static uint32_t next_ino = 1;

/* Turn a freshly opened /proc file into a descriptor of mm (taking over
 * the caller's reference).  Its own inode gives fstat st_dev ALTMM_DEV. */
static int make_mmfd(struct file *f, struct mm *mm)
{
	/* Like our file systems', its st_dev is an anonymous device: 0:ALTMM_DEV. */
	struct inode *inode = inode_alloc(ALTMM_DEV, S_IFREG | 0600, &mmfd_iops, &mmfd_ops);
	if (!inode) {
		mm_put(mm);
		return -ENOMEM;
	}
	inode->ino = next_ino++;
	if (f->write_access) {		/* the /proc file's count, not the space's */
		inode_put_write(f->inode);
		f->write_access = false;
	}
	inode_put(f->inode);
	f->inode = inode;
	f->ops = &mmfd_ops;
	f->priv = mm;
	return 0;
}

/* A space is used for reading and writing alike: only O_RDWR opens it. */
static bool rdwr(const struct file *f)
{
	return (f->flags & O_ACCMODE) == O_RDWR;
}

static int open_new_mm(struct file *f, struct task *task)
{
	(void)task;
	if (!rdwr(f))
		return -EINVAL;
	struct mm *mm = mm_create();
	if (!mm)
		return -ENOMEM;
	return make_mmfd(f, mm);
}

/* /proc/<pid>/mm: only a process's own (as /proc/self/mm); another's
 * space would let it map into and run code in that process. */
static int open_self_mm(struct file *f, struct task *task)
{
	if (task && task != current)
		return -EACCES;
	if (!rdwr(f))
		return -EINVAL;
	struct mm *mm = current->mm;
	if (!mm)
		return -ENOENT;
	mm_get(mm);
	return make_mmfd(f, mm);
}

struct mm *mm_from_fd(int fd, int *err)
{
	/* Borrowed, not taken: nothing here sleeps, and the mm gets its own
	 * reference before we return. */
	struct file *f = fd_peek(current->files, fd);
	if (!f) {
		*err = -EBADF;
		return 0;
	}
	if (f->ops != &mmfd_ops) {
		*err = -EINVAL;
		return 0;
	}
	struct mm *mm = f->priv;
	mm_get(mm);
	return mm;
}

void altmm_init(void)
{
	if (proc_register("new-mm", S_IFREG | 0600, open_new_mm) ||
	    proc_register_pid("mm", S_IFREG | 0600, open_self_mm))
		panic("altmm: cannot register /proc/new-mm and /proc/<pid>/mm");
}
