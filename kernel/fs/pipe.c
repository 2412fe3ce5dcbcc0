/*
 * Pipes: a one-page ring buffer between two open files, the read end and
 * the write end.
 *
 * The ring: `head` counts every byte ever written, `tail` every byte ever
 * read; both only grow (and may wrap around 2^32, which unsigned
 * arithmetic handles).  head - tail is the fill, and a byte's slot is its
 * count modulo PIPE_SIZE.  No "full or empty?" ambiguity, no wasted slot.
 *
 * The rules, as POSIX and Linux have them:
 *   - read blocks while the pipe is empty and a writer exists; with no
 *     writer left, an empty pipe reads as end of file (0);
 *   - a write of at most PIPE_BUF bytes is atomic: it waits until all of
 *     it fits, so writers never interleave inside it; a longer write
 *     goes in pieces as room appears;
 *   - a write with no reader left fails with EPIPE (and raises SIGPIPE:
 *     fs_hook_sigpipe), keeping what it wrote before;
 *   - O_NONBLOCK turns every wait into EAGAIN (or a short count).
 * Blocked readers sleep on rwait, writers on wwait; each side wakes the
 * other after moving bytes, and poll sleepers are woken too.
 */
#include <kernel/fs.h>
#include <kernel/signal.h>
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/pmm.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <kernel/x86.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/stat.h>

#define PIPE_SIZE	PAGE_SIZE
#define PIPE_BUF	4096	/* POSIX: writes up to this size are atomic */

struct pipe {
	char *buf;			/* one page, direct-mapped */
	uint32_t head, tail;		/* bytes written, bytes read (ever) */
	int readers, writers;		/* open ends */
	struct waitq rwait, wwait;
};

static uint32_t pipe_ino = 1;

/* Writing to a pipe nobody reads: SIGPIPE for the writer, as Linux sends it. */
void fs_hook_sigpipe(void)
{
	if (!current)
		return;	/* the kernel's own self-tests write pipes too */
	siginfo_t info;
	memset(&info, 0, sizeof info);
	info.si_signo = SIGPIPE;
	info.si_code = SI_USER;
	info.si_pid = current->pid;
	send_signal_process(current, SIGPIPE, &info);
}

/* --- the ring buffer (no sleeping, no locking: callers see to that) --------- */

uint32_t pipe_fill(const struct pipe *p) { return p->head - p->tail; }
uint32_t pipe_room(const struct pipe *p) { return PIPE_SIZE - pipe_fill(p); }

/* Copy up to n bytes in; returns how many fitted. */
size_t pipe_put(struct pipe *p, const char *src, size_t n)
{
	if (n > pipe_room(p))
		n = pipe_room(p);
	for (size_t done = 0; done < n;) {
		uint32_t at = p->head % PIPE_SIZE;
		size_t k = PIPE_SIZE - at < n - done ? PIPE_SIZE - at : n - done;
		memcpy(p->buf + at, src + done, k);	/* up to the end of the page, then wrap */
		p->head += (uint32_t)k;
		done += k;
	}
	return n;
}

/* Copy up to n bytes out; returns how many there were. */
size_t pipe_get(struct pipe *p, char *dst, size_t n)
{
	if (n > pipe_fill(p))
		n = pipe_fill(p);
	for (size_t done = 0; done < n;) {
		uint32_t at = p->tail % PIPE_SIZE;
		size_t k = PIPE_SIZE - at < n - done ? PIPE_SIZE - at : n - done;
		memcpy(dst + done, p->buf + at, k);
		p->tail += (uint32_t)k;
		done += k;
	}
	return n;
}

struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof *p);
	uint32_t page = pmm_alloc_page();
	if (!p || !page) {
		kfree(p);
		if (page)
			pmm_free_page(page);
		return 0;
	}
	p->buf = phys_to_virt(page);
	return p;
}

void pipe_free(struct pipe *p)
{
	pmm_free_page(virt_to_phys(p->buf));
	kfree(p);
}

/* --- the two ends ---------------------------------------------------------------- */

static long pipe_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)pos;
	struct pipe *p = f->priv;
	if (n == 0)
		return 0;
	long ret = 0;
	uint32_t irq = irq_save();
	while (pipe_fill(p) == 0) {
		if (p->writers == 0)
			goto out;		/* end of file */
		if (f->flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		ret = sleep_on(&p->rwait);
		if (ret)
			goto out;		/* a signal: -ERESTARTSYS */
	}
	ret = (long)pipe_get(p, buf, n);
	wake_up(&p->wwait);
	poll_notify();
out:
	irq_restore(irq);
	return ret;
}

static long pipe_write(struct file *f, const void *buf, size_t n, uint64_t *pos)
{
	(void)pos;
	struct pipe *p = f->priv;
	size_t done = 0;
	long err = 0;
	if (n == 0)
		return 0;
	uint32_t irq = irq_save();
	while (done < n) {
		if (p->readers == 0) {
			fs_hook_sigpipe();
			err = -EPIPE;
			break;
		}
		/* Atomic writes wait for room for all of it; others take any room. */
		size_t need = n <= PIPE_BUF ? n : 1;
		if (pipe_room(p) >= need) {
			done += pipe_put(p, (const char *)buf + done, n - done);
			wake_up(&p->rwait);
			poll_notify();
			continue;
		}
		if (f->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		err = sleep_on(&p->wwait);
		if (err)
			break;
	}
	irq_restore(irq);
	return done ? (long)done : err;
}

static uint32_t pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;
	uint32_t mask = 0;
	if (file_readable(f)) {
		if (pipe_fill(p))
			mask |= POLLIN | POLLRDNORM;
		if (p->writers == 0)
			mask |= POLLHUP;
	}
	if (file_writable(f)) {
		if (pipe_room(p))
			mask |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			mask |= POLLERR;
	}
	return mask;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	if (file_readable(f))
		p->readers--;
	if (file_writable(f))
		p->writers--;
	/* Whoever waits on the other end must look again: EOF or EPIPE now. */
	wake_up(&p->rwait);
	wake_up(&p->wwait);
	poll_notify();
	if (p->readers == 0 && p->writers == 0)
		pipe_free(p);
}

static long pipe_ioctl(struct file *f, uint32_t cmd, uint32_t arg)
{
	struct pipe *p = f->priv;
	if (cmd != 0x541B /* FIONREAD */)
		return -ENOTTY;
	int n = (int)pipe_fill(p);
	return copy_to_user((void *)arg, &n, sizeof n);
}

static const struct file_ops pipe_fops = {
	.read = pipe_read, .write = pipe_write, .poll = pipe_poll,
	.release = pipe_release, .ioctl = pipe_ioctl, .stream = true,
};

int pipe_create(struct file **rd, struct file **wr, uint32_t flags)
{
	struct pipe *p = pipe_alloc();
	if (!p)
		return -ENFILE;
	struct inode *inode = inode_alloc(FS_DEV_PIPE, S_IFIFO | 0600, 0, 0);
	*rd = inode ? file_alloc(inode, &pipe_fops, O_RDONLY | (flags & O_NONBLOCK)) : 0;
	*wr = *rd ? file_alloc(inode, &pipe_fops, O_WRONLY | (flags & O_NONBLOCK)) : 0;
	inode_put(inode);		/* the files hold it now */
	if (!*wr) {
		if (*rd) {
			(*rd)->ops = 0;	/* not counted as a reader yet */
			file_put(*rd);
		}
		pipe_free(p);
		return -ENFILE;
	}
	inode->ino = pipe_ino++;
	(*rd)->priv = (*wr)->priv = p;
	p->readers = p->writers = 1;
	return 0;
}

/* --- system calls -------------------------------------------------------------------- */

long sys_close(int fd);

long sys_pipe2(int *ufds, uint32_t flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;		/* O_DIRECT (packet mode) is not supported */
	struct file *rd, *wr;
	int err = pipe_create(&rd, &wr, flags);
	if (err)
		return err;
	int fds[2];
	fds[0] = fd_install(current->files, rd, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(current->files, wr, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			sys_close(fds[0]);
		else
			file_put(rd);
		file_put(wr);
		return -EMFILE;
	}
	if (copy_to_user(ufds, fds, sizeof fds)) {
		sys_close(fds[0]);
		sys_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}
SYSCALL(pipe2, sys_pipe2);

long sys_pipe(int *fds) { return sys_pipe2(fds, 0); }
SYSCALL(pipe, sys_pipe);
