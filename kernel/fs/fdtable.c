/*
 * Descriptor tables: what a small integer fd means to a process.
 *
 * A table maps fd -> struct file (a reference per slot) plus one bit per
 * fd, close-on-exec.  Several slots, in one table or in several (after
 * fork), may name the same struct file: they then share its position and
 * status flags, which is exactly what dup and fork promise.  The table
 * itself is reference-counted too so that threads created with
 * CLONE_FILES can share one.
 *
 * Which descriptors a process may use is its RLIMIT_NOFILE: allocating one
 * at or above it is EMFILE (open, dup, pipe...), dup2 to one is EBADF and
 * F_DUPFD from one EINVAL, exactly as Linux answers.
 *
 * The system calls that only juggle descriptors live here as well: close,
 * dup, dup2, dup3, fcntl.
 */
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <uapi/fcntl.h>
#include <uapi/resource.h>

/*
 * The table grows as Linux 6.1's does, because select() shows its size:
 * it clamps nfds to it.  A new table has NR_OPEN_DEFAULT slots
 * (BITS_PER_LONG on i386: 32), kept inside struct files; a descriptor
 * beyond the end makes it the next power of two above that descriptor
 * (fd 40: 64 slots, fd 100: 128), as measured on Linux (tools/oracle.py);
 * nothing grows past fs.nr_open.  Which descriptors may be used is
 * RLIMIT_NOFILE's business (fd_limit), not the table's.
 */
#define NR_OPEN_DEFAULT	32

struct files {
	int refcount;
	int max_fds;			/* slots in fd[] (and bits in cloexec[]) */
	struct file **fd;
	uint32_t *cloexec;
	struct file *fd_init[NR_OPEN_DEFAULT];	/* the first table */
	uint32_t cloexec_init[NR_OPEN_DEFAULT / 32];
};

/* Linux's alloc_fdtable: the size of a table that has slot nr. */
static int fd_table_size(int nr)
{
	uint32_t size = NR_OPEN_DEFAULT;
	while (size <= (uint32_t)nr)
		size <<= 1;
	return size > NR_OPEN_SYSCTL ? NR_OPEN_SYSCTL : (int)size;
}

struct files *files_new(void)
{
	struct files *t = kzalloc(sizeof *t);
	if (t) {
		t->refcount = 1;
		t->max_fds = NR_OPEN_DEFAULT;
		t->fd = t->fd_init;
		t->cloexec = t->cloexec_init;
	}
	return t;
}

/* Make t hold `size` slots (more than now): 0, or -ENOMEM. */
static int files_resize(struct files *t, int size)
{
	struct file **fd = kzalloc((size_t)size * sizeof *fd);
	uint32_t *cloexec = kzalloc((size_t)size / 32 * sizeof *cloexec);
	if (!fd || !cloexec) {
		kfree(fd);
		kfree(cloexec);
		return -ENOMEM;
	}
	memcpy(fd, t->fd, (size_t)t->max_fds * sizeof *fd);
	memcpy(cloexec, t->cloexec, (size_t)t->max_fds / 32 * sizeof *cloexec);
	if (t->fd != t->fd_init) {
		kfree(t->fd);
		kfree(t->cloexec);
	}
	t->fd = fd;
	t->cloexec = cloexec;
	t->max_fds = size;
	return 0;
}

/* Linux's expand_files: make slot nr exist.  0, -EMFILE, -ENOMEM. */
static int files_expand(struct files *t, int nr)
{
	if (nr < t->max_fds)
		return 0;
	if (nr >= NR_OPEN_SYSCTL)
		return -EMFILE;
	return files_resize(t, fd_table_size(nr));
}

/* One past the highest descriptor in use, rounded up to a word of bits,
 * at least NR_OPEN_DEFAULT (Linux's sane_fdtable_size for fork). */
static int files_used_size(const struct files *t)
{
	int words = t->max_fds / 32;
	while (words > 1) {
		bool used = false;
		for (int i = (words - 1) * 32; i < words * 32 && !used; i++)
			used = t->fd[i] != 0;
		if (used)
			break;
		words--;
	}
	return words * 32;
}

struct files *files_dup(struct files *old)
{
	struct files *t = files_new();
	if (!t || !old)
		return t;
	/* As Linux's dup_fd: the child's table is only as big as the slots in use need. */
	int used = files_used_size(old);
	if (used > t->max_fds && files_resize(t, fd_table_size(used - 1))) {
		kfree(t);
		return 0;
	}
	for (int i = 0; i < used; i++) {
		t->fd[i] = old->fd[i];
		if (t->fd[i])
			file_get(t->fd[i]);
	}
	memcpy(t->cloexec, old->cloexec, (size_t)used / 32 * sizeof *t->cloexec);
	return t;
}

void files_get(struct files *files)
{
	files->refcount++;
}

void files_put(struct files *files)
{
	if (!files || --files->refcount > 0)
		return;
	for (int i = 0; i < files->max_fds; i++)
		file_put(files->fd[i]);
	if (files->fd != files->fd_init) {
		kfree(files->fd);
		kfree(files->cloexec);
	}
	kfree(files);
}

int files_table_size(const struct files *files)
{
	return files->max_fds;
}

static bool get_cloexec(struct files *t, int fd) { return t->cloexec[fd / 32] >> (fd % 32) & 1; }

static void set_cloexec(struct files *t, int fd, bool on)
{
	if (on)
		t->cloexec[fd / 32] |= 1u << (fd % 32);
	else
		t->cloexec[fd / 32] &= ~(1u << (fd % 32));
}

void files_close_on_exec(struct files *files)
{
	for (int i = 0; i < files->max_fds; i++) {
		if (files->fd[i] && get_cloexec(files, i)) {
			file_put(files->fd[i]);
			files->fd[i] = 0;
			set_cloexec(files, i, false);
		}
	}
}

/* RLIMIT_NOFILE of the caller: descriptors below it may be allocated.
 * Before there is a caller (the self-tests, init's console), fs.nr_open. */
static int fd_limit(void)
{
	if (!current)
		return NR_OPEN_SYSCTL;
	uint64_t lim = current->rlimits[RLIMIT_NOFILE].cur;
	return lim > NR_OPEN_SYSCTL ? NR_OPEN_SYSCTL : (int)lim;
}

/* Linux's alloc_fd: the lowest free slot >= min (which may be past the
 * table's end), if it is below end; the table grows to hold it. */
static int fd_alloc(struct files *files, int min, int end)
{
	int fd = min < 0 ? 0 : min;
	while (fd < files->max_fds && files->fd[fd])
		fd++;
	if (fd >= end)
		return -EMFILE;
	int err = files_expand(files, fd);
	return err ? err : fd;
}

int fd_install_below(struct files *files, struct file *f, int min, int end, bool cloexec)
{
	int fd = fd_alloc(files, min, end);
	if (fd >= 0) {
		files->fd[fd] = f;
		set_cloexec(files, fd, cloexec);
	}
	return fd;
}

int fd_install(struct files *files, struct file *f, int min, bool cloexec)
{
	return fd_install_below(files, f, min, fd_limit(), cloexec);
}

int fd_lowest_free(struct files *files, int min)
{
	return fd_alloc(files, min, fd_limit());
}

/* The file in a table's slot (borrowed), or NULL. */
static struct file *slot(struct files *t, int fd)
{
	if (!t || fd < 0 || fd >= t->max_fds)
		return 0;
	return t->fd[fd];
}

struct file *fd_peek(struct files *files, int fd) { return slot(files, fd); }

struct file *fd_get_raw(int fd)
{
	struct file *f = slot(current ? current->files : 0, fd);
	if (f)
		file_get(f);
	return f;
}

struct file *fd_get(int fd)
{
	struct file *f = slot(current ? current->files : 0, fd);
	if (!f || (f->flags & O_PATH))
		return 0;
	file_get(f);
	return f;
}

/* Take fd out of the table; its reference goes to the caller (NULL if none). */
struct file *fd_remove(struct files *t, int fd)
{
	struct file *f = slot(t, fd);
	if (f) {
		t->fd[fd] = 0;
		set_cloexec(t, fd, false);
	}
	return f;
}

/* Put f at exactly newfd (a slot the table has), closing what was there (dup2/dup3). */
static void fd_replace(struct files *t, int newfd, struct file *f, bool cloexec)
{
	struct file *old = t->fd[newfd];
	t->fd[newfd] = f;
	set_cloexec(t, newfd, cloexec);
	file_put(old);
}

/* --- system calls -------------------------------------------------------------- */

long sys_close(int fd)
{
	struct file *f = fd_remove(current->files, fd);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}
SYSCALL(close, sys_close);

/*
 * close_range(first, last, flags): close every descriptor from first to
 * last (the table's end at most), or with CLOSE_RANGE_CLOEXEC mark them
 * close-on-exec instead; CLOSE_RANGE_UNSHARE first gives the caller a
 * table of its own, which it always has here (no CLONE_FILES).  Linux's
 * errors: EINVAL for another flag or first > last; holes are no error.
 */
#define CLOSE_RANGE_UNSHARE	2
#define CLOSE_RANGE_CLOEXEC	4
static long sys_close_range(uint32_t first, uint32_t last, uint32_t flags)
{
	if (flags & ~(uint32_t)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	struct files *t = current->files;
	for (uint32_t fd = first; fd <= last && fd < (uint32_t)t->max_fds; fd++) {
		if (!t->fd[fd])
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			set_cloexec(t, (int)fd, true);
		else
			file_put(fd_remove(t, (int)fd));
	}
	return 0;
}
SYSCALL(close_range, sys_close_range);

static long dup_from(int oldfd, int min, bool cloexec)
{
	struct file *f = fd_get_raw(oldfd);
	if (!f)
		return -EBADF;
	int fd = fd_install(current->files, f, min, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_dup(int oldfd)
{
	return dup_from(oldfd, 0, false);
}
SYSCALL(dup, sys_dup);

long sys_dup3(int oldfd, int newfd, uint32_t flags)
{
	struct files *t = current->files;
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	/* Linux's order: the limit (newfd is unsigned there), then oldfd. */
	if ((uint32_t)newfd >= (uint32_t)fd_limit())
		return -EBADF;
	struct file *f = slot(t, oldfd);
	if (!f)
		return -EBADF;
	int err = files_expand(t, newfd);
	if (err)
		return err == -EMFILE ? -EBADF : err;
	file_get(f);
	fd_replace(t, newfd, f, flags & O_CLOEXEC);
	return newfd;
}
SYSCALL(dup3, sys_dup3);

long sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)	/* unlike dup3: fine, if oldfd is open */
		return slot(current->files, oldfd) ? newfd : -EBADF;
	return sys_dup3(oldfd, newfd, 0);
}
SYSCALL(dup2, sys_dup2);

/* Status flags F_SETFL may change; the rest of f->flags stays. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME)

long sys_fcntl64(int fd, uint32_t cmd, uint32_t arg)
{
	struct files *t = current->files;
	struct file *f = slot(t, fd);
	if (!f)
		return -EBADF;
	if (f->flags & O_PATH) {
		/* An O_PATH descriptor only allows these, as Linux. */
		if (cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD &&
		    cmd != F_SETFD && cmd != F_GETFL)
			return -EBADF;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= (uint32_t)fd_limit())
			return -EINVAL;	/* as Linux: beyond RLIMIT_NOFILE (or negative) */
		return dup_from(fd, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return get_cloexec(t, fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		set_cloexec(t, fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | (arg & SETFL_MASK);
		return 0;
	case F_SETPIPE_SZ:
	case F_GETPIPE_SZ:
		return pipe_fcntl(f, cmd, arg);
	default:
		return -EINVAL;
	}
}
SYSCALL(fcntl64, sys_fcntl64);

long sys_fcntl(int fd, uint32_t cmd, uint32_t arg)
{
	return sys_fcntl64(fd, cmd, arg);
}
SYSCALL(fcntl, sys_fcntl);

int files_max_fds(struct files *files) { return files ? files->max_fds : 0; }

bool fd_peek_cloexec(struct files *files, int fd)
{
	return slot(files, fd) && get_cloexec(files, fd);
}
