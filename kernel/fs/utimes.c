/*
 * Setting a file's time stamps: utimensat (and its 64-bit-time twin),
 * utimes, futimesat, utime.  touch(1) lives on these.
 *
 * Each call names two times, access and modification; "now" or "leave it"
 * can be said for each (UTIME_NOW, UTIME_OMIT), and no times at all means
 * both now.  Changing them also sets the change time to now, as Linux.
 * Time stamps here keep whole seconds.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/fcntl.h>
#include <uapi/time.h>

#define UTIME_NOW	((1l << 30) - 1l)
#define UTIME_OMIT	((1l << 30) - 2l)

/* One requested time: seconds, or UTIME_NOW / UTIME_OMIT in nsec. */
struct utime_req {
	int64_t sec;
	long nsec;
};

static int apply(struct inode *inode, const struct utime_req *t)
{
	uint32_t now = fs_time();
	for (int i = 0; i < 2; i++)
		if (t[i].nsec != UTIME_OMIT && (t[i].nsec < 0 || t[i].nsec > 999999999) &&
		    t[i].nsec != UTIME_NOW)
			return -EINVAL;
	uint32_t *field[2] = { &inode->atime, &inode->mtime };
	for (int i = 0; i < 2; i++) {
		if (t[i].nsec == UTIME_OMIT)
			continue;
		*field[i] = t[i].nsec == UTIME_NOW ? now : (uint32_t)t[i].sec;
	}
	if (t[0].nsec != UTIME_OMIT || t[1].nsec != UTIME_OMIT)
		inode->ctime = now;
	return 0;
}

/* path NULL: dirfd's own file (futimens); else dirfd + path. */
static long do_utimes(int dirfd, const char *upath, const struct utime_req *t, uint32_t flags)
{
	if (flags & ~(uint32_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct inode *inode;
	long err;
	if (!upath) {
		struct file *f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		inode = f->inode;
		inode_get(inode);
		file_put(f);
	} else {
		char *path;
		struct inode *start;
		err = getname(upath, &path);
		if (err)
			return err;
		err = at_dir(dirfd, path, &start);
		if (!err) {
			if (!path[0] && (flags & AT_EMPTY_PATH)) {
				inode = start;
			} else {
				err = path_lookup(start, path,
						  flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &inode);
				inode_put(start);
			}
		}
		kfree(path);
		if (err)
			return err;
	}
	err = apply(inode, t);
	inode_put(inode);
	return err;
}

static const struct utime_req both_now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };

long sys_utimensat(int dirfd, const char *path, const struct timespec *uts, uint32_t flags)
{
	struct utime_req t[2];
	if (uts) {
		struct timespec ts[2];
		if (copy_from_user(ts, uts, sizeof ts))
			return -EFAULT;
		for (int i = 0; i < 2; i++)
			t[i] = (struct utime_req){ ts[i].tv_sec, ts[i].tv_nsec };
	}
	return do_utimes(dirfd, path, uts ? t : both_now, flags);
}
SYSCALL(utimensat, sys_utimensat);

long sys_utimensat_time64(int dirfd, const char *path, const struct kernel_timespec64 *uts,
			  uint32_t flags)
{
	struct utime_req t[2];
	if (uts) {
		struct kernel_timespec64 ts[2];
		if (copy_from_user(ts, uts, sizeof ts))
			return -EFAULT;
		for (int i = 0; i < 2; i++)
			t[i] = (struct utime_req){ ts[i].tv_sec, (long)(int32_t)ts[i].tv_nsec };
	}
	return do_utimes(dirfd, path, uts ? t : both_now, flags);
}
SYSCALL(utimensat_time64, sys_utimensat_time64);

/* utimes and futimesat: microseconds, no NOW/OMIT. */
long sys_futimesat(int dirfd, const char *path, const struct timeval *utv)
{
	struct utime_req t[2];
	if (utv) {
		struct timeval tv[2];
		if (copy_from_user(tv, utv, sizeof tv))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			t[i] = (struct utime_req){ tv[i].tv_sec, tv[i].tv_usec * 1000l };
		}
	}
	if (!path)
		return -EFAULT;
	return do_utimes(dirfd, path, utv ? t : both_now, 0);
}
SYSCALL(futimesat, sys_futimesat);

long sys_utimes(const char *path, const struct timeval *utv) { return sys_futimesat(AT_FDCWD, path, utv); }
SYSCALL(utimes, sys_utimes);

/* utime: struct utimbuf, two 32-bit seconds. */
long sys_utime(const char *path, const int32_t *ubuf)
{
	struct utime_req t[2];
	if (ubuf) {
		int32_t b[2];
		if (copy_from_user(b, ubuf, sizeof b))
			return -EFAULT;
		t[0] = (struct utime_req){ b[0], 0 };
		t[1] = (struct utime_req){ b[1], 0 };
	}
	if (!path)
		return -EFAULT;
	return do_utimes(AT_FDCWD, path, ubuf ? t : both_now, 0);
}
SYSCALL(utime, sys_utime);
