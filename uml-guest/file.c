/*
 * Descriptors and the calls on them: read, write, close, dup, lseek,
 * fstat, getdents (more in fileops.c).
 *
 * For a host file, the call goes to the host on our descriptor, with the
 * guest's buffer handed over directly: user_span finds where the
 * process's pages lie in our mapping of physical memory, so the host
 * reads into (or writes from) the very page the process sees, with no
 * bounce copy.  A read from a descriptor that can block (the console, a
 * host pipe) is first polled: if no data is there, the process blocks
 * (sched.c polls for it) instead of the whole guest kernel.
 */
#include "file.h"
#include "sys.h"
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <uapi/resource.h>
#include <uapi/uio.h>

#define MAX_RW_COUNT    0x7ffff000u     /* Linux: INT_MAX rounded down to a page */

/* ---- Open files and descriptor tables ---- */

struct gfile *file_new(enum ftype type, int flags)
{
	struct gfile *f = calloc(1, sizeof *f);
	if (f) {
		f->refs = 1;
		f->type = type;
		f->flags = flags;
		f->hostfd = -1;
	}
	return f;
}

/* Wrap one of our descriptors; guestpath (a directory's) may be NULL. */
struct gfile *file_host(int hostfd, int flags, const char *guestpath)
{
	struct stat64 st;
	struct gfile *f = file_new(F_HOST, flags);
	if (!f)
		return NULL;
	f->hostfd = hostfd;
	if (__syscall2(__NR_fstat64, hostfd, &st) == 0) {
		f->may_block = S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
		if (S_ISDIR(st.st_mode) && guestpath)
			f->dir = strdup(guestpath);
	}
	return f;
}

void file_put(struct gfile *f)
{
	if (--f->refs)
		return;
	if (f->type == F_HOST) {
		busy_put_write(f);
		close(f->hostfd);
	} else if (f->type == F_PIPE) {
		pipe_release(f);
		if (f->hostfd >= 0)
			close(f->hostfd);       /* a FIFO's name, held for fstat */
	}
	free(f->dir);
	free(f->data);
	free(f);
}

struct gfile *fd_file(struct proc *p, int fd)
{
	return fd >= 0 && fd < p->max_fds ? p->fd[fd] : NULL;
}

void set_cloexec(struct proc *p, int fd, int on)
{
	if (on)
		p->cloexec[fd / 32] |= 1u << (fd % 32);
	else
		p->cloexec[fd / 32] &= ~(1u << (fd % 32));
}

void files_init(struct proc *p)
{
	p->fd = p->fd_init;
	p->cloexec = p->cloexec_init;
	p->max_fds = NR_OPEN_DEFAULT;
}

/* Linux 6.1's alloc_fdtable, as measured: the size of a table that has
 * slot nr is the next power of two above nr (kernel/fs/fdtable.c). */
static int table_size(int nr)
{
	uint32_t size = NR_OPEN_DEFAULT;
	while (size <= (uint32_t)nr)
		size <<= 1;
	return size > NR_OPEN_SYSCTL ? NR_OPEN_SYSCTL : (int)size;
}

/* Give p a table of size slots (more than now): 0 or -ENOMEM. */
static int table_resize(struct proc *p, int size)
{
	struct gfile **fd = calloc(size, sizeof *fd);
	uint32_t *cloexec = calloc(size / 32, sizeof *cloexec);
	if (!fd || !cloexec) {
		free(fd);
		free(cloexec);
		return -ENOMEM;
	}
	memcpy(fd, p->fd, p->max_fds * sizeof *fd);
	memcpy(cloexec, p->cloexec, p->max_fds / 32 * sizeof *cloexec);
	if (p->fd != p->fd_init) {
		free(p->fd);
		free(p->cloexec);
	}
	p->fd = fd;
	p->cloexec = cloexec;
	p->max_fds = size;
	return 0;
}

int fd_expand(struct proc *p, int fd)
{
	if (fd < p->max_fds)
		return 0;
	if (fd >= NR_OPEN_SYSCTL)
		return -EMFILE;
	return table_resize(p, table_size(fd));
}

int fd_limit(struct proc *p)
{
	uint64_t lim = p->rlim[RLIMIT_NOFILE].cur;
	return lim > NR_OPEN_SYSCTL ? NR_OPEN_SYSCTL : (int)lim;
}

/* Linux's alloc_fd: the lowest free slot >= min (perhaps past the
 * table's end), if below RLIMIT_NOFILE; the table grows to hold it. */
int fd_free(struct proc *p, int min)
{
	int fd = min < 0 ? 0 : min;
	while (fd < p->max_fds && p->fd[fd])
		fd++;
	if (fd >= fd_limit(p))
		return -EMFILE;
	int err = fd_expand(p, fd);
	return err ? err : fd;
}

int fd_install(struct proc *p, struct gfile *f, int min, int cloexec)
{
	int fd = fd_free(p, min);
	if (fd >= 0) {
		p->fd[fd] = f;
		set_cloexec(p, fd, cloexec);
	}
	return fd;
}

void fd_clear(struct proc *p, int fd)
{
	p->fd[fd] = NULL;
	set_cloexec(p, fd, 0);
}

/* init's 0, 1 and 2 are our own: the console we were started on. */
void files_init_console(struct proc *p)
{
	for (int fd = 0; fd < 3; fd++) {
		int mine = dup(fd);             /* ours to close when the guest is done */
		struct gfile *f = mine >= 0 ? file_host(mine, O_RDWR, NULL) : NULL;
		if (f)
			p->fd[fd] = f;
	}
}

/* As Linux's dup_fd: the child's table is only as big as the slots in
 * use need (one past the highest, rounded up to a word of bits). */
void files_fork(struct proc *child, struct proc *parent)
{
	int used = parent->max_fds;
	while (used > NR_OPEN_DEFAULT) {
		int i = used - 32;
		while (i < used && !parent->fd[i])
			i++;
		if (i < used)
			break;
		used -= 32;
	}
	files_init(child);
	if (used > child->max_fds && table_resize(child, table_size(used - 1)))
		used = child->max_fds;  /* out of memory: the first slots only */
	for (int fd = 0; fd < used; fd++)
		if ((child->fd[fd] = parent->fd[fd]))
			child->fd[fd]->refs++;
	memcpy(child->cloexec, parent->cloexec, used / 32 * sizeof *child->cloexec);
}

void files_exec(struct proc *p)
{
	for (int fd = 0; fd < p->max_fds; fd++) {
		if (p->fd[fd] && (p->cloexec[fd / 32] & (1u << (fd % 32)))) {
			file_put(p->fd[fd]);
			p->fd[fd] = NULL;
		}
	}
	memset(p->cloexec, 0, p->max_fds / 32 * sizeof *p->cloexec);
}

void files_close_all(struct proc *p)
{
	for (int fd = 0; fd < p->max_fds; fd++) {
		if (p->fd[fd]) {
			file_put(p->fd[fd]);
			p->fd[fd] = NULL;
		}
	}
	if (p->fd != p->fd_init) {
		free(p->fd);
		free(p->cloexec);
	}
	files_init(p);
}

/* ---- Reading and writing ---- */

/* Host read or write between f and p's memory; off < 0: at the file offset. */
static long host_io(struct proc *p, struct gfile *f, uint32_t buf, uint32_t n, int64_t off, int writing)
{
	if (!writing && f->may_block && off < 0) {
		struct pollfd pfd = { .fd = f->hostfd, .events = POLLIN };
		if (poll(&pfd, 1, 0) == 0) {
			if (f->flags & O_NONBLOCK)
				return -EAGAIN;
			if (sig_pending(p))
				return -ERESTARTSYS;
			return sched_block_host(p, f->hostfd, POLLIN);
		}
	}
	long done = 0;
	if (writing && n)
		guest_remove_privs(p, f->hostfd, NULL);        /* set-id bits (perm.c) */
	while ((uint32_t)done < n) {
		uint8_t *at;
		int len = user_span(p, buf + done, n - done, !writing, &at);
		if (len < 0)
			return done ? done : len;
		long r;
		int nr = writing ? __NR_write : __NR_read;
		if (off < 0)
			r = __syscall3(nr, f->hostfd, at, len);
		else
			r = __syscall5(writing ? __NR_pwrite64 : __NR_pread64, f->hostfd, at, len,
			               (uint32_t)(off + done), (uint32_t)((off + done) >> 32));
		if (r == -EPIPE) {              /* a host pipe nobody reads: the writer's SIGPIPE */
			siginfo_t info = { .si_signo = SIGPIPE, .si_code = SI_USER, .si_pid = p->pid };
			sig_send_thread(p, SIGPIPE, &info);
		}
		if (r < 0)
			return done ? done : r;
		done += r;
		if (r < len || f->may_block)
			break;                  /* short, or a device: one call is a read */
	}
	return done;
}

long sys_read(struct proc *p, int fd, uint32_t buf, uint32_t n)
{
	struct gfile *f = fd_file(p, fd);
	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!n)
		return 0;
	if (f->type == F_PIPE) {
		struct iovec iov = { (void *)buf, n };
		return pipe_read(p, f, &iov, 1);
	}
	if (f->type == F_MEM)
		return memfile_read(p, f, buf, n, 0);
	return host_io(p, f, buf, n, -1, 0);
}

long sys_write(struct proc *p, int fd, uint32_t buf, uint32_t n)
{
	struct gfile *f = fd_file(p, fd);
	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!n)
		return 0;
	if (f->type == F_PIPE) {
		struct iovec iov = { (void *)buf, n };
		return pipe_write(p, f, &iov, 1);
	}
	if (f->type == F_MEM)
		return memfile_write(p, f, buf, n);
	return host_io(p, f, buf, n, -1, 1);
}

long sys_pread_pwrite(struct proc *p, int writing, int fd, uint32_t buf, uint32_t n,
                      uint32_t lo, uint32_t hi)
{
	struct gfile *f = fd_file(p, fd);
	int64_t off = (int64_t)((uint64_t)hi << 32 | lo);
	if (!f || (f->flags & O_ACCMODE) == (writing ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (f->type == F_MEM && !writing && !f->mem_dir && off >= 0) {   /* /proc, as Linux's seq_file */
		uint32_t pos = f->pos;
		f->pos = off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
		long r = memfile_read(p, f, buf, n, 0);
		f->pos = pos;
		return r;
	}
	if (f->type != F_HOST)
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	return n ? host_io(p, f, buf, n, off, writing) : 0;
}

/* readv and writev: on a pipe one read or write of them all, as Linux;
 * elsewhere one buffer after the other, stopping at a short one. */
long sys_readv_writev(struct proc *p, int writing, int fd, uint32_t uiov, int cnt)
{
	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	struct gfile *f = fd_file(p, fd);
	if (f && f->type == F_PIPE && (f->flags & O_ACCMODE) != (writing ? O_RDONLY : O_WRONLY)) {
		static struct iovec iov[UIO_MAXIOV];    /* we are never re-entered */
		if (cnt && copy_from_user(p, iov, uiov, cnt * sizeof iov[0]))
			return -EFAULT;
		uint32_t total = 0;
		for (int i = 0; i < cnt; i++) {         /* Linux's checks: clamp, EINVAL */
			if ((int32_t)iov[i].iov_len < 0)
				return -EINVAL;
			if (iov[i].iov_len > MAX_RW_COUNT - total)
				iov[i].iov_len = MAX_RW_COUNT - total;
			total += iov[i].iov_len;
		}
		return writing ? pipe_write(p, f, iov, cnt) : pipe_read(p, f, iov, cnt);
	}
	long total = 0;
	for (int i = 0; i < cnt; i++) {
		struct iovec iov;
		if (copy_from_user(p, &iov, uiov + i * sizeof iov, sizeof iov))
			return -EFAULT;
		if (!iov.iov_len)
			continue;
		long r = writing ? sys_write(p, fd, (uint32_t)iov.iov_base, iov.iov_len)
		                 : sys_read(p, fd, (uint32_t)iov.iov_base, iov.iov_len);
		if (r < 0 && total) {
			if (r == BLOCK)
				sched_unblock(p);       /* what moved already is the result */
			return total;
		}
		if (r < 0)
			return r;
		total += r;
		if ((size_t)r < iov.iov_len)
			break;
	}
	return total;
}

/* preadv and pwritev: readv and writev at an offset, which the file's
 * own offset does not follow.  Linux's order: a negative offset, the
 * descriptor, one that cannot seek (ESPIPE), the iovecs (all read and
 * checked before any I/O), the descriptor's mode; then the buffers one
 * after the other, stopping at a short one. */
long sys_preadv_pwritev(struct proc *p, int writing, int fd, uint32_t uiov, int cnt,
                        uint32_t lo, uint32_t hi)
{
	static struct iovec iov[UIO_MAXIOV];    /* we are never re-entered */
	int64_t off = (int64_t)((uint64_t)hi << 32 | lo);
	if (off < 0)
		return -EINVAL;
	struct gfile *f = fd_file(p, fd);
	if (!f)
		return -EBADF;
	if (f->type != F_HOST)
		return -ESPIPE;
	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	if (cnt && copy_from_user(p, iov, uiov, cnt * sizeof iov[0]))
		return -EFAULT;
	uint32_t all = 0;
	for (int i = 0; i < cnt; i++) {
		if ((int32_t)iov[i].iov_len < 0)
			return -EINVAL;
		if (iov[i].iov_len > MAX_RW_COUNT - all)
			iov[i].iov_len = MAX_RW_COUNT - all;
		all += iov[i].iov_len;
	}
	if ((f->flags & O_ACCMODE) == (writing ? O_RDONLY : O_WRONLY))
		return -EBADF;
	long total = 0;
	for (int i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		long r = host_io(p, f, (uint32_t)iov[i].iov_base, iov[i].iov_len, off + total, writing);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return total;
}

/* ---- Descriptors ---- */

long sys_close(struct proc *p, int fd)
{
	struct gfile *f = fd_file(p, fd);
	if (!f)
		return -EBADF;
	fd_clear(p, fd);
	file_put(f);
	return 0;
}

/* close_range: the host's rules (kernel/fs/fdtable.c): EINVAL for an
 * unknown flag or first > last; CLOSE_RANGE_CLOEXEC marks instead of
 * closing; CLOSE_RANGE_UNSHARE changes nothing (tables are never shared). */
long sys_close_range(struct proc *p, uint32_t first, uint32_t last, uint32_t flags)
{
	enum { CLOSE_RANGE_UNSHARE_ = 2, CLOSE_RANGE_CLOEXEC_ = 4 };
	if (flags & ~(uint32_t)(CLOSE_RANGE_UNSHARE_ | CLOSE_RANGE_CLOEXEC_))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	for (uint32_t fd = first; fd <= last && fd < (uint32_t)p->max_fds; fd++) {
		if (!p->fd[fd])
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC_)
			set_cloexec(p, (int)fd, 1);
		else
			sys_close(p, (int)fd);
	}
	return 0;
}

/* dup2 and dup3, in Linux's order: flags, the same descriptor, newfd
 * against RLIMIT_NOFILE (EBADF), then oldfd. */
long sys_dup3(struct proc *p, int fd, int newfd, int flags, int dup2_style)
{
	struct gfile *f = fd_file(p, fd);
	if (dup2_style && fd == newfd)
		return f ? newfd : -EBADF;
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (fd == newfd)
		return -EINVAL;
	if ((uint32_t)newfd >= (uint32_t)fd_limit(p) || !f)
		return -EBADF;
	int err = fd_expand(p, newfd);
	if (err)
		return err == -EMFILE ? -EBADF : err;
	if (p->fd[newfd])
		file_put(p->fd[newfd]);
	f->refs++;
	p->fd[newfd] = f;
	set_cloexec(p, newfd, flags & O_CLOEXEC);
	return newfd;
}

/* lseek in an F_MEM file: the position in its text. */
static long mem_seek(struct gfile *f, int64_t off, int whence)
{
	int64_t at = whence == SEEK_SET ? off : whence == SEEK_CUR ? f->pos + off
	           : whence == SEEK_END ? f->size + off : -1;
	if (whence < SEEK_SET || whence > SEEK_END || at < 0)
		return -EINVAL;
	f->pos = at > UINT32_MAX ? UINT32_MAX : (uint32_t)at;
	return f->pos;
}

long sys_lseek(struct proc *p, int fd, int32_t off, int whence)
{
	struct gfile *f = fd_file(p, fd);
	if (!f)
		return -EBADF;
	if (f->type == F_PIPE)
		return -ESPIPE;
	if (f->type == F_MEM)
		return mem_seek(f, off, whence);
	return __syscall3(__NR_lseek, f->hostfd, off, whence);
}

long sys_llseek(struct proc *p, int fd, uint32_t hi, uint32_t lo, uint32_t uresult, int whence)
{
	struct gfile *f = fd_file(p, fd);
	int64_t result;
	if (!f)
		return -EBADF;
	if (f->type == F_PIPE)
		return -ESPIPE;
	long r = 0;
	if (f->type == F_MEM)
		result = r = mem_seek(f, (int64_t)((uint64_t)hi << 32 | lo), whence);
	else
		r = __syscall5(__NR__llseek, f->hostfd, hi, lo, &result, whence);
	if (r < 0)
		return r;
	return copy_to_user(p, uresult, &result, sizeof result);
}

long sys_fstat64(struct proc *p, int fd, uint32_t ust)
{
	struct gfile *f = fd_file(p, fd);
	struct stat64 st;
	if (!f)
		return -EBADF;
	long r;
	if (f->type == F_PIPE) {
		r = pipe_fstat(f, &st);
	} else if (f->type == F_MEM) {
		memset(&st, 0, sizeof st);
		st.st_mode = f->mem_dir ? S_IFDIR | 0555 : S_IFREG | 0444;
		st.st_nlink = 1;
		st.st_blksize = PAGE;
		r = 0;
	} else {
		r = __syscall2(__NR_fstat64, f->hostfd, &st);
	}
	if (r < 0)
		return r;
	return copy_to_user(p, ust, &st, sizeof st);
}

long sys_getdents64(struct proc *p, int fd, uint32_t buf, uint32_t n)
{
	static uint8_t bounce[32768];
	struct gfile *f = fd_file(p, fd);
	if (!f)
		return -EBADF;
	if (f->type == F_MEM)
		return memfile_read(p, f, buf, n, 1);
	if (f->type != F_HOST)
		return -ENOTDIR;
	long r = __syscall3(__NR_getdents64, f->hostfd, bounce, n < sizeof bounce ? n : sizeof bounce);
	if (r > 0 && copy_to_user(p, buf, bounce, r))
		return -EFAULT;
	return r;
}
