/*
 * Looking at files without opening them for I/O: stat64, lstat64,
 * fstat64, fstatat64, statx, access, faccessat, faccessat2, statfs and
 * fstatfs (and their 64-bit forms), and listing directories with
 * getdents64.
 *
 * Everything runs as root, so the only permission Linux would still
 * refuse root is execute: X_OK needs some x bit (or a directory).
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/dirent.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include <kernel/pmm.h>

static void fill_stat64(const struct inode *i, struct stat64 *st)
{
	memset(st, 0, sizeof *st);
	st->st_dev = MKDEV64(0, i->dev);
	st->__st_ino = i->ino;
	st->st_ino = i->ino;
	st->st_mode = i->mode;
	st->st_nlink = i->nlink;
	st->st_uid = i->uid;
	st->st_gid = i->gid;
	st->st_rdev = MKDEV64(MAJOR(i->rdev), MINOR(i->rdev));
	st->st_size = (int64_t)i->size;
	st->st_blksize = 4096;
	st->st_blocks = (uint64_t)i->blocks * 8;	/* 512-byte units */
	st->st_atime = i->atime;
	st->st_mtime = i->mtime;
	st->st_ctime = i->ctime;
}

static void fill_statx(const struct inode *i, struct statx *sx)
{
	memset(sx, 0, sizeof *sx);
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = 4096;
	sx->stx_nlink = i->nlink;
	sx->stx_uid = i->uid;
	sx->stx_gid = i->gid;
	sx->stx_mode = (uint16_t)i->mode;
	sx->stx_ino = i->ino;
	sx->stx_size = i->size;
	sx->stx_blocks = (uint64_t)i->blocks * 8;
	sx->stx_atime.tv_sec = i->atime;
	sx->stx_mtime.tv_sec = i->mtime;
	sx->stx_ctime.tv_sec = i->ctime;
	sx->stx_rdev_major = MAJOR(i->rdev);
	sx->stx_rdev_minor = MINOR(i->rdev);
	sx->stx_dev_major = 0;
	sx->stx_dev_minor = i->dev;
}

/*
 * The inode a *at() call names: dirfd + path, or with AT_EMPTY_PATH and
 * an empty path the descriptor's own file.  A new reference in *out.
 */
static int lookup_at(int dirfd, const char *upath, uint32_t flags, struct inode **out)
{
	char *path;
	int err;
	if (!upath && (flags & AT_EMPTY_PATH)) {	/* statx allows NULL for "" */
		path = kzalloc(1);
		err = path ? 0 : -ENOMEM;
	} else {
		err = getname(upath, &path);
	}
	if (err)
		return err;
	struct inode *start;
	err = at_dir(dirfd, path, &start);
	if (!err) {
		if (!path[0] && (flags & AT_EMPTY_PATH)) {
			*out = start;
		} else {
			int lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
			err = path_lookup(start, path, lf, out);
			inode_put(start);
		}
	}
	kfree(path);
	return err;
}

long sys_fstatat64(int dirfd, const char *path, struct stat64 *ubuf, uint32_t flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	struct inode *inode;
	int err = lookup_at(dirfd, path, flags, &inode);
	if (err)
		return err;
	struct stat64 st;
	fill_stat64(inode, &st);
	inode_put(inode);
	return copy_to_user(ubuf, &st, sizeof st);
}
SYSCALL(fstatat64, sys_fstatat64);

long sys_stat64(const char *path, struct stat64 *buf) { return sys_fstatat64(AT_FDCWD, path, buf, 0); }
SYSCALL(stat64, sys_stat64);

long sys_lstat64(const char *path, struct stat64 *buf)
{
	return sys_fstatat64(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}
SYSCALL(lstat64, sys_lstat64);

long sys_fstat64(int fd, struct stat64 *ubuf)
{
	struct file *f = fd_get_raw(fd);
	if (!f)
		return -EBADF;
	struct stat64 st;
	fill_stat64(f->inode, &st);
	file_put(f);
	return copy_to_user(ubuf, &st, sizeof st);
}
SYSCALL(fstat64, sys_fstat64);

long sys_statx(int dirfd, const char *path, uint32_t flags, uint32_t mask, struct statx *ubuf)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED))
		return -EINVAL;
	struct inode *inode;
	int err = lookup_at(dirfd, path, flags, &inode);
	if (err)
		return err;
	struct statx sx;
	fill_statx(inode, &sx);
	inode_put(inode);
	return copy_to_user(ubuf, &sx, sizeof sx);
}
SYSCALL(statx, sys_statx);

long sys_faccessat2(int dirfd, const char *path, uint32_t mode, uint32_t flags)
{
	if (mode & ~(uint32_t)(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *inode;
	int err = lookup_at(dirfd, path, flags & ~AT_EACCESS, &inode);
	if (err)
		return err;
	if ((mode & X_OK) && !S_ISDIR(inode->mode) && !(inode->mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		err = -EACCES;
	inode_put(inode);
	return err;
}
SYSCALL(faccessat2, sys_faccessat2);

long sys_faccessat(int dirfd, const char *path, uint32_t mode) { return sys_faccessat2(dirfd, path, mode, 0); }
SYSCALL(faccessat, sys_faccessat);

long sys_access(const char *path, uint32_t mode) { return sys_faccessat2(AT_FDCWD, path, mode, 0); }
SYSCALL(access, sys_access);

/* --- getdents64 ------------------------------------------------------------------------ */

struct dirent_buf {
	char *buf;
	size_t size, used;
	uint64_t *pos;
};

/* Append one linux_dirent64 record; nonzero when it does not fit. */
static int emit_dirent(void *ctx, const char *name, size_t len, uint32_t ino, uint32_t mode,
		       uint64_t next)
{
	struct dirent_buf *d = ctx;
	size_t reclen = (offsetof(struct linux_dirent64, d_name) + len + 1 + 7) & ~(size_t)7;
	if (d->used + reclen > d->size)
		return 1;
	struct linux_dirent64 *e = (struct linux_dirent64 *)(d->buf + d->used);
	memset(e, 0, reclen);
	e->d_ino = ino;
	e->d_off = (int64_t)next;
	e->d_reclen = (uint16_t)reclen;
	e->d_type = (uint8_t)((mode >> 12) & 15);	/* DT_* is the S_IF* type >> 12 */
	memcpy(e->d_name, name, len);
	d->used += reclen;
	return 0;
}

/* Fill a kernel buffer with records from the directory at *pos. */
int dir_list(struct inode *dir, uint64_t *pos, char *buf, size_t size)
{
	struct dirent_buf d = { buf, size, 0, pos };
	if (*pos == 0) {
		if (emit_dirent(&d, ".", 1, dir->ino, S_IFDIR, 1))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		struct inode *up = dir->parent ? dir->parent : dir;
		if (emit_dirent(&d, "..", 2, up->ino, S_IFDIR, 2))
			return 0;
		*pos = 2;
	}
	dir->iops->readdir(dir, pos, emit_dirent, &d);
	return (int)d.used;
}

long sys_getdents64(int fd, void *ubuf, uint32_t count)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long ret;
	char *buf = 0;
	if (!S_ISDIR(f->inode->mode) || !f->inode->iops->readdir || (f->flags & O_PATH)) {
		ret = (f->flags & O_PATH) ? -EBADF : -ENOTDIR;
	} else if (!user_range_ok(ubuf, count)) {
		ret = -EFAULT;
	} else {
		size_t size = count < 32768 ? count : 32768;
		buf = kmalloc(size ? size : 1);
		uint64_t pos = f->pos;
		ret = buf ? dir_list(f->inode, &pos, buf, size) : -ENOMEM;
		if (ret == 0 && pos == f->pos) {
			/* Nothing fitted: EINVAL if there was something to list. */
			char one[offsetof(struct linux_dirent64, d_name) + NAME_MAX + 8];
			uint64_t probe = pos;
			if (dir_list(f->inode, &probe, one, sizeof one) > 0)
				ret = -EINVAL;
		}
		if (ret > 0 && copy_to_user(ubuf, buf, (size_t)ret))
			ret = -EFAULT;
		else if (ret >= 0)
			f->pos = pos;
	}
	kfree(buf);
	file_put(f);
	return ret;
}
SYSCALL(getdents64, sys_getdents64);

/* --- statfs ---------------------------------------------------------------------------- */

/* struct statfs64 of Linux i386 (84 bytes: 64-bit counts, 4-byte aligned). */
struct statfs64 {
	uint32_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	uint32_t f_namelen, f_frsize, f_flags, f_spare[4];
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct statfs64) == 84, "statfs64 size");

/* struct statfs (the 32-bit one, 64 bytes). */
struct statfs32 {
	uint32_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	uint32_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct statfs32) == 64, "statfs size");

#define RAMFS_MAGIC	0x858458f6
#define PROC_SUPER_MAGIC 0x9fa0
#define ST_VALID	0x0020

/* ramfs reports RAM (as tmpfs would, so df says something useful). */
static void fill_statfs(const struct inode *i, struct statfs64 *s)
{
	memset(s, 0, sizeof *s);
	s->f_type = i->dev == FS_DEV_PROC ? PROC_SUPER_MAGIC : RAMFS_MAGIC;
	s->f_bsize = s->f_frsize = 4096;
	if (i->dev == FS_DEV_RAMFS) {
		s->f_blocks = pmm_total_pages();
		s->f_bfree = s->f_bavail = pmm_free_pages();
	}
	s->f_fsid[0] = (int32_t)i->dev;
	s->f_namelen = NAME_MAX;
	s->f_flags = ST_VALID;
}

static long statfs_common(const struct inode *i, void *ubuf, uint32_t size, bool wide)
{
	struct statfs64 s;
	fill_statfs(i, &s);
	if (wide)
		return copy_to_user(ubuf, &s, size);
	struct statfs32 s32 = {
		s.f_type, s.f_bsize, (uint32_t)s.f_blocks, (uint32_t)s.f_bfree, (uint32_t)s.f_bavail,
		0, 0, { s.f_fsid[0], 0 }, s.f_namelen, s.f_frsize, s.f_flags, { 0 },
	};
	return copy_to_user(ubuf, &s32, sizeof s32);
}

static long statfs_path(const char *path, void *ubuf, uint32_t size, bool wide)
{
	if (wide && size != sizeof(struct statfs64))
		return -EINVAL;
	struct inode *inode;
	long err = lookup_at(AT_FDCWD, path, 0, &inode);
	if (err)
		return err;
	err = statfs_common(inode, ubuf, size, wide);
	inode_put(inode);
	return err;
}

static long statfs_fd(int fd, void *ubuf, uint32_t size, bool wide)
{
	if (wide && size != sizeof(struct statfs64))
		return -EINVAL;
	struct file *f = fd_get_raw(fd);
	if (!f)
		return -EBADF;
	long err = statfs_common(f->inode, ubuf, size, wide);
	file_put(f);
	return err;
}

long sys_statfs64(const char *path, uint32_t size, void *buf) { return statfs_path(path, buf, size, true); }
SYSCALL(statfs64, sys_statfs64);
long sys_fstatfs64(int fd, uint32_t size, void *buf) { return statfs_fd(fd, buf, size, true); }
SYSCALL(fstatfs64, sys_fstatfs64);
long sys_statfs(const char *path, void *buf) { return statfs_path(path, buf, 0, false); }
SYSCALL(statfs, sys_statfs);
long sys_fstatfs(int fd, void *buf) { return statfs_fd(fd, buf, 0, false); }
SYSCALL(fstatfs, sys_fstatfs);
