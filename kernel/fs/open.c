/*
 * Opening files: open, openat, creat, and the calls that change a file's
 * size, flush it or advise on it (truncate, ftruncate, fsync, fadvise),
 * plus umask.
 *
 * do_open is the heart: it finds or creates the inode the path names,
 * applies open(2)'s rules in Linux's order, and makes a struct file.
 * The system calls around it copy the path in and install a descriptor.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

/* The file-creation mask: one per process (struct task), copied by fork. */
uint32_t fs_umask(void) { return current ? current->umask : 022; }

/* Flags that act at open time only and are not kept in the file (O_NOCTTY
 * goes after the device's open has seen it). */
#define OPEN_ONLY_FLAGS (O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC)

int do_truncate(struct inode *inode, uint64_t size)
{
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode) || !inode->iops || !inode->iops->truncate)
		return -EINVAL;
	if (size > 0x7fffffffffffffffULL)
		return -EINVAL;
	return inode->iops->truncate(inode, size);
}

/* do_truncate with write access held across it: -ETXTBSY while a
 * program runs from the file (truncate(2), O_TRUNC). */
static int truncate_written(struct inode *inode, uint64_t size)
{
	int err = S_ISREG(inode->mode) ? inode_get_write(inode) : 0;
	if (err)
		return err;
	err = do_truncate(inode, size);
	if (S_ISREG(inode->mode))
		inode_put_write(inode);
	return err;
}

/* Find (following symlinks) or create the last component for O_CREAT. */
static int open_creat(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
		      struct inode **out, bool *created)
{
	char *work = 0;
	struct inode *hold = 0;		/* keeps start alive across iterations */
	int err, links = 0;
	for (;;) {
		struct nameidata nd;
		err = path_parent(start, path, &nd);
		if (err)
			break;
		inode_put(hold);
		hold = nd.dir;
		if (nd.type != LAST_NORM || nd.trailing_slash) {
			err = -EISDIR;		/* "/", ".", "..", "name/": not a file to create */
			break;
		}
		struct inode *child;
		err = nd.dir->iops->lookup ? nd.dir->iops->lookup(nd.dir, nd.name, nd.len, &child)
					   : -ENOTDIR;
		if (err == -ENOENT) {
			if (!nd.dir->iops->create) {
				err = -EACCES;	/* (no such file system here yet) */
				break;
			}
			err = may_create_in(nd.dir);	/* write and search on the directory */
			if (err)
				break;
			uint32_t m = S_IFREG | (mode & 07777 & ~fs_umask());
			err = nd.dir->iops->create(nd.dir, nd.name, nd.len, m, 0, 0, out);
			*created = !err;
			break;
		}
		if (err)
			break;
		if (flags & O_EXCL) {
			inode_put(child);
			err = -EEXIST;		/* even for a symlink: O_EXCL never follows */
			break;
		}
		if (!S_ISLNK(child->mode)) {
			*out = child;
			break;
		}
		if (flags & O_NOFOLLOW) {
			inode_put(child);
			err = -ELOOP;
			break;
		}
		/* A symlink: open (or create) what it points to, from its directory. */
		if (++links > MAXSYMLINKS) {
			inode_put(child);
			err = -ELOOP;
			break;
		}
		char *buf = kmalloc(PATH_MAX);
		int n = buf ? child->iops->readlink(child, buf, PATH_MAX - 1) : -ENOMEM;
		inode_put(child);
		if (n >= PATH_MAX - 1)
			n = -ENAMETOOLONG;
		if (n <= 0) {
			kfree(buf);
			err = n ? n : -ENOENT;
			break;
		}
		buf[n] = '\0';
		kfree(work);
		work = buf;
		path = work;
		start = nd.dir;
	}
	inode_put(hold);
	kfree(work);
	return err;
}

/* What open must be allowed to do to an existing file (Linux's ACC_MODE:
 * access mode 3 asks for both), plus write for O_TRUNC; an exec's open
 * (O_KEXEC) asks for execute only. */
static int open_may(uint32_t flags)
{
	static const int acc[4] = { MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE, MAY_READ | MAY_WRITE };
	if (flags & O_KEXEC)
		return MAY_EXEC;
	return acc[flags & O_ACCMODE] | (flags & O_TRUNC ? MAY_WRITE : 0);
}

int do_open(struct inode *start, const char *path, uint32_t flags, uint32_t mode,
	    struct file **out)
{
	struct inode *inode;
	bool created = false;
	int err;

	if (flags & O_PATH)	/* O_PATH keeps only these, as Linux */
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;

	if (flags & O_CREAT) {
		err = open_creat(start, path, flags, mode, &inode, &created);
	} else {
		int lf = (flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
			 (flags & O_DIRECTORY ? LOOKUP_DIRECTORY : 0);
		err = path_lookup(start, path, lf, &inode);
		if (!err && S_ISLNK(inode->mode) && !(flags & O_PATH)) {
			inode_put(inode);
			err = -ELOOP;	/* O_NOFOLLOW met a symlink */
		}
	}
	if (err)
		return err;

	uint32_t acc = flags & O_ACCMODE;
	if (S_ISDIR(inode->mode) && !(flags & O_PATH) &&
	    (acc == O_WRONLY || acc == O_RDWR || (flags & (O_TRUNC | O_CREAT))))
		err = -EISDIR;
	else if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		err = -ENOTDIR;
	else if (!created && !(flags & O_PATH))
		err = inode_permission(inode, open_may(flags));
	if (!err)
		err = file_open_inode(inode, flags & ~OPEN_ONLY_FLAGS, out);
	/* O_TRUNC acts on the opened file, as Linux's handle_truncate: after
	 * open has refused a running program (ETXTBSY), even read-only. */
	if (!err && (flags & O_TRUNC) && !created && S_ISREG(inode->mode) && !(flags & O_PATH)) {
		file_remove_privs(inode);	/* a non-root truncate drops set-id bits */
		err = truncate_written(inode, 0);
		if (err)
			file_put(*out);
	}
	if (!err)
		(*out)->flags &= ~O_NOCTTY;
	inode_put(inode);
	return err;
}

/* --- system calls -------------------------------------------------------------- */

static long open_at(int dirfd, const char *upath, uint32_t flags, uint32_t mode)
{
	char *path;
	int err = getname(upath, &path);
	if (err)
		return err;
	struct inode *start = 0;
	flags &= ~O_KEXEC;				/* the kernel's own, not a user's */
	err = fd_lowest_free(current->files, 0);	/* EMFILE comes before the lookup */
	if (err >= 0)
		err = at_dir(dirfd, path, &start);
	struct file *f = 0;
	if (err >= 0)
		err = do_open(start, path, flags, mode, &f);
	inode_put(start);
	kfree(path);
	if (err < 0)
		return err;
	int fd = fd_install(current->files, f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_open(const char *path, uint32_t flags, uint32_t mode)
{
	return open_at(AT_FDCWD, path, flags, mode);
}
SYSCALL(open, sys_open);

long sys_openat(int dirfd, const char *path, uint32_t flags, uint32_t mode)
{
	return open_at(dirfd, path, flags, mode);
}
SYSCALL(openat, sys_openat);

long sys_creat(const char *path, uint32_t mode)
{
	return open_at(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
SYSCALL(creat, sys_creat);

long sys_umask(uint32_t mask)
{
	uint32_t old = current->umask;
	current->umask = mask & 0777;
	return old;
}
SYSCALL(umask, sys_umask);

static long truncate_path(const char *upath, int64_t length)
{
	if (length < 0)
		return -EINVAL;
	char *path;
	int err = getname(upath, &path);
	if (err)
		return err;
	struct inode *inode;
	err = path_lookup(0, path, LOOKUP_FOLLOW, &inode);
	kfree(path);
	if (err)
		return err;
	if (S_ISREG(inode->mode))	/* EISDIR and EINVAL come first (do_truncate) */
		err = inode_permission(inode, MAY_WRITE);
	if (!err && S_ISREG(inode->mode))
		file_remove_privs(inode);
	if (!err)
		err = truncate_written(inode, (uint64_t)length);
	inode_put(inode);
	return err;
}

static long truncate_fd(int fd, int64_t length)
{
	if (length < 0)
		return -EINVAL;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int err = -EINVAL;		/* Linux: not regular, or not open for writing */
	if (S_ISREG(f->inode->mode) && file_writable(f)) {
		file_remove_privs(f->inode);
		err = do_truncate(f->inode, (uint64_t)length);
	}
	file_put(f);
	return err;
}

long sys_truncate(const char *path, int32_t length) { return truncate_path(path, length); }
SYSCALL(truncate, sys_truncate);

long sys_ftruncate(int fd, int32_t length) { return truncate_fd(fd, length); }
SYSCALL(ftruncate, sys_ftruncate);

/* The 64-bit length arrives in two registers, low word first. */
long sys_truncate64(const char *path, uint32_t lo, uint32_t hi)
{
	return truncate_path(path, (int64_t)((uint64_t)hi << 32 | lo));
}
SYSCALL(truncate64, sys_truncate64);

long sys_ftruncate64(int fd, uint32_t lo, uint32_t hi)
{
	return truncate_fd(fd, (int64_t)((uint64_t)hi << 32 | lo));
}
SYSCALL(ftruncate64, sys_ftruncate64);

/* Everything is in RAM: flushing succeeds at once, except on pipes and
 * ttys, which Linux cannot fsync either. */
long sys_fsync(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long err = (S_ISFIFO(f->inode->mode) || f->ops == &tty_fops) ? -EINVAL : 0;
	file_put(f);
	return err;
}
SYSCALL(fsync, sys_fsync);

long sys_fdatasync(int fd) { return sys_fsync(fd); }
SYSCALL(fdatasync, sys_fdatasync);

long sys_sync(void) { return 0; }
SYSCALL(sync, sys_sync);

/*
 * posix_fadvise: how a file will be read.  Everything is in RAM, and Linux
 * ignores the advice there too (ramfs and tmpfs have no backing device);
 * what is left are its checks, in its order: the descriptor (EBADF, an
 * O_PATH one too), a pipe or FIFO (ESPIPE), a negative length or advice
 * it does not know (EINVAL).  The offset is never looked at.
 */
#define POSIX_FADV_NOREUSE	5	/* the highest: NORMAL 0 .. NOREUSE 5 */
static long do_fadvise(int fd, int64_t len, uint32_t advice)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long err = 0;
	if (S_ISFIFO(f->inode->mode))
		err = -ESPIPE;
	else if (len < 0 || advice > POSIX_FADV_NOREUSE)
		err = -EINVAL;
	file_put(f);
	return err;
}

/* i386's two forms: a 32-bit length, or a 64-bit one in two words. */
static long sys_fadvise64(int fd, uint32_t off_lo, uint32_t off_hi, uint32_t len, uint32_t advice)
{
	(void)off_lo, (void)off_hi;
	return do_fadvise(fd, len, advice);
}
SYSCALL(fadvise64, sys_fadvise64);

static long sys_fadvise64_64(int fd, uint32_t off_lo, uint32_t off_hi, uint32_t len_lo, uint32_t len_hi,
			     uint32_t advice)
{
	(void)off_lo, (void)off_hi;
	return do_fadvise(fd, (int64_t)((uint64_t)len_hi << 32 | len_lo), advice);
}
SYSCALL(fadvise64_64, sys_fadvise64_64);

/* memfd_create: an anonymous regular file (shared memory with a descriptor). */
#define MFD_CLOEXEC		1
#define MFD_ALLOW_SEALING	2
#define MFD_NAME_MAX		249	/* Linux: 255 minus "memfd:" */

long sys_memfd_create(const char *uname, uint32_t flags)
{
	char name[MFD_NAME_MAX + 1];
	if (flags & ~(uint32_t)(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;		/* MFD_HUGETLB and the rest: not here */
	int n = strncpy_from_user(name, uname, sizeof name);
	if (n < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	int err = fd_lowest_free(current->files, 0);
	if (err < 0)
		return err;
	struct inode *inode = ramfs_new_file(0777);
	if (!inode)
		return -ENOMEM;
	struct file *f;
	err = file_open_inode(inode, O_RDWR | O_LARGEFILE, &f);
	inode_put(inode);
	if (err)
		return err;
	int fd = fd_install(current->files, f, 0, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}
SYSCALL(memfd_create, sys_memfd_create);
