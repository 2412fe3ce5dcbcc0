/*
 * Paths: the guest's file system is the host's, under root=.
 *
 * A guest path is made absolute (against the process's current
 * directory, or a directory descriptor for the *at calls), cleaned of
 * ".", ".." and repeated slashes without ever climbing above "/", and
 * then prefixed with the root we were given: with root=/srv/guest, the
 * guest's /bin/sh is the host's /srv/guest/bin/sh.  The call then goes
 * to the host with that path.  (A symbolic link on the host can still
 * lead out of the root: this is pass-through, not a jail.)
 *
 * /proc is the one exception: the host's describes the host's
 * processes, not the guest's (its /proc/self is this guest kernel, and
 * /proc/self/mm our own address space), so the guest has its own
 * (procfs.c), and the host's is out of its reach.
 */
#include "file.h"
#include "sys.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define IN_PROC 1                       /* resolve(): the path is in the guest's /proc */

const char *guest_root = "/";

/* base + "/" + path, made absolute and clean, into out. */
static int normalize(const char *base, const char *path, char *out, size_t size)
{
	static char joined[2 * PATH_MAX_ + 2];
	size_t len = 0;
	if (path[0] == '/')
		snprintf(joined, sizeof joined, "%s", path);
	else
		snprintf(joined, sizeof joined, "%s/%s", base, path);
	for (const char *s = joined; *s; ) {
		while (*s == '/')
			s++;
		const char *name = s;
		while (*s && *s != '/')
			s++;
		size_t n = s - name;
		if (n == 0 || (n == 1 && name[0] == '.'))
			continue;
		if (n == 2 && name[0] == '.' && name[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;          /* drop the last name... */
			if (len > 0)
				len--;          /* ...and its slash; never above "/" */
			continue;
		}
		if (len + 1 + n + 1 > size)     /* the name, its slash and the NUL */
			return -ENAMETOOLONG;
		out[len++] = '/';
		memcpy(out + len, name, n);
		len += n;
	}
	if (len == 0)
		out[len++] = '/';
	else if (path[strlen(path) - 1] == '/') {
		if (len + 2 > size)
			return -ENAMETOOLONG;
		out[len++] = '/';       /* "file/" must still fail with ENOTDIR */
	}
	out[len] = 0;
	return 0;
}

int guest_to_host(const char *abs, char *out, size_t size)
{
	int n = strcmp(guest_root, "/") ? snprintf(out, size, "%s%s", guest_root, abs)
	                                : snprintf(out, size, "%s", abs);
	return n < (int)size ? 0 : -ENAMETOOLONG;
}

static int in_proc(const char *abs)
{
	return !strncmp(abs, "/proc", 5) && (abs[5] == 0 || abs[5] == '/');
}

#define RESOLVE_FOLLOW  1
#define RESOLVE_FD      2

/* The lookup, of a non-empty path already in our memory (path_host_of's too). */
static int resolve_name(struct proc *p, int dirfd, const char *path, int follow, char *abs,
                        char *host, size_t hsize)
{
	const char *base = p->cwd;
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		struct gfile *f = fd_file(p, dirfd);
		if (!f)
			return -EBADF;
		if (!f->dir)
			return -ENOTDIR;
		base = f->dir;
	}
	int err = normalize(base, path, abs, PATH_MAX_);
	if (err)
		return err;
	if (in_proc(abs)) {
		if (!(follow & RESOLVE_FOLLOW) || procfs_follow(p, abs))
			return IN_PROC;
		return guest_to_host(abs, host, hsize);
	}
	if ((err = guest_walk_check(p, path[0] == '/' ? "" : base, path, follow & RESOLVE_FOLLOW)))
		return err;                     /* search permission (perm.c) */
	if (strcmp(guest_root, "/"))
		return guest_to_host(abs, host, hsize);
	/* On the host's own root the host gets the path as written, so that
	 * "dir/." and "file/.." fail there as they fail on Linux. */
	int n = path[0] == '/' ? snprintf(host, hsize, "%s", path)
	                       : snprintf(host, hsize, "%s%s%s", base, strcmp(base, "/") ? "/" : "", path);
	return n < (int)hsize ? 0 : -ENAMETOOLONG;
}

/*
 * Resolve (dirfd, upath): abs gets the clean absolute guest path, and
 * then host the host's path (returns 0), unless the path is in the
 * guest's /proc (returns IN_PROC); or -errno.  With follow (bit
 * RESOLVE_FOLLOW), a final /proc/PID/exe link is followed (for everything
 * but readlink, lstat); with RESOLVE_FD a descriptor must be free once
 * the name is read (EMFILE before any lookup: open, as Linux).
 */
static int resolve_path(struct proc *p, int dirfd, uint32_t upath, int follow, char *abs,
                   char *host, size_t hsize)
{
	static char path[PATH_MAX_];
	int len = strncpy_from_user(p, path, upath, sizeof path);
	if (len < 0)
		return len;
	if (len == 0)
		return -ENOENT;
	if (follow & RESOLVE_FD) {
		int fd = fd_free(p, 0);
		if (fd < 0)
			return fd;
	}
	return resolve_name(p, dirfd, path, follow, abs, host, hsize);
}

/* resolve_path, which checks search permission on the directories of
 * the path for the guest's ids (perm.c): the host, where the guest is
 * root, would not refuse. */
static int resolve(struct proc *p, int dirfd, uint32_t upath, int follow, char *abs,
                   char *host, size_t hsize)
{
	return resolve_path(p, dirfd, upath, follow, abs, host, hsize);
}

/* The host path of a guest path the guest kernel holds (a script's or a
 * program's interpreter), looked up as execve's own path is: against p's
 * current directory, with search permission, a final /proc/PID/exe link
 * followed; abs gets the clean guest path.  Other files in the guest's
 * /proc are not the host's: EACCES. */
int path_host_of(struct proc *p, const char *path, char *abs, char *out, size_t size)
{
	if (!*path)
		return -ENOENT;
	int r = resolve_name(p, AT_FDCWD, path, RESOLVE_FOLLOW, abs, out, size);
	return r == IN_PROC ? -EACCES : r;
}

/* The host path of (dirfd, upath), and its clean guest path in abs. */
int path_host_abs(struct proc *p, int dirfd, uint32_t upath, char *abs, char *out, size_t size)
{
	int r = resolve(p, dirfd, upath, 1, abs, out, size);
	return r == IN_PROC ? -EACCES : r;
}

/* resolve() for sys_attr.c: 0 (host has the host path), PATH_IN_PROC (abs
 * is in the guest's /proc), or -errno; follow: a final /proc link is followed. */
int path_resolve(struct proc *p, int dirfd, uint32_t upath, int follow, char *abs, char *host,
                 size_t size)
{
	int r = resolve(p, dirfd, upath, follow ? RESOLVE_FOLLOW : 0, abs, host, size);
	return r == IN_PROC ? PATH_IN_PROC : r;
}

int path_to_host(struct proc *p, int dirfd, uint32_t upath, char *out, size_t size)
{
	static char abs[PATH_MAX_];
	return path_host_abs(p, dirfd, upath, abs, out, size);
}

/* ---- The calls that take a path ---- */

static char abs1[PATH_MAX_], host1[PATH_MAX_], host2[PATH_MAX_];

/* What open must be allowed (perm.c) for the file at host1/abs1; *created
 * says whether it will make the file (which then gets the guest's ids),
 * *st is the file's stat if it exists (st->st_mode 0 if not). */
static int open_permission(struct proc *p, int flags, int *created, struct stat64 *st)
{
	static const int acc[4] = { 4, 2, 6, 6 };       /* Linux's ACC_MODE */
	int exists = !__syscall2(flags & O_NOFOLLOW ? __NR_lstat64 : __NR_stat64, host1, st);
	if (!exists)
		st->st_mode = 0;
	*created = !exists && (flags & O_CREAT);
	if (p->fsuid == 0)
		return 0;                       /* the host checks root as root */
	if (*created)
		return guest_may_create(p, abs1);
	if (!exists || (flags & O_PATH) || ((flags & O_CREAT) && (flags & O_EXCL)))
		return 0;                       /* the host's error comes first */
	if (S_ISDIR(st->st_mode) && (flags & O_ACCMODE))
		return 0;                       /* EISDIR */
	return guest_permission(p, st, acc[flags & O_ACCMODE] | (flags & O_TRUNC ? 2 : 0));
}

long sys_openat(struct proc *p, int dirfd, uint32_t upath, int flags, int mode)
{
	struct gfile *f;
	int err = resolve(p, dirfd, upath, RESOLVE_FOLLOW | RESOLVE_FD, abs1, host1, sizeof host1);
	if (err == IN_PROC) {
		err = procfs_open(p, abs1, flags, &f);
		if (err)
			return err;
	} else if (err) {
		return err;
	} else {
		int created = 0;
		struct stat64 st;
		err = open_permission(p, flags, &created, &st);
		if (err)
			return err;
		/* A running program is not opened for writing, nor cut (ETXTBSY). */
		int writing = !(flags & O_PATH) &&      /* O_PATH: a name, not a file for I/O */
		              ((flags & O_ACCMODE) == O_WRONLY || (flags & O_ACCMODE) == O_RDWR);
		if ((writing || (flags & O_TRUNC)) && (err = busy_may_write(host1)))
			return err;
		/* A FIFO's name is the host's (mknod makes it there), its pipe
		 * ours (pipe.c): the host's open would wait for the other end
		 * with the whole guest kernel. */
		if (!(flags & O_PATH) && S_ISFIFO(st.st_mode)) {
			if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
				return -EEXIST;
			if (flags & O_DIRECTORY)
				return -ENOTDIR;
			int hfd = __syscall3(__NR_open, host1, O_PATH | O_CLOEXEC, 0);
			if (hfd < 0)
				return hfd;
			err = fifo_open(p, hfd, &st, flags & ~(O_CLOEXEC | O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY), &f);
			if (err) {
				__syscall1(__NR_close, hfd);
				return err;
			}
			int fd = fd_install(p, f, 0, flags & O_CLOEXEC);
			if (fd < 0)
				file_put(f);
			return fd;
		}
		/* O_NONBLOCK is ours to honour (file.c); our descriptors block. */
		int hflags = flags & ~(O_CLOEXEC | O_NONBLOCK);
		int hfd = __syscall4(__NR_openat, AT_FDCWD, host1, hflags, mode & ~p->umask);
		if (hfd < 0)
			return hfd;
		if (created)
			guest_own_new(p, host1, abs1);
		else if (flags & O_TRUNC)
			guest_remove_privs(p, hfd, NULL);
		f = file_host(hfd, (flags & O_PATH) ? O_PATH : flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), abs1);
		if (!f) {
			__syscall1(__NR_close, hfd);
			return -ENOMEM;
		}
		if (writing && (err = busy_get_write(f))) {
			file_put(f);
			return err;
		}
	}
	int fd = fd_install(p, f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* fstatat64 and statx, where AT_EMPTY_PATH with "" means dirfd itself
 * (how glibc implements fstat). */
static int empty_path(struct proc *p, uint32_t upath, int flags)
{
	char c;
	return (flags & AT_EMPTY_PATH) && !copy_from_user(p, &c, upath, 1) && c == 0;
}

long sys_fstatat64(struct proc *p, int dirfd, uint32_t upath, uint32_t ust, int flags)
{
	struct stat64 st;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (empty_path(p, upath, flags))
		return sys_fstat64(p, dirfd, ust);
	int nofollow = flags & AT_SYMLINK_NOFOLLOW;
	long r = resolve(p, dirfd, upath, !nofollow, abs1, host1, sizeof host1);
	if (r == IN_PROC)
		r = procfs_stat(p, abs1, nofollow, &st);
	else if (!r)
		r = __syscall4(__NR_fstatat64, AT_FDCWD, host1, &st, nofollow);
	return r < 0 ? r : copy_to_user(p, ust, &st, sizeof st);
}

long sys_statx(struct proc *p, int dirfd, uint32_t upath, int flags, uint32_t mask, uint32_t ubuf)
{
	static uint8_t stx[256];                /* struct statx */
	long r;
	if (empty_path(p, upath, flags)) {
		struct gfile *f = fd_file(p, dirfd);
		if (!f)
			return -EBADF;
		if (f->type != F_HOST)
			return -ENOSYS;         /* glibc then falls back to fstat64 */
		r = __syscall5(__NR_statx, f->hostfd, "", flags, mask, stx);
	} else {
		r = resolve(p, dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), abs1, host1, sizeof host1);
		if (r == IN_PROC)
			return -ENOSYS;         /* glibc falls back to fstatat64 */
		if (!r)
			r = __syscall5(__NR_statx, AT_FDCWD, host1, flags & ~AT_EMPTY_PATH, mask, stx);
	}
	return r < 0 ? r : copy_to_user(p, ubuf, stx, 256);
}

/* access, faccessat, faccessat2: the host answers for existence, flags
 * and root; then, for a guest process that is not root, the guest's
 * check, with the real ids unless AT_EACCESS (as Linux: the walk too). */
static long access_call(struct proc *p, int nr, int dirfd, uint32_t upath, long mode, long flags)
{
	uint32_t fsuid = p->fsuid, fsgid = p->fsgid;
	if (nr == __NR_faccessat || !(flags & AT_EACCESS)) {
		p->fsuid = p->uid;
		p->fsgid = p->gid;
	}
	long r = resolve(p, dirfd, upath, 1, abs1, host1, sizeof host1);
	if (r == IN_PROC) {                     /* /proc is there, and read-only */
		struct stat64 st;
		r = procfs_stat(p, abs1, 0, &st);
		r = r < 0 ? r : (mode & W_OK) ? -EACCES : 0;
	} else if (!r) {
		r = __syscall4(nr, AT_FDCWD, host1, mode, flags);
		if (!r && p->fsuid != 0 && (mode & 7))
			r = guest_path_permission(p, host1, mode, !(flags & AT_SYMLINK_NOFOLLOW));
	}
	p->fsuid = fsuid;
	p->fsgid = fsgid;
	return r;
}

/* A call with one path and plain arguments: (dirfd, path) becomes
 * (AT_FDCWD, host path) for the host's *at call nr. */
long path_call(struct proc *p, int nr, int dirfd, uint32_t upath, long a, long b)
{
	if (nr == __NR_faccessat || nr == __NR_faccessat2)
		return access_call(p, nr, dirfd, upath, a, b);
	long r = resolve(p, dirfd, upath, nr != __NR_unlinkat, abs1, host1, sizeof host1);
	int creating = nr == __NR_mkdirat || nr == __NR_mknodat;
	if (!r && creating)
		r = guest_may_create(p, abs1);
	if (!r && nr == __NR_mknodat && (S_ISCHR(a) || S_ISBLK(a)) && p->fsuid != 0)
		r = -EPERM;                     /* device nodes: root only (CAP_MKNOD) */
	if (!r && nr == __NR_unlinkat)
		r = guest_may_delete(p, abs1, a & AT_REMOVEDIR);
	if (!r && nr == __NR_fchmodat)
		r = guest_may_chmod(p, host1, &a);
	if (!r && creating) {
		r = __syscall4(nr, AT_FDCWD, host1, a, b);
		if (!r)
			guest_own_new(p, host1, abs1);
		return r;
	}
	if (r == IN_PROC) {                     /* /proc is there, and read-only */
		struct stat64 st;
		r = procfs_stat(p, abs1, 0, &st);
		return r < 0 || nr != __NR_faccessat || (a & W_OK) ? (r < 0 ? r : -EACCES) : 0;
	}
	return r ? r : __syscall4(nr, AT_FDCWD, host1, a, b);
}

/* renameat and linkat: two paths.  rename: the old name must be
 * removable, the new one removable or creatable; link: creatable. */
long path_call2(struct proc *p, int nr, int dfd1, uint32_t up1, int dfd2, uint32_t up2, long flags)
{
	static char abs2[PATH_MAX_];
	long r = path_host_abs(p, dfd1, up1, abs1, host1, sizeof host1);
	if (!r)
		r = path_host_abs(p, dfd2, up2, abs2, host2, sizeof host2);
	struct stat64 st;
	if (!r && nr == __NR_renameat2)
		r = guest_may_delete(p, abs1, 0);
	if (!r && nr == __NR_renameat2 && !(flags & 1) && !__syscall2(__NR_lstat64, host2, &st))
		r = guest_may_delete(p, abs2, 0);
	else if (!r)
		r = guest_may_create(p, abs2);
	/* A directory moving to another one must be writable (its ".."). */
	if (!r && nr == __NR_renameat2 && !__syscall2(__NR_lstat64, host1, &st) &&
	    S_ISDIR(st.st_mode) && guest_parent_differs(abs1, abs2))
		r = guest_permission(p, &st, 2);
	return r ? r : __syscall5(nr, AT_FDCWD, host1, AT_FDCWD, host2, flags);
}

/* symlinkat: the target is stored as written, never translated. */
long sys_symlinkat(struct proc *p, uint32_t utarget, int dirfd, uint32_t upath)
{
	int n = strncpy_from_user(p, host2, utarget, sizeof host2);
	if (n < 0)
		return n;
	long r = path_host_abs(p, dirfd, upath, abs1, host1, sizeof host1);
	if (!r)
		r = guest_may_create(p, abs1);
	if (!r)
		r = __syscall3(__NR_symlinkat, host2, AT_FDCWD, host1);
	if (!r)
		guest_own_new(p, host1, abs1);
	return r;
}

long sys_readlinkat(struct proc *p, int dirfd, uint32_t upath, uint32_t ubuf, int size)
{
	if (size <= 0)
		return -EINVAL;
	char c = 1;
	struct gfile *f = dirfd == AT_FDCWD ? NULL : fd_file(p, dirfd);
	long r;
	if (f && f->type == F_HOST && !copy_from_user(p, &c, upath, 1) && c == 0)
		/* "" names dirfd itself: an O_PATH descriptor of a link (else ENOENT) */
		r = __syscall4(__NR_readlinkat, f->hostfd, "", host2,
		               size < (int)sizeof host2 ? size : (int)sizeof host2);
	else
		r = resolve(p, dirfd, upath, 0, abs1, host1, sizeof host1);
	if (r == IN_PROC)
		r = procfs_readlink(p, abs1, host2, size < (int)sizeof host2 ? size : (int)sizeof host2);
	else if (!r && !(f && f->type == F_HOST && c == 0))
		r = __syscall4(__NR_readlinkat, AT_FDCWD, host1, host2,
		               size < (int)sizeof host2 ? size : (int)sizeof host2);
	return r < 0 ? r : (copy_to_user(p, ubuf, host2, r) ? -EFAULT : r);
}

/*
 * The directory the host has just been made our own current directory
 * (its chdir or fchdir returned 0) becomes p's: as Linux keeps the
 * directory and not the name it was reached by, its path is the host's
 * getcwd of it, the real one, with root= taken off the front.  (One
 * outside root=, reached through a host link, keeps the guest's own
 * name: it has no other in the guest.)  Our own current directory
 * matters to nothing else: every path we give the host is absolute.
 */
static void set_cwd(struct proc *p, const char *lexical)
{
	static char real[PATH_MAX_];
	size_t rn = strlen(guest_root);
	if (!strcmp(guest_root, "/"))
		rn = 0;
	if (__syscall2(__NR_getcwd, real, sizeof real) > 0 && real[0] == '/' &&
	    !strncmp(real, guest_root, rn) && (real[rn] == '/' || real[rn] == 0)) {
		snprintf(p->cwd, sizeof p->cwd, "%s", real[rn] ? real + rn : "/");
		return;
	}
	snprintf(p->cwd, sizeof p->cwd, "%s", lexical);
}

long sys_chdir(struct proc *p, uint32_t upath)
{
	static char abs[PATH_MAX_];
	struct stat64 st;
	long r = resolve(p, AT_FDCWD, upath, RESOLVE_FOLLOW, abs, host1, sizeof host1);
	if (r == IN_PROC)                       /* one of our /proc directories (top goes there) */
		r = procfs_stat(p, abs, 0, &st);
	else if (!r)
		r = __syscall2(__NR_stat64, host1, &st);
	if (r)
		return r;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if ((r = guest_permission(p, &st, 1)))
		return r;                       /* search permission on it */
	size_t n = strlen(abs);
	if (n > 1 && abs[n - 1] == '/')
		abs[n - 1] = 0;
	if (in_proc(abs) || __syscall1(__NR_chdir, host1) < 0)
		strcpy(p->cwd, abs);
	else
		set_cwd(p, abs);
	return 0;
}

long sys_fchdir(struct proc *p, int fd)
{
	struct gfile *f = fd_file(p, fd);
	if (!f)
		return -EBADF;
	if (!f->dir)
		return -ENOTDIR;
	if (f->type == F_HOST && __syscall1(__NR_fchdir, f->hostfd) == 0)
		set_cwd(p, f->dir);
	else
		snprintf(p->cwd, sizeof p->cwd, "%s", f->dir);
	return 0;
}

/* The raw call returns the length with the NUL (libc makes it a pointer). */
long sys_getcwd(struct proc *p, uint32_t ubuf, uint32_t size)
{
	uint32_t n = strlen(p->cwd) + 1;
	if (size < n)
		return -ERANGE;
	return copy_to_user(p, ubuf, p->cwd, n) ? -EFAULT : (long)n;
}
