/*
 * Character devices: the table that maps a device number to a driver,
 * the three trivial devices, and the ioctl system call.
 *
 * A device node in ramfs is only a name with a number (major, minor), the
 * same numbers Linux uses so that a cpio archive made for Linux works:
 *
 *   1:3 /dev/null      reads end at once, writes vanish
 *   1:5 /dev/zero      reads give zeros, writes vanish
 *   1:7 /dev/full      reads give zeros, writes fail with ENOSPC
 *   5:0 /dev/tty       the console tty (kernel/fs/tty.c)
 *   5:1 /dev/console   the same tty
 *
 * Opening a node looks the number up here; a number with no driver gives
 * ENXIO, as on Linux.
 */
#include <kernel/fs.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/fcntl.h>
#include <uapi/ioctl.h>
#include <uapi/stat.h>

static long null_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return 0;
}

static long sink_write(struct file *f, const void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)pos;
	return (long)n;
}

static long zero_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)pos;
	memset(buf, 0, n);
	return (long)n;
}

static long full_write(struct file *f, const void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)pos;
	return n ? -ENOSPC : 0;
}

static const struct file_ops null_fops = { .read = null_read, .write = sink_write };
static const struct file_ops zero_fops = { .read = zero_read, .write = sink_write };
static const struct file_ops full_fops = { .read = zero_read, .write = full_write };

static const struct chrdev {
	uint32_t major, minor;
	const struct file_ops *fops;
	int (*open)(struct inode *inode, struct file *f);	/* instead of fops */
} chrdevs[] = {
	{ 1, 3, &null_fops, 0 },
	{ 1, 5, &zero_fops, 0 },
	{ 1, 7, &full_fops, 0 },
	{ 5, 0, 0, tty_open },
	{ 5, 1, 0, tty_open },
};

int chrdev_open(struct inode *inode, struct file *f)
{
	if (!S_ISCHR(inode->mode))
		return -ENXIO;		/* no block devices */
	for (unsigned i = 0; i < sizeof chrdevs / sizeof chrdevs[0]; i++) {
		const struct chrdev *d = &chrdevs[i];
		if (d->major != MAJOR(inode->rdev) || d->minor != MINOR(inode->rdev))
			continue;
		if (d->open)
			return d->open(inode, f);
		f->ops = d->fops;
		return 0;
	}
	return -ENXIO;
}

/* --- ioctl ---------------------------------------------------------------------------- */

#define FIONCLEX	0x5450
#define FIOCLEX		0x5451

long sys_fcntl64(int fd, uint32_t cmd, uint32_t arg);

/* The requests every file understands (Linux's do_vfs_ioctl); then the driver's. */
long sys_ioctl(int fd, uint32_t cmd, uint32_t arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long ret;
	int on;
	if (f->flags & O_PATH) {
		ret = -EBADF;
	} else if (cmd == FIOCLEX || cmd == FIONCLEX) {
		ret = sys_fcntl64(fd, F_SETFD, cmd == FIOCLEX ? FD_CLOEXEC : 0);
	} else if (cmd == FIONBIO) {
		ret = copy_from_user(&on, (const void *)arg, sizeof on);
		if (!ret)
			f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
	} else if (cmd == FIONREAD && S_ISREG(f->inode->mode)) {
		int avail = f->pos < f->inode->size ? (int)(f->inode->size - f->pos) : 0;
		ret = copy_to_user((void *)arg, &avail, sizeof avail);
	} else if (f->ops->ioctl) {
		ret = f->ops->ioctl(f, cmd, arg);
	} else {
		ret = -ENOTTY;
	}
	file_put(f);
	return ret;
}
SYSCALL(ioctl, sys_ioctl);
