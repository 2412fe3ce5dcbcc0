/*
 * System calls on names: mkdir, rmdir, unlink, rename, link, symlink,
 * mknod, readlink, chdir, fchdir, getcwd (and their *at forms).
 *
 * Each one resolves the parent directory of its last component with
 * path_parent, turns the special last components ("/", ".", "..", a
 * trailing slash) into Linux's errors, and hands the rest to the file
 * system's inode operation, which knows about emptiness and types.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#define RENAME_WHITEOUT		4

/* Copy a path in and find where it starts (dirfd or cwd); on success the
 * caller kfree()s *path and inode_put()s *start. */
static int user_path_at(int dirfd, const char *upath, char **path, struct inode **start)
{
	int err = getname(upath, path);
	if (err)
		return err;
	err = at_dir(dirfd, *path, start);
	if (err) {
		kfree(*path);
		*path = 0;
	}
	return err;
}

/* Is there something called nd's last name?  (For "name/" errors.) */
static bool exists(struct nameidata *nd)
{
	struct inode *i;
	if (!nd->dir->iops->lookup || nd->dir->iops->lookup(nd->dir, nd->name, nd->len, &i))
		return false;
	inode_put(i);
	return true;
}

int do_create(struct inode *start, const char *path, uint32_t mode, uint32_t rdev,
	      const char *target)
{
	struct nameidata nd;
	int err = path_parent(start, path, &nd);
	if (err)
		return err;
	if (nd.type != LAST_NORM)
		err = -EEXIST;			/* "/", ".", ".." all exist */
	else if (nd.trailing_slash && !S_ISDIR(mode))
		err = exists(&nd) ? -EEXIST : -ENOENT;	/* only mkdir takes "name/" */
	else if (!nd.dir->iops->create)
		err = -EPERM;
	else
		err = nd.dir->iops->create(nd.dir, nd.name, nd.len, mode, rdev, target, 0);
	inode_put(nd.dir);
	return err;
}

/* Create the last name of a user path as a new inode: mkdir, mknod, symlink. */
static long create_at(int dirfd, const char *upath, uint32_t mode, uint32_t rdev,
		      const char *target)
{
	char *path;
	struct inode *start;
	long err = user_path_at(dirfd, upath, &path, &start);
	if (err)
		return err;
	err = do_create(start, path, mode, rdev, target);
	inode_put(start);
	kfree(path);
	return err;
}

long sys_mkdirat(int dirfd, const char *path, uint32_t mode)
{
	return create_at(dirfd, path, S_IFDIR | (mode & (07777 & ~S_ISUID & ~S_ISGID) & ~fs_umask()),
			 0, 0);
}
SYSCALL(mkdirat, sys_mkdirat);

long sys_mkdir(const char *path, uint32_t mode) { return sys_mkdirat(AT_FDCWD, path, mode); }
SYSCALL(mkdir, sys_mkdir);

long sys_mknodat(int dirfd, const char *path, uint32_t mode, uint32_t dev)
{
	uint32_t type = mode & S_IFMT;
	if (type == 0)
		type = S_IFREG;
	if (type == S_IFDIR)
		return -EPERM;		/* Linux's may_mknod: that is mkdir's */
	if (type == S_IFSOCK)
		return -EPERM;		/* ramfs has no sockets */
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO)
		return -EINVAL;
	/* dev in Linux's 32-bit "new" encoding; only device nodes keep it */
	uint32_t major = (dev & 0xfff00) >> 8, minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
	uint32_t rdev = (type == S_IFCHR || type == S_IFBLK) ? MKDEV(major, minor) : 0;
	return create_at(dirfd, path, type | (mode & 07777 & ~fs_umask()), rdev, 0);
}
SYSCALL(mknodat, sys_mknodat);

long sys_mknod(const char *path, uint32_t mode, uint32_t dev) { return sys_mknodat(AT_FDCWD, path, mode, dev); }
SYSCALL(mknod, sys_mknod);

long sys_symlinkat(const char *utarget, int dirfd, const char *path)
{
	char *target;
	long err = getname(utarget, &target);
	if (err)
		return err;
	err = target[0] ? create_at(dirfd, path, S_IFLNK | 0777, 0, target) : -ENOENT;
	kfree(target);
	return err;
}
SYSCALL(symlinkat, sys_symlinkat);

long sys_symlink(const char *target, const char *path) { return sys_symlinkat(target, AT_FDCWD, path); }
SYSCALL(symlink, sys_symlink);

int do_remove(struct inode *start, const char *path, bool rmdir)
{
	struct nameidata nd;
	int err = path_parent(start, path, &nd);
	if (err)
		return err;
	if (rmdir && nd.type != LAST_NORM) {
		err = nd.type == LAST_DOT ? -EINVAL : nd.type == LAST_DOTDOT ? -ENOTEMPTY : -EBUSY;
	} else if (!rmdir && nd.type != LAST_NORM) {
		err = -EISDIR;
	} else if (!rmdir && nd.trailing_slash) {
		/* "name/": whatever it is, unlink refuses it */
		struct inode *i;
		err = nd.dir->iops->lookup(nd.dir, nd.name, nd.len, &i);
		if (!err) {
			err = S_ISDIR(i->mode) ? -EISDIR : -ENOTDIR;
			inode_put(i);
		}
	} else if (!nd.dir->iops->unlink) {
		err = exists(&nd) ? -EPERM : -ENOENT;
	} else {
		err = nd.dir->iops->unlink(nd.dir, nd.name, nd.len, rmdir);
	}
	inode_put(nd.dir);
	return err;
}

/* unlink and rmdir */
static long remove_at(int dirfd, const char *upath, bool rmdir)
{
	char *path;
	struct inode *start;
	long err = user_path_at(dirfd, upath, &path, &start);
	if (err)
		return err;
	err = do_remove(start, path, rmdir);
	inode_put(start);
	kfree(path);
	return err;
}

long sys_unlinkat(int dirfd, const char *path, uint32_t flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return remove_at(dirfd, path, flags & AT_REMOVEDIR);
}
SYSCALL(unlinkat, sys_unlinkat);

long sys_unlink(const char *path) { return remove_at(AT_FDCWD, path, false); }
SYSCALL(unlink, sys_unlink);

long sys_rmdir(const char *path) { return remove_at(AT_FDCWD, path, true); }
SYSCALL(rmdir, sys_rmdir);

int do_rename(struct inode *ostart, const char *old, struct inode *nstart, const char *new,
	      uint32_t flags)
{
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if (flags & (RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;		/* not supported by ramfs */
	struct nameidata o, n;
	int err = path_parent(ostart, old, &o);
	if (err)
		return err;
	err = path_parent(nstart, new, &n);
	if (err) {
		inode_put(o.dir);
		return err;
	}
	struct inode *src = 0;
	if (o.type != LAST_NORM)
		err = -EBUSY;
	else if (n.type != LAST_NORM)
		err = (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	else if (o.dir->dev != n.dir->dev)
		err = -EXDEV;
	else if (!o.dir->iops->rename)	/* /proc: ENOENT for a new name, as Linux */
		err = exists(&o) && exists(&n) ? -EPERM : -ENOENT;
	else
		err = o.dir->iops->lookup(o.dir, o.name, o.len, &src);
	if (!err && !S_ISDIR(src->mode) && (o.trailing_slash || n.trailing_slash))
		err = -ENOTDIR;		/* "file/" names a directory that is not there */
	if (!err)
		err = o.dir->iops->rename(o.dir, o.name, o.len, n.dir, n.name, n.len,
					  flags & RENAME_NOREPLACE);
	inode_put(src);
	inode_put(n.dir);
	inode_put(o.dir);
	return err;
}

long sys_renameat2(int odirfd, const char *uold, int ndirfd, const char *unew, uint32_t flags)
{
	char *opath, *npath;
	struct inode *ostart, *nstart;
	long err = user_path_at(odirfd, uold, &opath, &ostart);
	if (err)
		return err;
	err = user_path_at(ndirfd, unew, &npath, &nstart);
	if (!err) {
		err = do_rename(ostart, opath, nstart, npath, flags);
		inode_put(nstart);
		kfree(npath);
	}
	inode_put(ostart);
	kfree(opath);
	return err;
}
SYSCALL(renameat2, sys_renameat2);

long sys_renameat(int odirfd, const char *old, int ndirfd, const char *new)
{
	return sys_renameat2(odirfd, old, ndirfd, new, 0);
}
SYSCALL(renameat, sys_renameat);

long sys_rename(const char *old, const char *new) { return sys_renameat2(AT_FDCWD, old, AT_FDCWD, new, 0); }
SYSCALL(rename, sys_rename);

long sys_linkat(int odirfd, const char *uold, int ndirfd, const char *unew, uint32_t flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	char *opath;
	long err = getname(uold, &opath);
	if (err)
		return err;
	struct inode *start, *target = 0;
	err = at_dir(odirfd, opath, &start);
	if (!err) {
		if (!opath[0] && (flags & AT_EMPTY_PATH)) {
			target = start;		/* the descriptor's own file */
			start = 0;
		} else {
			err = path_lookup(start, opath, flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0,
					  &target);
		}
		inode_put(start);
	}
	kfree(opath);
	if (err)
		return err;
	char *npath;
	struct inode *nstart;
	struct nameidata n;
	err = user_path_at(ndirfd, unew, &npath, &nstart);
	if (!err) {
		err = path_parent(nstart, npath, &n);
		inode_put(nstart);
		if (err)
			kfree(npath);
	}
	if (!err) {
		if (S_ISDIR(target->mode))
			err = -EPERM;
		else if (n.type != LAST_NORM)
			err = -EEXIST;
		else if (n.trailing_slash)
			err = exists(&n) ? -EEXIST : -ENOENT;
		else if (n.dir->dev != target->dev)
			err = -EXDEV;
		else if (!n.dir->iops->link)	/* /proc: ENOENT for a new name, as Linux */
			err = n.dir->dev == FS_DEV_PROC ? -ENOENT : -EPERM;
		else
			err = n.dir->iops->link(n.dir, n.name, n.len, target);
		inode_put(n.dir);
		kfree(npath);
	}
	inode_put(target);
	return err;
}
SYSCALL(linkat, sys_linkat);

long sys_link(const char *old, const char *new) { return sys_linkat(AT_FDCWD, old, AT_FDCWD, new, 0); }
SYSCALL(link, sys_link);

long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int32_t size)
{
	if (size <= 0)
		return -EINVAL;
	char *path;
	long err = getname(upath, &path);
	if (err)
		return err;
	struct inode *start, *link = 0;
	err = at_dir(dirfd, path, &start);
	if (!err) {
		if (!path[0]) {			/* an O_PATH descriptor of the link itself */
			link = start;
			start = 0;
		} else {
			err = path_lookup(start, path, 0, &link);
		}
		inode_put(start);
	}
	if (!err && (!S_ISLNK(link->mode) || !link->iops->readlink))
		err = path[0] ? -EINVAL : -ENOENT;
	if (!err) {
		char *buf = kmalloc(PATH_MAX);
		int n = buf ? link->iops->readlink(link, buf, PATH_MAX) : -ENOMEM;
		if (n > PATH_MAX)
			n = PATH_MAX;
		if (n >= 0 && n > size)
			n = size;		/* truncated, with no NUL: as Linux */
		err = n;
		if (n > 0 && copy_to_user(ubuf, buf, (size_t)n))
			err = -EFAULT;
		kfree(buf);
	}
	inode_put(link);
	kfree(path);
	return err;
}
SYSCALL(readlinkat, sys_readlinkat);

long sys_readlink(const char *path, char *buf, int32_t size) { return sys_readlinkat(AT_FDCWD, path, buf, size); }
SYSCALL(readlink, sys_readlink);

/* --- the current directory ------------------------------------------------------ */

static void set_cwd(struct inode *dir)
{
	struct inode *old = current->cwd;
	current->cwd = dir;		/* takes the caller's reference */
	inode_put(old);
}

long sys_chdir(const char *upath)
{
	char *path;
	long err = getname(upath, &path);
	if (err)
		return err;
	struct inode *dir;
	err = path_lookup(0, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	kfree(path);
	if (!err)
		set_cwd(dir);
	return err;
}
SYSCALL(chdir, sys_chdir);

long sys_fchdir(int fd)
{
	struct file *f = fd_get_raw(fd);
	if (!f)
		return -EBADF;
	long err = -ENOTDIR;
	if (S_ISDIR(f->inode->mode)) {
		inode_get(f->inode);
		set_cwd(f->inode);
		err = 0;
	}
	file_put(f);
	return err;
}
SYSCALL(fchdir, sys_fchdir);

/* Linux's getcwd returns the length *including* the NUL (glibc hides it). */
long sys_getcwd(char *ubuf, uint32_t size)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	long n = dir_path(fs_cwd(), buf, PATH_MAX);
	if (n >= 0 && (uint32_t)n + 1 > size)
		n = -ERANGE;
	if (n >= 0)
		n = copy_to_user(ubuf, buf, (size_t)n + 1) ? -EFAULT : n + 1;
	kfree(buf);
	return n;
}
SYSCALL(getcwd, sys_getcwd);
