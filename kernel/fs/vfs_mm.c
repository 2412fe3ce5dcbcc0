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
	int err = inode->iops->truncate(inode, size);
	if (err) {
		inode_put(inode);
		return err;
	}
	*out = inode;
	return 0;
}

bool inode_is_dev_zero(const struct inode *inode)
{
	return S_ISCHR(inode->mode) && inode->rdev == MKDEV(1, 5);
}

/* "/dir/of/it/" + last component: the canonical form of path's directory
 * part, relative paths made absolute.  NULL when out of memory or when the
 * path no longer resolves. */
char *vfs_absolute_path(const char *path)
{
	struct nameidata nd;
	if (path_parent(0, path, &nd))
		return 0;
	char *buf = kmalloc(PATH_MAX);
	int len = buf ? dir_path(nd.dir, buf, PATH_MAX) : -ENOMEM;
	inode_put(nd.dir);
	if (len < 0 || (size_t)len + 1 + nd.len + 1 > PATH_MAX) {
		kfree(buf);
		return 0;
	}
	if (len > 1)
		buf[len++] = '/';
	else
		len = 1;	/* the root: "/" already */
	memcpy(buf + len, nd.name, nd.len + 1);
	return buf;
}
