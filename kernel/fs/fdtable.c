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

#define NR_OPEN 256		/* descriptors per table (Linux's RLIMIT_NOFILE is larger) */

struct files {
	int refcount;
	struct file *fd[NR_OPEN];
	uint32_t cloexec[NR_OPEN / 32];
};

struct files *files_new(void)
{
	struct files *t = kzalloc(sizeof *t);
	if (t)
		t->refcount = 1;
	return t;
}

struct files *files_dup(struct files *old)
{
	struct files *t = files_new();
	if (!t || !old)
		return t;
	for (int i = 0; i < NR_OPEN; i++) {
		t->fd[i] = old->fd[i];
		if (t->fd[i])
			file_get(t->fd[i]);
	}
	memcpy(t->cloexec, old->cloexec, sizeof t->cloexec);
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
	for (int i = 0; i < NR_OPEN; i++)
		file_put(files->fd[i]);
	kfree(files);
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
	for (int i = 0; i < NR_OPEN; i++) {
		if (files->fd[i] && get_cloexec(files, i)) {
			file_put(files->fd[i]);
			files->fd[i] = 0;
			set_cloexec(files, i, false);
		}
	}
}

int fd_install(struct files *files, struct file *f, int min, bool cloexec)
{
	if (min < 0)
		min = 0;
	for (int i = min; i < NR_OPEN; i++) {
		if (!files->fd[i]) {
			files->fd[i] = f;
			set_cloexec(files, i, cloexec);
			return i;
		}
	}
	return -EMFILE;
}

int fd_lowest_free(struct files *files, int min)
{
	for (int i = min < 0 ? 0 : min; i < NR_OPEN; i++)
		if (!files->fd[i])
			return i;
	return -EMFILE;
}

/* The file in a table's slot (borrowed), or NULL. */
static struct file *slot(struct files *t, int fd)
{
	if (!t || fd < 0 || fd >= NR_OPEN)
		return 0;
	return t->fd[fd];
}

struct file *fd_peek(struct files *files, int fd) { return slot(files, fd); }

struct file *fd_get(int fd)
{
	struct file *f = slot(current ? current->files : 0, fd);
	if (f)
		file_get(f);
	return f;
}

/* Take fd out of the table; its reference goes to the caller (NULL if none). */
static struct file *fd_remove(struct files *t, int fd)
{
	struct file *f = slot(t, fd);
	if (f) {
		t->fd[fd] = 0;
		set_cloexec(t, fd, false);
	}
	return f;
}

/* Put f at exactly newfd, closing what was there (dup2/dup3). */
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

static long dup_from(int oldfd, int min, bool cloexec)
{
	struct file *f = fd_get(oldfd);
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
	struct file *f = slot(t, oldfd);
	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= NR_OPEN)
		return -EBADF;
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
		if (arg >= NR_OPEN)
			return -EINVAL;
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
