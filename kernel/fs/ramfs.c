/*
 * ramfs: the writable in-memory file system that holds the root.
 *
 * Everything lives in RAM and nothing is ever written back, so the data
 * structures are the plainest that work:
 *
 *   directory     a singly linked list of entries (name -> inode), in the
 *                 order they were made.  Each entry holds a reference to
 *                 its inode; that reference is what keeps a file alive
 *                 while it has a name.
 *   regular file  an array of physical pages (kernel/fs/ramfs_file.c).
 *   symlink       the target string.
 *   device node   nothing but its device number; opening it asks the
 *                 driver (kernel/fs/dev.c).
 *
 * Each directory entry gets a "cookie", a number that only grows within a
 * directory.  getdents64 positions are cookies, so removing entries while
 * a program walks a directory (rm -r does) never makes it skip or repeat
 * one.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

#define FIRST_COOKIE	2	/* 0 and 1 are "." and ".." */

struct ramfs_dirent {
	struct ramfs_dirent *next;
	struct inode *inode;		/* a reference */
	uint64_t cookie;
	bool mountpoint;		/* the root of another file system (/proc) */
	size_t len;
	char name[];			/* NUL-terminated too, for printing */
};

struct ramfs_dir {
	struct ramfs_dirent *first, *last;
	uint64_t next_cookie;
	uint32_t count;
};

static uint32_t next_ino = 1;

static const struct inode_ops dir_iops, symlink_iops, dev_iops, fifo_iops;
static const struct file_ops dir_fops;

static struct ramfs_dir *dir_of(struct inode *d) { return d->priv; }

static struct ramfs_dirent *find(struct inode *dir, const char *name, size_t len,
				 struct ramfs_dirent **prev)
{
	struct ramfs_dirent *p = 0;
	for (struct ramfs_dirent *e = dir_of(dir)->first; e; p = e, e = e->next) {
		if (e->len == len && memcmp(e->name, name, len) == 0) {
			if (prev)
				*prev = p;
			return e;
		}
	}
	return 0;
}

static struct ramfs_dirent *dirent_new(const char *name, size_t len, struct inode *inode)
{
	struct ramfs_dirent *e = kmalloc(sizeof *e + len + 1);
	if (!e)
		return 0;
	e->next = 0;
	e->inode = inode;
	e->mountpoint = false;
	e->len = len;
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	return e;
}

/* Append e (whose inode reference it now owns) to dir. */
static void dirent_add(struct inode *dir, struct ramfs_dirent *e)
{
	struct ramfs_dir *d = dir_of(dir);
	e->cookie = d->next_cookie++;
	if (d->last)
		d->last->next = e;
	else
		d->first = e;
	d->last = e;
	d->count++;
	dir->mtime = dir->ctime = fs_time();
}

/* Take e out of dir's list; the caller deals with e->inode and kfree(e). */
static void dirent_remove(struct inode *dir, struct ramfs_dirent *e, struct ramfs_dirent *prev)
{
	struct ramfs_dir *d = dir_of(dir);
	if (prev)
		prev->next = e->next;
	else
		d->first = e->next;
	if (d->last == e)
		d->last = prev;
	d->count--;
	dir->mtime = dir->ctime = fs_time();
}

/* A fresh ramfs inode of the given type (mode includes S_IF*). */
static struct inode *ramfs_inode(uint32_t mode)
{
	const struct inode_ops *iops;
	const struct file_ops *fops = 0;
	void *priv = 0;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		iops = &dir_iops;
		fops = &dir_fops;
		priv = kzalloc(sizeof(struct ramfs_dir));
		break;
	case S_IFREG:
		iops = &ramfs_file_iops;
		fops = &ramfs_file_fops;
		priv = ramfs_file_new();
		break;
	case S_IFLNK:
		iops = &symlink_iops;
		break;
	case S_IFCHR:
	case S_IFBLK:
		iops = &dev_iops;
		break;
	case S_IFIFO:
		iops = &fifo_iops;	/* priv: the pipe, while the FIFO is open */
		break;
	default:
		return 0;	/* sockets are not supported */
	}
	if ((mode & S_IFMT) == S_IFDIR || (mode & S_IFMT) == S_IFREG) {
		if (!priv)
			return 0;
	}
	struct inode *inode = inode_alloc(FS_DEV_RAMFS, mode, iops, fops);
	if (!inode) {
		kfree(priv);
		return 0;
	}
	inode->ino = next_ino++;
	inode->priv = priv;
	if (S_ISDIR(mode)) {
		dir_of(inode)->next_cookie = FIRST_COOKIE;
		inode->nlink = 2;	/* its entry in the parent, and its own "." */
	} else {
		inode->nlink = 1;
	}
	return inode;
}

struct inode *ramfs_new_root(void)
{
	struct inode *root = ramfs_inode(S_IFDIR | 0755);
	if (!root)
		panic("ramfs: no memory for the root");
	root->parent = root;	/* ".." of / is / (and no reference: no cycle) */
	return root;
}

/* A regular file in no directory (shared anonymous memory, memfd). */
struct inode *ramfs_new_file(uint32_t perm)
{
	struct inode *inode = ramfs_inode(S_IFREG | (perm & 07777));
	if (inode) {
		inode->nlink = 0;
		inode_init_owner(inode, 0, inode->mode);	/* the creator's fs ids */
	}
	return inode;
}

/* --- directories ------------------------------------------------------------ */

static int dir_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct ramfs_dirent *e = find(dir, name, len, 0);
	if (!e)
		return -ENOENT;
	inode_get(e->inode);
	*out = e->inode;
	return 0;
}

static int dir_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
		      uint32_t rdev, const char *target, struct inode **out)
{
	if (dir->nlink == 0)
		return -ENOENT;		/* the directory was removed */
	if (find(dir, name, len, 0))
		return -EEXIST;
	struct inode *inode = ramfs_inode(mode);
	if (!inode)
		return -ENOMEM;
	/* Owned by the creator's fs ids, or the set-group-id dir's group. */
	inode->mode = inode_init_owner(inode, dir, inode->mode);
	if (S_ISLNK(mode)) {
		size_t tlen = strlen(target);
		char *copy = kmalloc(tlen + 1);
		if (!copy) {
			inode_put(inode);
			return -ENOMEM;
		}
		memcpy(copy, target, tlen + 1);
		inode->priv = copy;
		inode->size = tlen;
	}
	inode->rdev = rdev;
	struct ramfs_dirent *e = dirent_new(name, len, inode);
	if (!e) {
		inode_put(inode);
		return -ENOMEM;
	}
	if (S_ISDIR(mode)) {
		inode_get(dir);
		inode->parent = dir;
		dir->nlink++;		/* the child's ".." */
	}
	dirent_add(dir, e);		/* the entry keeps inode's first reference */
	if (out) {
		inode_get(inode);
		*out = inode;
	}
	return 0;
}

static int dir_link(struct inode *dir, const char *name, size_t len, struct inode *target)
{
	if (dir->nlink == 0)
		return -ENOENT;
	if (S_ISDIR(target->mode))
		return -EPERM;		/* no hard links to directories */
	if (target->dev != FS_DEV_RAMFS)
		return -EXDEV;
	if (find(dir, name, len, 0))
		return -EEXIST;
	struct ramfs_dirent *e = dirent_new(name, len, target);
	if (!e)
		return -ENOMEM;
	inode_get(target);
	target->nlink++;
	target->ctime = fs_time();
	dirent_add(dir, e);
	return 0;
}

/* Make dir/name, already found as e, stop existing: drop its link count
 * and the entry's reference (the inode lives on while open). */
static void drop_entry(struct inode *dir, struct ramfs_dirent *e, struct ramfs_dirent *prev)
{
	struct inode *victim = e->inode;
	dirent_remove(dir, e, prev);
	if (S_ISDIR(victim->mode)) {
		victim->nlink = 0;	/* gone: nothing can be created in it */
		dir->nlink--;		/* its ".." no longer points here */
	} else {
		victim->nlink--;
	}
	victim->ctime = fs_time();
	kfree(e);
	inode_put(victim);
}

static bool dir_is_empty(struct inode *dir)
{
	return dir_of(dir)->count == 0;
}

static int dir_unlink(struct inode *dir, const char *name, size_t len, bool rmdir)
{
	struct ramfs_dirent *prev;
	struct ramfs_dirent *e = find(dir, name, len, &prev);
	if (!e)
		return -ENOENT;
	if (e->mountpoint)
		return rmdir ? -EBUSY : -EISDIR;
	bool is_dir = S_ISDIR(e->inode->mode);
	if (!rmdir && is_dir)
		return -EISDIR;
	if (rmdir && !is_dir)
		return -ENOTDIR;
	if (is_dir && !dir_is_empty(e->inode))
		return -ENOTEMPTY;
	drop_entry(dir, e, prev);
	return 0;
}

/* True when d is a or lies below a (walking up the parent links). */
static bool is_below(struct inode *d, struct inode *a)
{
	for (;;) {
		if (d == a)
			return true;
		if (d->parent == d || !d->parent)
			return false;
		d = d->parent;
	}
}

static int dir_rename(struct inode *odir, const char *oname, size_t olen,
		      struct inode *ndir, const char *nname, size_t nlen, bool noreplace)
{
	struct ramfs_dirent *oprev, *nprev;
	struct ramfs_dirent *old = find(odir, oname, olen, &oprev);
	if (!old)
		return -ENOENT;
	struct inode *src = old->inode;
	struct ramfs_dirent *target = find(ndir, nname, nlen, &nprev);
	if (old->mountpoint || (target && target->mountpoint))
		return -EBUSY;
	if (target && target->inode == src)
		return 0;		/* two names of one inode: nothing to do */
	if (target && noreplace)
		return -EEXIST;
	if (target) {
		bool tdir = S_ISDIR(target->inode->mode);
		if (S_ISDIR(src->mode) && !tdir)
			return -ENOTDIR;
		if (!S_ISDIR(src->mode) && tdir)
			return -EISDIR;
		if (tdir && !dir_is_empty(target->inode))
			return -ENOTEMPTY;
	}
	if (S_ISDIR(src->mode) && is_below(ndir, src))
		return -EINVAL;		/* a directory cannot move into itself */
	if (ndir->nlink == 0)
		return -ENOENT;

	/* Allocate first: after this point nothing can fail. */
	struct ramfs_dirent *e = dirent_new(nname, nlen, src);
	if (!e)
		return -ENOMEM;
	if (target) {
		drop_entry(ndir, target, nprev);
		/* dropping target may have made oprev stale if it was oprev */
		old = find(odir, oname, olen, &oprev);
	}
	inode_get(src);			/* the new entry's reference */
	dirent_remove(odir, old, oprev);
	kfree(old);
	if (S_ISDIR(src->mode) && odir != ndir) {
		odir->nlink--;
		ndir->nlink++;
		inode_get(ndir);
		struct inode *was = src->parent;
		src->parent = ndir;
		inode_put(was);
	}
	dirent_add(ndir, e);
	inode_put(src);			/* the old entry's reference */
	src->ctime = fs_time();
	return 0;
}

static int dir_readdir(struct inode *dir, uint64_t *pos,
		       int (*emit)(void *, const char *, size_t, uint32_t, uint32_t, uint64_t),
		       void *ctx)
{
	for (struct ramfs_dirent *e = dir_of(dir)->first; e; e = e->next) {
		if (e->cookie < *pos)
			continue;
		if (emit(ctx, e->name, e->len, e->inode->ino, e->inode->mode, e->cookie + 1))
			break;
		*pos = e->cookie + 1;
	}
	return 0;
}

static void dir_release(struct inode *dir)
{
	/* Only empty (removed) directories are ever released, but free any
	 * entries anyway so a bug cannot leak them. */
	struct ramfs_dirent *e = dir_of(dir)->first;
	while (e) {
		struct ramfs_dirent *next = e->next;
		inode_put(e->inode);
		kfree(e);
		e = next;
	}
	kfree(dir->priv);
}

int ramfs_mount(struct inode *dir, const char *name, struct inode *root)
{
	if (find(dir, name, strlen(name), 0))
		return -EEXIST;
	struct ramfs_dirent *e = dirent_new(name, strlen(name), root);
	if (!e)
		return -ENOMEM;
	inode_get(root);
	e->mountpoint = true;
	dirent_add(dir, e);
	dir->nlink++;			/* the mounted root's ".." is dir */
	return 0;
}

static long dir_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EISDIR;
}

static const struct inode_ops dir_iops = {
	.lookup = dir_lookup, .create = dir_create, .link = dir_link,
	.unlink = dir_unlink, .rename = dir_rename, .readdir = dir_readdir,
	.release = dir_release,
};
static const struct file_ops dir_fops = { .read = dir_read };

/* --- symlinks and device nodes ---------------------------------------------- */

static int symlink_readlink(struct inode *inode, char *buf, size_t size)
{
	size_t len = (size_t)inode->size;
	memcpy(buf, inode->priv, len < size ? len : size);
	return (int)len;
}

static void symlink_release(struct inode *inode)
{
	kfree(inode->priv);
}

static const struct inode_ops symlink_iops = {
	.readlink = symlink_readlink, .release = symlink_release,
};
static const struct inode_ops dev_iops = { .open = chrdev_open };
static const struct inode_ops fifo_iops = { .open = fifo_open };

/*
 * A path of inode (any kind) below the root: a depth-first search of the
 * directories, which never crosses into a mounted file system.  For
 * /proc/PID/maps and fd/ links, which name files by their inode only.
 * The length, or -ENOENT when no directory names it (deleted).
 */
static int path_search(struct inode *dir, struct inode *want, char *buf, size_t size, size_t at,
		       int depth)
{
	if (depth > 32 || dir->iops != &dir_iops)
		return -ENOENT;
	for (struct ramfs_dirent *e = dir_of(dir)->first; e; e = e->next) {
		if (e->mountpoint || at + 1 + e->len + 1 > size)
			continue;
		buf[at] = '/';
		memcpy(buf + at + 1, e->name, e->len + 1);
		if (e->inode == want)
			return (int)(at + 1 + e->len);
		int r = path_search(e->inode, want, buf, size, at + 1 + e->len, depth + 1);
		if (r >= 0)
			return r;
	}
	return -ENOENT;
}

int ramfs_path_of(struct inode *inode, char *buf, size_t size)
{
	if (size < 2)
		return -ENAMETOOLONG;
	if (inode == fs_root()) {
		memcpy(buf, "/", 2);
		return 1;
	}
	return path_search(fs_root(), inode, buf, size, 0, 0);
}
