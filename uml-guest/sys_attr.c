/*
 * A file's attributes, by path or descriptor: who owns it (the chown
 * family, both widths), its time stamps (utimensat, utimes, futimesat,
 * utime), the file system it is on (statfs, fstatfs and the 64-bit
 * forms), and making nodes (mknod) and cutting files (truncate) by path.
 *
 * The guest's files are the host's (path.c), so each of these is the host
 * kernel's own call on the host path the guest resolved, or on our host
 * descriptor of the guest's file: the host's answer, errors included, is
 * the guest's.  What the guest checks itself is only what the host would
 * check before it looks at the path (flags, sizes, the guest's pointers),
 * so that the order of the errors stays the host's.  Two kinds of guest
 * file have nothing on the host to change: the guest's pipes and its
 * /proc files.  For them we answer as the host answers for its own pipes
 * and /proc (root may chown them, which is accepted and changes nothing).
 */
#include "file.h"
#include "sys.h"
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <uapi/time.h>

static char apath[PATH_MAX_], host[PATH_MAX_];    /* we are never re-entered */

enum { T_PATH, T_FD, T_NONE };

/* The host descriptor behind guest descriptor fd: T_FD with *hostfd, or
 * T_NONE (a guest pipe or /proc file), or -EBADF. */
static int fd_target(struct proc *p, int fd, int *hostfd)
{
	struct gfile *f = fd_file(p, fd);
	if (!f)
		return -EBADF;
	if (f->type != F_HOST)
		return T_NONE;
	*hostfd = f->hostfd;
	return T_FD;
}

/*
 * What (dirfd, upath, flags) names, for the calls that take
 * AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH: T_PATH (the host path is in
 * host), T_FD (the host descriptor *hostfd: an empty path with
 * AT_EMPTY_PATH), T_NONE (an existing file of the guest's /proc), or
 * -errno.
 */
static int target(struct proc *p, int dirfd, uint32_t upath, int flags, int *hostfd)
{
	char c;
	if ((flags & AT_EMPTY_PATH) && upath && !copy_from_user(p, &c, upath, 1) && !c) {
		if (dirfd != AT_FDCWD)
			return fd_target(p, dirfd, hostfd);
		int r = guest_to_host(p->cwd, host, sizeof host);
		return r ? r : T_PATH;
	}
	int nofollow = flags & AT_SYMLINK_NOFOLLOW;
	int r = path_resolve(p, dirfd, upath, !nofollow, apath, host, sizeof host);
	if (r == PATH_IN_PROC) {
		struct stat64 st;
		r = procfs_stat(p, apath, nofollow, &st);
		return r < 0 ? r : T_NONE;
	}
	return r < 0 ? r : T_PATH;
}

/* ---- Owners ---- */

/*
 * May p make uid:gid the owner of the file the call names (kind T_PATH:
 * the host path in host; T_FD: host descriptor hostfd; T_NONE: a guest
 * pipe or /proc file)?  0, or -EPERM.  The one place for the guest's own
 * credential check: guest processes have no credentials yet and are all
 * root, as every host process is today, so the answer is yes, and the
 * host's own check on our call is the only one.  When guest processes get
 * credentials, the check against the file's owner (a stat of the target)
 * goes here, before anything is sent to the host.
 */
static long may_chown(struct proc *p, int kind, int hostfd, uint32_t uid, uint32_t gid)
{
	(void)p, (void)kind, (void)hostfd, (void)uid, (void)gid;
	return 0;
}

uint32_t uid16(uint32_t id)
{
	id &= 0xffff;
	return id == 0xffff ? (uint32_t)-1 : id;
}

/* fchownat; chown32 and lchown32 are it with AT_FDCWD.  An id of -1
 * leaves that one as it is. */
long sys_fchownat(struct proc *p, int dirfd, uint32_t upath, uint32_t uid, uint32_t gid, int flags)
{
	int hostfd = -1;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!upath)
		return -EFAULT;
	long r = target(p, dirfd, upath, flags, &hostfd);
	if (r >= 0) {
		long may = may_chown(p, r, hostfd, uid, gid);
		if (may)
			return may;
	}
	switch (r) {
	case T_PATH: return __syscall5(__NR_fchownat, AT_FDCWD, host, uid, gid, flags & AT_SYMLINK_NOFOLLOW);
	case T_FD:   return __syscall3(__NR_fchown32, hostfd, uid, gid);
	case T_NONE: return 0;
	default:     return r;
	}
}

long sys_fchown32(struct proc *p, int fd, uint32_t uid, uint32_t gid)
{
	int hostfd = -1;
	long r = fd_target(p, fd, &hostfd);
	if (r >= 0) {
		long may = may_chown(p, r, hostfd, uid, gid);
		if (may)
			return may;
	}
	return r == T_FD ? __syscall3(__NR_fchown32, hostfd, uid, gid) : r == T_NONE ? 0 : r;
}

/* ---- Time stamps ---- */

#define UTIME_NOW_      ((1l << 30) - 1l)
#define UTIME_OMIT_     ((1l << 30) - 2l)

/* A time the host would refuse (for a file it has not got). */
static int nsec_bad(int32_t nsec)
{
	return nsec != UTIME_NOW_ && nsec != UTIME_OMIT_ && (nsec < 0 || nsec > 999999999);
}

/*
 * utimensat and utimensat_time64: two timespecs (32- or 64-bit), or none
 * for "both now"; a NULL path means dirfd's own file (futimens).  The
 * times are copied from the guest and handed to the host's same call.
 */
long sys_utimensat(struct proc *p, int dirfd, uint32_t upath, uint32_t uts, int flags, int time64)
{
	struct kernel_timespec64 t64[2];
	struct timespec t32[2];
	void *ts = NULL;
	int hostfd = -1;
	if (uts) {
		ts = time64 ? (void *)t64 : (void *)t32;
		if (copy_from_user(p, ts, uts, time64 ? sizeof t64 : sizeof t32))
			return -EFAULT;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	int nr = time64 ? __NR_utimensat_time64 : __NR_utimensat;
	long r = upath ? target(p, dirfd, upath, flags, &hostfd) : fd_target(p, dirfd, &hostfd);
	switch (r) {
	case T_PATH: return __syscall4(nr, AT_FDCWD, host, ts, flags & AT_SYMLINK_NOFOLLOW);
	case T_FD:   return __syscall4(nr, hostfd, NULL, ts, 0);
	case T_NONE:
		for (int i = 0; ts && i < 2; i++)
			if (nsec_bad(time64 ? (int32_t)t64[i].tv_nsec : t32[i].tv_nsec))
				return -EINVAL;
		return 0;
	default:
		return r;
	}
}

/* futimesat and utimes: two timevals (no NOW or OMIT), or none. */
long sys_futimesat(struct proc *p, int dirfd, uint32_t upath, uint32_t utv)
{
	struct timeval tv[2];
	int hostfd = -1;
	if (utv) {
		if (copy_from_user(p, tv, utv, sizeof tv))
			return -EFAULT;
		for (int i = 0; i < 2; i++)
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
	}
	if (!upath)
		return -EFAULT;
	long r = target(p, dirfd, upath, 0, &hostfd);
	return r == T_PATH ? __syscall3(__NR_futimesat, AT_FDCWD, host, utv ? tv : NULL)
	                   : r == T_NONE ? 0 : r;
}

/* utime: a struct utimbuf (two 32-bit seconds), or none. */
long sys_utime(struct proc *p, uint32_t upath, uint32_t ubuf)
{
	int32_t buf[2];
	int hostfd = -1;
	if (ubuf && copy_from_user(p, buf, ubuf, sizeof buf))
		return -EFAULT;
	if (!upath)
		return -EFAULT;
	long r = target(p, AT_FDCWD, upath, 0, &hostfd);
	return r == T_PATH ? __syscall2(__NR_utime, host, ubuf ? buf : NULL) : r == T_NONE ? 0 : r;
}

/* ---- File systems ---- */

#define STATFS64_SIZE   84      /* Linux i386's struct statfs64 */
#define STATFS_SIZE     64      /* and its struct statfs */

/* The host's answer for host descriptor fd, or (fd < 0) host path path. */
static long host_statfs(int fd, const char *path, void *buf, int wide)
{
	if (fd >= 0)
		return wide ? __syscall3(__NR_fstatfs64, fd, STATFS64_SIZE, buf)
		            : __syscall2(__NR_fstatfs, fd, buf);
	return wide ? __syscall3(__NR_statfs64, path, STATFS64_SIZE, buf) : __syscall2(__NR_statfs, path, buf);
}

/* statfs and statfs64 (size is statfs64's; wide says which).  The
 * guest's /proc answers as the host's /proc: the same kind of file
 * system, which the host describes. */
long sys_statfs(struct proc *p, uint32_t upath, uint32_t size, uint32_t ubuf, int wide)
{
	uint8_t buf[STATFS64_SIZE];
	if (wide && size != STATFS64_SIZE)
		return -EINVAL;
	long r = path_resolve(p, AT_FDCWD, upath, 1, apath, host, sizeof host);
	if (r == PATH_IN_PROC) {
		struct stat64 st;
		r = procfs_stat(p, apath, 0, &st);
		if (r == 0)
			r = host_statfs(-1, "/proc", buf, wide);
	} else if (r == 0) {
		r = host_statfs(-1, host, buf, wide);
	}
	return r < 0 ? r : copy_to_user(p, ubuf, buf, wide ? STATFS64_SIZE : STATFS_SIZE);
}

/* fstatfs and fstatfs64.  A guest pipe answers as a host pipe does: we
 * ask one of our own. */
long sys_fstatfs(struct proc *p, int fd, uint32_t size, uint32_t ubuf, int wide)
{
	uint8_t buf[STATFS64_SIZE];
	if (wide && size != STATFS64_SIZE)
		return -EINVAL;
	struct gfile *f = fd_file(p, fd);
	long r;
	if (!f)
		return -EBADF;
	if (f->type == F_HOST) {
		r = host_statfs(f->hostfd, NULL, buf, wide);
	} else if (f->type == F_MEM) {
		r = host_statfs(-1, "/proc", buf, wide);
	} else {
		int pfd[2];
		r = __syscall2(__NR_pipe2, pfd, O_CLOEXEC);
		if (r == 0) {
			r = host_statfs(pfd[0], NULL, buf, wide);
			__syscall1(__NR_close, pfd[0]);
			__syscall1(__NR_close, pfd[1]);
		}
	}
	return r < 0 ? r : copy_to_user(p, ubuf, buf, wide ? STATFS64_SIZE : STATFS_SIZE);
}

/* ---- Nodes and lengths ---- */

/* mknodat (and mknod): the type is checked first, as Linux's may_mknod
 * does before it looks at the path; the host makes the node, with the
 * guest's umask applied here (ours is 0). */
long sys_mknodat(struct proc *p, int dirfd, uint32_t upath, uint32_t mode, uint32_t dev)
{
	uint32_t type = mode & S_IFMT;
	if (type == S_IFDIR)
		return -EPERM;
	if (type && type != S_IFREG && type != S_IFCHR && type != S_IFBLK && type != S_IFIFO &&
	    type != S_IFSOCK)
		return -EINVAL;
	return path_call(p, __NR_mknodat, dirfd, upath, mode & ~(uint32_t)p->umask, dev);
}

/* truncate and truncate64: a negative length first, then the path; a
 * program a guest process runs is ETXTBSY (busy.c: the host cannot know). */
long sys_truncate(struct proc *p, uint32_t upath, int64_t length)
{
	if (length < 0)
		return -EINVAL;
	long r = path_resolve(p, AT_FDCWD, upath, 1, apath, host, sizeof host);
	if (r == PATH_IN_PROC)
		return -EACCES;                 /* the guest's /proc is read-only */
	if (!r)
		r = busy_may_write(host);
	return r ? r : __syscall3(__NR_truncate64, host, (uint32_t)length, (uint32_t)((uint64_t)length >> 32));
}
