/*
 * More calls on descriptors: fcntl, ioctl, the plain pass-through ones
 * (ftruncate, fsync, fchmod) and sendfile.  poll and select are in
 * sys_poll.c.
 */
#include "file.h"
#include "sys.h"
#include <sys/stat.h>
#include <sys/syscall.h>
#include <uapi/ioctl.h>

long sys_fcntl(struct proc *p, int fd, int cmd, uint32_t arg)
{
	struct gfile *f = fd_file(p, fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= (uint32_t)fd_limit(p))
			return -EINVAL;         /* as Linux: at or past RLIMIT_NOFILE (or negative) */
		f->refs++;
		int nfd = fd_install(p, f, arg, cmd == F_DUPFD_CLOEXEC);
		if (nfd < 0)
			f->refs--;
		return nfd;
	case F_GETFD:
		return (p->cloexec[fd / 32] >> (fd % 32)) & 1;
	case F_SETFD:
		set_cloexec(p, fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		if (f->type == F_HOST) {        /* the host's flags, but our O_NONBLOCK */
			long r = __syscall2(__NR_fcntl64, f->hostfd, F_GETFL);
			return r < 0 ? r : (r & ~O_NONBLOCK) | (f->flags & O_NONBLOCK);
		}
		return f->flags;
	case F_SETFL:
		/* O_NONBLOCK is ours to honour; O_APPEND the host's. */
		if (f->type == F_HOST) {
			long r = __syscall3(__NR_fcntl64, f->hostfd, F_SETFL, arg & O_APPEND);
			if (r < 0)
				return r;
		}
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		return f->type == F_PIPE ? pipe_fcntl(f, cmd, arg) : -EBADF;
	default:
		log_missing(p, "fcntl command", cmd);
		return -EINVAL;
	}
}

/* The foreground process group of the console, as the guest sees it. */
static int console_pgrp = 1;

/* ^C or ^\ at the console: the host's tty signalled us, the guest kernel;
 * the guest's foreground process group gets it, as from its own tty. */
void console_signal(int sig)
{
	for (int i = 0; i < proc_slots; i++)
		if (procs[i]->state != P_FREE && procs[i]->pgid == console_pgrp)
			sig_send(procs[i], sig, NULL);
}

long sys_ioctl(struct proc *p, int fd, uint32_t cmd, uint32_t arg)
{
	uint8_t buf[64];
	struct gfile *f = fd_file(p, fd);
	uint32_t in = 0, out = 0;
	if (!f)
		return -EBADF;
	if (f->type == F_MEM)
		return -ENOTTY;
	if (f->type == F_PIPE) {
		if (cmd != FIONREAD)
			return -ENOTTY;
		int n = pipe_nread(f);
		return copy_to_user(p, arg, &n, sizeof n);
	}
	switch (cmd) {
	case TCGETS: out = sizeof(struct termios); break;
	case TCSETS: case TCSETSW: case TCSETSF: in = sizeof(struct termios); break;
	case TIOCGWINSZ: out = sizeof(struct winsize); break;
	case TIOCSWINSZ: in = sizeof(struct winsize); break;
	case FIONREAD: out = sizeof(int); break;
	case TIOCGPGRP: case TIOCSPGRP: {
		/* Process groups are the guest's: only ask the host if it is a tty. */
		struct termios t;
		long r = __syscall3(__NR_ioctl, f->hostfd, TCGETS, &t);
		if (r < 0)
			return r;
		if (cmd == TIOCGPGRP)
			return copy_to_user(p, arg, &console_pgrp, sizeof console_pgrp);
		return copy_from_user(p, &console_pgrp, arg, sizeof console_pgrp);
	}
	default:
		return -ENOTTY;
	}
	if (in && copy_from_user(p, buf, arg, in))
		return -EFAULT;
	long r = __syscall3(__NR_ioctl, f->hostfd, cmd, buf);
	if (r >= 0 && out && copy_to_user(p, arg, buf, out))
		return -EFAULT;
	return r;
}

/* A call whose first argument is a host descriptor, the rest passed as is. */
long sys_fd_call(struct proc *p, int nr, int fd, long a, long b, long c)
{
	struct gfile *f = fd_file(p, fd);
	if (!f)
		return -EBADF;
	if (f->type != F_HOST)
		return -EINVAL;
	if (nr == __NR_fchmod) {                /* the owner or root (perm.c) */
		struct stat64 st;
		long err = __syscall2(__NR_fstat64, f->hostfd, &st);
		if (!err)
			err = guest_may_chmod_stat(p, &st, &a);
		if (err)
			return err;
	}
	if (nr == __NR_ftruncate || nr == __NR_ftruncate64)
		guest_remove_privs(p, f->hostfd, NULL);
	return __syscall4(nr, f->hostfd, a, b, c);
}

/*
 * fadvise64 and fadvise64_64 (len: the length, 64 bits wide): Linux's
 * checks in its order, the descriptor (EBADF), a pipe or FIFO (ESPIPE),
 * then a negative length or an advice past POSIX_FADV_NOREUSE (EINVAL).
 * A host file takes the advice itself (it answers as the host does, and
 * ignores it there: everything is in RAM); a file of the guest's own has
 * nothing to advise.
 */
long sys_fadvise(struct proc *p, int fd, int64_t len, uint32_t advice)
{
	enum { POSIX_FADV_NOREUSE_ = 5 };
	struct gfile *f = fd_file(p, fd);
	if (!f)
		return -EBADF;
	if (f->type == F_PIPE)
		return -ESPIPE;
	if (f->type == F_HOST)
		return __syscall6(__NR_fadvise64_64, f->hostfd, 0, 0, (uint32_t)len,
		                  (uint32_t)((uint64_t)len >> 32), advice);
	return len < 0 || advice > POSIX_FADV_NOREUSE_ ? -EINVAL : 0;
}

/*
 * memfd_create: an anonymous file, which is a memfd of ours on the host
 * (a regular file there, so read, write, ftruncate and mmap go to it as
 * to any host file).  Linux's order: the flags, the name (EINVAL past 249
 * bytes), a free descriptor (EMFILE), then the file.
 */
long sys_memfd_create(struct proc *p, uint32_t uname, uint32_t flags)
{
	enum { MFD_CLOEXEC_ = 1, MFD_ALLOW_SEALING_ = 2, MFD_NAME_MAX = 249 };
	char name[MFD_NAME_MAX + 1];
	if (flags & ~(uint32_t)(MFD_CLOEXEC_ | MFD_ALLOW_SEALING_))
		return -EINVAL;
	int n = strncpy_from_user(p, name, uname, sizeof name);
	if (n < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	int err = fd_free(p, 0);
	if (err < 0)
		return err;
	int hfd = __syscall2(__NR_memfd_create, name, MFD_CLOEXEC_ | (flags & MFD_ALLOW_SEALING_));
	if (hfd < 0)
		return hfd;
	struct gfile *f = file_host(hfd, O_RDWR, NULL);
	if (!f) {
		__syscall1(__NR_close, hfd);
		return -ENOMEM;
	}
	int fd = fd_install(p, f, 0, flags & MFD_CLOEXEC_);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* sendfile from a host file into a guest pipe: as much as fits now,
 * through a buffer of ours (the pipe is checked first: a call that has
 * to wait must not have read anything yet). */
static long sendfile_to_pipe(struct proc *p, struct gfile *fo, struct gfile *fi, int64_t *off,
                             uint32_t count)
{
	static uint8_t buf[16384];
	long room = pipe_room(p, fo);
	if (room < 0)
		return room;
	uint32_t n = count < (uint32_t)room ? count : (uint32_t)room;
	if (n > sizeof buf)
		n = sizeof buf;
	long r = off ? __syscall5(__NR_pread64, fi->hostfd, buf, n, (uint32_t)*off, (uint32_t)(*off >> 32))
	             : __syscall3(__NR_read, fi->hostfd, buf, n);
	if (r > 0) {
		pipe_put(p, fo, buf, r);
		if (off)
			*off += r;
	}
	return r;
}

/* sendfile: between host files by the host, or into a guest pipe; off
 * NULL: from the input's own offset. */
static long do_sendfile(struct proc *p, int out, int in, int64_t *off, uint32_t count)
{
	struct gfile *fo = fd_file(p, out), *fi = fd_file(p, in);
	if (!fo || !fi || (fo->flags & O_ACCMODE) == O_RDONLY || (fi->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (fi->type != F_HOST || (fo->type != F_HOST && fo->type != F_PIPE))
		return -EINVAL;
	if (fo->type == F_PIPE)
		return sendfile_to_pipe(p, fo, fi, off, count);
	return __syscall4(__NR_sendfile64, fo->hostfd, fi->hostfd, off, count);
}

/* sendfile64 and sendfile: the offset (64- or 32-bit) is read first, and
 * must not be negative, as on the host; it is written back on success. */
long sys_sendfile64(struct proc *p, int out, int in, uint32_t uoff, uint32_t count)
{
	int64_t off;
	if (uoff && copy_from_user(p, &off, uoff, sizeof off))
		return -EFAULT;
	if (uoff && off < 0)
		return -EINVAL;
	long r = do_sendfile(p, out, in, uoff ? &off : NULL, count);
	if (r >= 0 && uoff && copy_to_user(p, uoff, &off, sizeof off))
		return -EFAULT;
	return r;
}

long sys_sendfile(struct proc *p, int out, int in, uint32_t uoff, uint32_t count)
{
	int32_t off32 = 0;
	int64_t off = 0;
	if (uoff && copy_from_user(p, &off32, uoff, sizeof off32))
		return -EFAULT;
	if (uoff && off32 < 0)
		return -EINVAL;
	off = off32;
	long r = do_sendfile(p, out, in, uoff ? &off : NULL, count);
	off32 = (int32_t)off;
	if (r >= 0 && uoff && copy_to_user(p, uoff, &off32, sizeof off32))
		return -EFAULT;
	return r;
}
