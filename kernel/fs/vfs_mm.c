/*
 * What the memory manager and exec need from the file side: unnamed files
 * for shared anonymous memory, recognising /dev/zero, and the absolute
 * path of a program for /proc/self/exe.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/string.h>
#include <uapi/errno.h>
#include <uapi/stat.h>

int vfs_shmem_create(uint64_t size, struct inode **out)
{
	struct inode *inode = ramfs_new_file(0600);
	if (!inode)
		return -ENOMEM;
	int err = do_truncate(inode, size);
	if (err) {
		inode_put(inode);
		return err;
	}
	*out = inode;
	return 0;
}

bool vfs_page_present(struct inode *inode, uint64_t off)
{
	if (off >= inode->size)
		return false;
	if (!inode->iops || !inode->iops->seek_hole)
		return true;
	return inode->iops->seek_hole(inode, off, false) == (int64_t)off;
}

bool inode_mappable(const struct inode *inode)
{
	return S_ISREG(inode->mode) && inode->iops && inode->iops->get_page;
}

bool inode_is_dev_zero(const struct inode *inode)
{
	return S_ISCHR(inode->mode) && inode->rdev == MKDEV(1, 5);
}

/* The canonical absolute path, symlinks resolved (also in the last
 * component: exec of /bin/sh -> busybox gives /bin/busybox, as on Linux).
 * NULL when out of memory or when the path no longer resolves. */
char *vfs_absolute_path(const char *path)
{
	char *buf = kmalloc(PATH_MAX);
	if (buf && vfs_realpath(path, buf, PATH_MAX) < 0) {
		kfree(buf);
		return 0;
	}
	return buf;
}
