/*
 * Thin wrappers: files, descriptors and paths.  Each one is the system call
 * plus __syscall_ret (raw -errno -> errno and -1).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/mount.h>
#include <poll.h>

#define RET(x) return __syscall_ret(x)

ssize_t read(int fd, void *buf, size_t n)          { RET(__syscall3(__NR_read, fd, buf, n)); }
ssize_t write(int fd, const void *buf, size_t n)   { RET(__syscall3(__NR_write, fd, buf, n)); }
int close(int fd)                                   { RET(__syscall1(__NR_close, fd)); }
off_t lseek(int fd, off_t off, int whence)          { RET(__syscall3(__NR_lseek, fd, off, whence)); }
ssize_t readv(int fd, const struct iovec *v, int n) { RET(__syscall3(__NR_readv, fd, v, n)); }
ssize_t writev(int fd, const struct iovec *v, int n){ RET(__syscall3(__NR_writev, fd, v, n)); }
int dup(int fd)                                     { RET(__syscall1(__NR_dup, fd)); }
int dup2(int fd, int newfd)                         { RET(__syscall2(__NR_dup2, fd, newfd)); }
int dup3(int fd, int newfd, int flags)              { RET(__syscall3(__NR_dup3, fd, newfd, flags)); }
int pipe(int fds[2])                                { RET(__syscall1(__NR_pipe, fds)); }
int pipe2(int fds[2], int flags)                    { RET(__syscall2(__NR_pipe2, fds, flags)); }
int ftruncate(int fd, off_t len)                    { RET(__syscall2(__NR_ftruncate, fd, len)); }
int truncate(const char *path, off_t len)          { RET(__syscall2(__NR_truncate, (long)path, len)); }
int poll(struct pollfd *f, nfds_t n, int ms)        { RET(__syscall3(__NR_poll, f, n, ms)); }

/* 64-bit offsets travel as two registers, low word first. */
off64_t lseek64(int fd, off64_t off, int whence)
{
	off64_t result;
	long r = __syscall5(__NR__llseek, fd, (unsigned long)((unsigned long long)off >> 32),
	                    (unsigned long)off, &result, whence);
	return __syscall_ret(r) < 0 ? -1 : result;
}

ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	RET(__syscall5(__NR_pread64, fd, buf, n, (unsigned long)off,
	               (unsigned long)((unsigned long long)off >> 32)));
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	RET(__syscall5(__NR_pwrite64, fd, buf, n, (unsigned long)off,
	               (unsigned long)((unsigned long long)off >> 32)));
}

/* open's third argument exists only with O_CREAT (or O_TMPFILE). */
int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	RET(__syscall3(__NR_open, path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	RET(__syscall4(__NR_openat, dirfd, path, flags, mode));
}

int creat(const char *path, mode_t mode)            { RET(__syscall2(__NR_creat, path, mode)); }

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);     /* every command we use takes at most an int */
	va_end(ap);
	RET(__syscall3(__NR_fcntl64, fd, cmd, arg));
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	long arg;

	va_start(ap, req);
	arg = va_arg(ap, long);
	va_end(ap);
	RET(__syscall3(__NR_ioctl, fd, req, arg));
}

int tcgetattr(int fd, struct termios *t)            { return ioctl(fd, TCGETS, t); }
int tcsetattr(int fd, int when, const struct termios *t)
{
	if (when < TCSANOW || when > TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(fd, TCSETS + when, t);     /* TCSETS, TCSETSW, TCSETSF */
}

/* The terminal's foreground process group (the one ^C signals). */
pid_t tcgetpgrp(int fd)
{
	int pgrp;
	return ioctl(fd, TIOCGPGRP, &pgrp) < 0 ? -1 : pgrp;
}
int tcsetpgrp(int fd, pid_t pgrp)                   { return ioctl(fd, TIOCSPGRP, &pgrp); }

/* A descriptor is a terminal iff TCGETS works on it (ENOTTY otherwise). */
int isatty(int fd)
{
	struct termios t;
	return tcgetattr(fd, &t) == 0;
}

int stat(const char *p, struct stat64 *st)          { RET(__syscall2(__NR_stat64, p, st)); }
int lstat(const char *p, struct stat64 *st)         { RET(__syscall2(__NR_lstat64, p, st)); }
int fstat(int fd, struct stat64 *st)                { RET(__syscall2(__NR_fstat64, fd, st)); }
int fstatat(int dfd, const char *p, struct stat64 *st, int fl)
{
	RET(__syscall4(__NR_fstatat64, dfd, p, st, fl));
}
int statx(int dfd, const char *p, int fl, unsigned mask, struct statx *stx)
{
	RET(__syscall5(__NR_statx, dfd, p, fl, mask, stx));
}
int mkdir(const char *p, mode_t mode)               { RET(__syscall2(__NR_mkdir, p, mode)); }
int chmod(const char *p, mode_t mode)               { RET(__syscall2(__NR_chmod, p, mode)); }
int fchmod(int fd, mode_t mode)                     { RET(__syscall2(__NR_fchmod, fd, mode)); }
mode_t umask(mode_t mask)                           { return (mode_t)__syscall1(__NR_umask, mask); }
int mknod(const char *p, mode_t mode, unsigned dev) { RET(__syscall3(__NR_mknod, p, mode, dev)); }
int chdir(const char *p)                            { RET(__syscall1(__NR_chdir, p)); }
int access(const char *p, int mode)                 { RET(__syscall2(__NR_access, p, mode)); }
int unlink(const char *p)                           { RET(__syscall1(__NR_unlink, p)); }
int rmdir(const char *p)                            { RET(__syscall1(__NR_rmdir, p)); }
int rename(const char *a, const char *b)            { RET(__syscall2(__NR_rename, a, b)); }
int link(const char *a, const char *b)              { RET(__syscall2(__NR_link, a, b)); }
int symlink(const char *a, const char *b)           { RET(__syscall2(__NR_symlink, a, b)); }
ssize_t readlink(const char *p, char *buf, size_t n){ RET(__syscall3(__NR_readlink, p, buf, n)); }
int getdents64(int fd, void *buf, unsigned n)       { RET(__syscall3(__NR_getdents64, fd, buf, n)); }
void sync(void)                                     { __syscall0(__NR_sync); }

/* The getcwd system call returns the length; the C function returns buf. */
char *getcwd(char *buf, size_t size)
{
	return __syscall_ret(__syscall2(__NR_getcwd, buf, size)) < 0 ? NULL : buf;
}

int mount(const char *src, const char *target, const char *type,
          unsigned long flags, const void *data)
{
	RET(__syscall5(__NR_mount, src, target, type, flags, data));
}
