/*
 * Pipes between guest processes: a 64 KiB ring buffer in the guest
 * kernel, as on Linux, with Linux's rules: a read takes what is there
 * (or waits for some, or sees EOF once no writer is left), a write of at
 * most PIPE_BUF bytes goes in whole or waits, a longer one goes in
 * pieces as room appears, and writing with no reader left is SIGPIPE
 * and EPIPE.
 *
 * Readers wait on &pipe->readers, writers on &pipe->writers (sched.c).  A
 * write that has to wait half-way remembers in p->partial how much went
 * in already, so that when it runs again it carries on from there.
 */
#include "file.h"
#include "sys.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uapi/poll.h>

#define PIPE_SIZE       65536
#define PIPE_BUF_       4096            /* writes up to this size are atomic */

struct pipe {
	uint8_t *buf;
	uint32_t head, len;             /* the data: len bytes from head, wrapping */
	int readers, writers;           /* open ends */
	unsigned id;                    /* its "inode number" */
};

/* Wake who waits on this end, and every poll() (which may be watching it). */
static void wake(const void *chan)
{
	sched_wake(chan);
	sched_wake(&poll_wchan);
}

long pipe_read(struct proc *p, struct gfile *f, uint32_t buf, uint32_t n)
{
	struct pipe *pp = f->pipe;
	if (pp->len == 0) {
		if (!pp->writers)
			return 0;               /* EOF */
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (sig_pending(p))
			return -ERESTARTSYS;
		return sched_block(p, &pp->readers, 1);
	}
	uint32_t count = n < pp->len ? n : pp->len;
	uint32_t first = PIPE_SIZE - pp->head;  /* up to the end of the ring */
	if (first > count)
		first = count;
	if (copy_to_user(p, buf, pp->buf + pp->head, first) ||
	    copy_to_user(p, buf + first, pp->buf, count - first))
		return -EFAULT;
	pp->head = (pp->head + count) % PIPE_SIZE;
	pp->len -= count;
	wake(&pp->writers);
	return count;
}

long pipe_write(struct proc *p, struct gfile *f, uint32_t buf, uint32_t n)
{
	struct pipe *pp = f->pipe;
	uint32_t done = p->partial;
	while (done < n) {
		if (!pp->readers) {
			siginfo_t info = { .si_signo = SIGPIPE, .si_code = SI_USER, .si_pid = p->pid };
			sig_send_thread(p, SIGPIPE, &info);
			return done ? (long)done : -EPIPE;
		}
		uint32_t room = PIPE_SIZE - pp->len;
		if (room == 0 || (n <= PIPE_BUF_ && room < n)) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			if (sig_pending(p))
				return done ? (long)done : -ERESTARTSYS;
			p->partial = done;
			return sched_block(p, &pp->writers, 1);
		}
		uint32_t count = n - done < room ? n - done : room;
		uint32_t tail = (pp->head + pp->len) % PIPE_SIZE;
		uint32_t first = PIPE_SIZE - tail;
		if (first > count)
			first = count;
		if (copy_from_user(p, pp->buf + tail, buf + done, first) ||
		    copy_from_user(p, pp->buf, buf + done + first, count - first))
			return done ? (long)done : -EFAULT;
		pp->len += count;
		done += count;
		wake(&pp->readers);
	}
	return done;
}

/* For sendfile into a pipe: how much fits now, or (when nothing does)
 * BLOCK, -EAGAIN, -ERESTARTSYS or -EPIPE as for a write. */
long pipe_room(struct proc *p, struct gfile *f)
{
	struct pipe *pp = f->pipe;
	if (!pp->readers) {
		siginfo_t info = { .si_signo = SIGPIPE, .si_code = SI_USER, .si_pid = p->pid };
		sig_send_thread(p, SIGPIPE, &info);
		return -EPIPE;
	}
	if (pp->len < PIPE_SIZE)
		return PIPE_SIZE - pp->len;
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	if (sig_pending(p))
		return -ERESTARTSYS;
	return sched_block(p, &pp->writers, 1);
}

/* Append n bytes of ours (n no more than pipe_room said). */
void pipe_put(struct gfile *f, const void *buf, uint32_t n)
{
	struct pipe *pp = f->pipe;
	uint32_t tail = (pp->head + pp->len) % PIPE_SIZE;
	uint32_t first = PIPE_SIZE - tail < n ? PIPE_SIZE - tail : n;
	memcpy(pp->buf + tail, buf, first);
	memcpy(pp->buf, (const uint8_t *)buf + first, n - first);
	pp->len += n;
	wake(&pp->readers);
}

void pipe_release(struct gfile *f)
{
	struct pipe *pp = f->pipe;
	if (f->write_end) {
		pp->writers--;
		wake(&pp->readers);       /* they may see EOF now */
	} else {
		pp->readers--;
		wake(&pp->writers);       /* they get EPIPE now */
	}
	if (!pp->readers && !pp->writers) {
		free(pp->buf);
		free(pp);
	}
}

long pipe_fstat(struct gfile *f, void *stp)
{
	struct stat64 *st = stp;
	memset(st, 0, sizeof *st);
	st->st_dev = MKDEV64(0, 12);
	st->st_ino = st->__st_ino = f->pipe->id;
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

long pipe_nread(struct gfile *f)
{
	return f->pipe->len;
}

/* What poll would report for this end. */
int pipe_poll(struct gfile *f)
{
	struct pipe *pp = f->pipe;
	if (f->write_end)
		return pp->readers ? (pp->len < PIPE_SIZE ? POLLOUT : 0) : POLLOUT | POLLERR;
	return (pp->len ? POLLIN : 0) | (pp->writers ? 0 : POLLHUP);
}

long sys_pipe2(struct proc *p, uint32_t ufds, int flags)
{
	static unsigned next_id = 1;
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	struct pipe *pp = calloc(1, sizeof *pp);
	struct gfile *r = file_new(F_PIPE, O_RDONLY | (flags & O_NONBLOCK));
	struct gfile *w = file_new(F_PIPE, O_WRONLY | (flags & O_NONBLOCK));
	if (pp)
		pp->buf = malloc(PIPE_SIZE);
	if (!pp || !pp->buf || !r || !w) {
		if (pp)
			free(pp->buf);
		free(pp);
		free(r);
		free(w);
		return -ENOMEM;
	}
	pp->readers = pp->writers = 1;
	pp->id = next_id++;
	r->pipe = w->pipe = pp;
	w->write_end = 1;
	int fds[2];
	fds[0] = fd_install(p, r, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(p, w, 0, flags & O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(p, ufds, fds, sizeof fds)) {
		long err = fds[1] < 0 ? -EMFILE : -EFAULT;
		if (fds[0] >= 0)
			p->fd[fds[0]] = NULL;
		if (fds[1] >= 0)
			p->fd[fds[1]] = NULL;
		file_put(r);
		file_put(w);
		return err;
	}
	return 0;
}
