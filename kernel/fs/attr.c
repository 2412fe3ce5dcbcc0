/*
 * Changing who owns a file and its permission bits: chmod, fchmod,
 * fchmodat, and the chown family (chown32 and friends are the ones with
 * 32-bit ids that programs use; the 16-bit ones are the old calls).
 *
 * Linux's rules (permission.c has them): only the owner or root may
 * chmod, and a chmod by a non-root caller outside the file's group drops
 * set-group-id; only root may give a file away, the owner may change its
 * group to one of its own.  An id of -1 means "leave it".  A chown of a
 * non-directory clears set-user-id, and set-group-id when the group may
 * execute, even when root does it (Linux 6.1); clearing them is a mode
 * change, which only the owner or root may make (EPERM).
 */
#include <kernel/cred.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

/* The inode named by dirfd + path (path NULL: dirfd's own file). */
static int resolve(int dirfd, const char *upath, bool follow, struct inode **out)
{
	if (!upath) {
		struct file *f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		*out = f->inode;
		inode_get(*out);
		file_put(f);
		return 0;
	}
	char *path;
	struct inode *start;
	int err = getname(upath, &path);
	if (err)
		return err;
	err = at_dir(dirfd, path, &start);
	if (!err) {
		err = path_lookup(start, path, follow ? LOOKUP_FOLLOW : 0, out);
		inode_put(start);
	}
	kfree(path);
	return err;
}

/* /proc makes its inodes afresh on every lookup, so a change there could
 * not be kept: it is accepted (as Linux accepts it from root) and dropped. */
static long set_mode(struct inode *inode, uint32_t mode)
{
	if (S_ISLNK(inode->mode))
		return -EOPNOTSUPP;	/* Linux has no lchmod either */
	int err = check_chmod(inode, &mode);
	if (err)
		return err;
	if (inode->dev == FS_DEV_PROC)
		return 0;
	inode->mode = (inode->mode & S_IFMT) | (mode & 07777);
	inode->ctime = fs_time();
	return 0;
}

static long set_owner(struct inode *inode, uint32_t uid, uint32_t gid)
{
	int err = check_chown(inode, uid, gid);
	if (err)
		return err;
	uint32_t mode = inode->mode;
	if (!S_ISDIR(mode)) {		/* Linux's ATTR_KILL_SUID, ATTR_KILL_SGID */
		mode &= ~S_ISUID;
		if (mode & S_IXGRP)
			mode &= ~S_ISGID;
	}
	if (mode != inode->mode) {	/* a mode change, with chmod's rules */
		if (!inode_owner_or_capable(inode))
			return -EPERM;
		if (!in_group_p(gid != (uint32_t)-1 ? gid : inode->gid) && !cred_fs_capable())
			mode &= ~S_ISGID;
	}
	if (inode->dev == FS_DEV_PROC)
		return 0;
	if (uid != (uint32_t)-1)
		inode->uid = uid;
	if (gid != (uint32_t)-1)
		inode->gid = gid;
	inode->mode = mode;
	inode->ctime = fs_time();
	return 0;
}

long sys_fchmodat(int dirfd, const char *path, uint32_t mode)
{
	struct inode *inode;
	long err = path ? resolve(dirfd, path, true, &inode) : -EFAULT;
	if (err)
		return err;
	err = set_mode(inode, mode);
	inode_put(inode);
	return err;
}
SYSCALL(fchmodat, sys_fchmodat);

long sys_chmod(const char *path, uint32_t mode) { return sys_fchmodat(AT_FDCWD, path, mode); }
SYSCALL(chmod, sys_chmod);

long sys_fchmod(int fd, uint32_t mode)
{
	struct inode *inode;
	long err = resolve(fd, 0, true, &inode);
	if (err)
		return err;
	err = set_mode(inode, mode);
	inode_put(inode);
	return err;
}
SYSCALL(fchmod, sys_fchmod);

long sys_fchownat(int dirfd, const char *upath, uint32_t uid, uint32_t gid, uint32_t flags)
{
	if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *inode;
	long err;
	if (!upath)
		return -EFAULT;
	char *path;
	err = getname(upath, &path);
	if (err)
		return err;
	bool empty = !path[0] && (flags & AT_EMPTY_PATH);
	kfree(path);
	err = resolve(dirfd, empty ? 0 : upath, !(flags & AT_SYMLINK_NOFOLLOW), &inode);
	if (err)
		return err;
	err = set_owner(inode, uid, gid);
	inode_put(inode);
	return err;
}
SYSCALL(fchownat, sys_fchownat);

long sys_chown32(const char *path, uint32_t uid, uint32_t gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, 0);
}
SYSCALL(chown32, sys_chown32);

long sys_lchown32(const char *path, uint32_t uid, uint32_t gid)
{
	return sys_fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}
SYSCALL(lchown32, sys_lchown32);

long sys_fchown32(int fd, uint32_t uid, uint32_t gid)
{
	struct inode *inode;
	long err = resolve(fd, 0, true, &inode);
	if (err)
		return err;
	err = set_owner(inode, uid, gid);
	inode_put(inode);
	return err;
}
SYSCALL(fchown32, sys_fchown32);

/* The old calls with 16-bit ids, where 0xffff means "leave it". */
static uint32_t id16(uint32_t id) { id &= 0xffff; return id == 0xffff ? (uint32_t)-1 : id; }

long sys_chown(const char *path, uint32_t uid, uint32_t gid) { return sys_chown32(path, id16(uid), id16(gid)); }
SYSCALL(chown, sys_chown);
long sys_lchown(const char *path, uint32_t uid, uint32_t gid) { return sys_lchown32(path, id16(uid), id16(gid)); }
SYSCALL(lchown, sys_lchown);
long sys_fchown(int fd, uint32_t uid, uint32_t gid) { return sys_fchown32(fd, id16(uid), id16(gid)); }
SYSCALL(fchown, sys_fchown);
