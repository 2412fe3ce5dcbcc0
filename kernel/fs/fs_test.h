/*
 * Helpers shared by the file system self-tests (kernel/fs/ *_test.c): the
 * kernel-level equivalents of mkdir, write-a-file, read-a-file, rm -r.
 * Every test builds what it needs under a directory of its own and
 * removes it again, so that pages and heap blocks balance.
 */
#ifndef KERNEL_FS_TEST_H
#define KERNEL_FS_TEST_H

#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

/* Free pages plus the heap's pages: constant unless a page leaks (the
 * heap only ever grows by taking free pages). */
static inline uint32_t t_pages(void)
{
	struct heap_stats hs;
	heap_get_stats(&hs);
	return pmm_free_pages() + hs.pages;
}

static inline int t_mkdir(const char *path)
{
	return do_create(0, path, S_IFDIR | 0755, 0, 0);
}

/* Create (or truncate) path and write n bytes; 0 or -errno. */
static inline int t_write(const char *path, const void *data, size_t n)
{
	struct file *f;
	int err = do_open(0, path, O_CREAT | O_WRONLY | O_TRUNC, 0644, &f);
	if (err)
		return err;
	long w = f->ops->write(f, data, n, &f->pos);
	file_put(f);
	return w < 0 ? (int)w : w == (long)n ? 0 : -EIO;
}

/* Read up to n bytes of path from offset 0: bytes read or -errno. */
static inline long t_read(const char *path, void *buf, size_t n)
{
	struct file *f;
	int err = do_open(0, path, O_RDONLY, 0, &f);
	if (err)
		return err;
	long r = vfs_read_at(f, buf, n, 0);
	file_put(f);
	return r;
}

/* The error path_lookup gives (0 if found). */
static inline int t_lookup(const char *path, int flags)
{
	struct inode *i;
	int err = path_lookup(0, path, flags, &i);
	if (!err)
		inode_put(i);
	return err;
}

static inline uint32_t t_mode(const char *path)
{
	struct inode *i;
	if (path_lookup(0, path, 0, &i))
		return 0;
	uint32_t m = i->mode;
	inode_put(i);
	return m;
}

/* rm -r path (ignores errors: it cleans up after a test). */
static inline void t_rm_tree(const char *path)
{
	struct inode *dir;
	if (path_lookup(0, path, 0, &dir))
		return;
	if (S_ISDIR(dir->mode)) {
		char *buf = kmalloc(4096), *child = kmalloc(PATH_MAX);
		for (int guard = 0; guard < 10000; guard++) {
			uint64_t pos = 2;	/* skip "." and ".." */
			int n = buf && child ? dir_list(dir, &pos, buf, 4096) : 0;
			if (n <= 0)
				break;
			struct linux_dirent64 *e = (struct linux_dirent64 *)buf;
			size_t len = strlen(path);
			memcpy(child, path, len);
			child[len] = '/';
			memcpy(child + len + 1, e->d_name, strlen(e->d_name) + 1);
			t_rm_tree(child);
		}
		kfree(buf);
		kfree(child);
		inode_put(dir);
		do_remove(0, path, true);
	} else {
		inode_put(dir);
		do_remove(0, path, false);
	}
}

#endif
