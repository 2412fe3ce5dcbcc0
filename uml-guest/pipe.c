/*
 * Pipes between guest processes, built as Linux 6.1 (and the host
 * kernel, kernel/fs/pipe.c) builds them: a ring of page-sized slots, 16
 * by default (64 KiB), resized with fcntl F_SETPIPE_SZ.  A slot in use
 * holds the len bytes at offset in its page; the pipe is full when every
 * slot is in use, however few bytes they hold.
 *
 * A write packs bytes as Linux does: its first total % PAGE bytes join
 * the last slot if they fit behind its bytes, the rest goes a page per
 * new slot.  So a write of at most PIPE_BUF (one page) lands whole or
 * waits; a longer one takes what slots are free and waits for more; with
 * O_NONBLOCK a full pipe is EAGAIN or a short count.  A read takes what
 * there is (up to what it asks), or waits for some, or sees EOF once no
 * writer is left; writing with no reader left is SIGPIPE and EPIPE.  A
 * fault on the caller's buffer ends a transfer at the page-sized piece
 * that faulted (a write leaves that piece's slot in use and empty, as
 * Linux does).
 *
 * Readers wait on &pipe->readers, writers on &pipe->writers (sched.c).  A
 * write that has to wait half-way remembers in p->partial how much went
 * in already (and, in WRITE_BEGUN, that it is past the merging step), so
 * that when it runs again it carries on from there.  Pages come from our
 * heap as slots fill and go back as they empty, one kept spare.
 */
#include "file.h"
#include "sys.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <lib/sysctl_text.h>
#include <uapi/poll.h>
#include <uapi/uio.h>
#include <sys/syscall.h>

#define PIPE_DEF_BUFFERS 16
#define PIPE_MAX_SLOTS  131072u         /* Linux's largest ring on i386 (kernel/fs/pipe.c) */
#define WRITE_BEGUN     0x80000000u     /* in p->partial: past the merging step */

uint32_t pipe_max_size = 1048576;       /* fs.pipe-max-size: for non-root users */

struct pslot {
	uint8_t *page;                  /* NULL when free */
	uint32_t offset, len;
};

struct pipe {
	struct pslot *slots;            /* ring_size of them, a power of two */
	uint32_t ring_size;
	uint32_t head, tail;            /* slots ever filled, ever emptied */
	uint8_t *spare;                 /* an emptied slot's page */
	int readers, writers;           /* open ends */
	unsigned id;                    /* its "inode number" */
	/* A named pipe (FIFO) is a pipe found by its host file's identity. */
	int is_fifo;
	uint64_t dev, ino;
	uint32_t readers_ever, writers_ever;    /* opens of each end, ever */
	struct pipe *next_fifo;
};

static struct pipe *fifos;              /* the FIFOs open now */

/* Which ends a descriptor is: a FIFO opened O_RDWR is both. */
static int reads(const struct gfile *f) { return (f->flags & O_ACCMODE) != O_WRONLY; }
static int writes(const struct gfile *f) { return (f->flags & O_ACCMODE) != O_RDONLY; }

static int empty(const struct pipe *pp) { return pp->head == pp->tail; }
static int full(const struct pipe *pp) { return pp->head - pp->tail >= pp->ring_size; }
static struct pslot *slot_at(struct pipe *pp, uint32_t n) { return &pp->slots[n & (pp->ring_size - 1)]; }

/* Wake who waits on this end, and every poll() (which may be watching it). */
static void wake(const void *chan)
{
	sched_wake(chan);
	sched_wake(&poll_wchan);
}

static void sigpipe(struct proc *p)
{
	siginfo_t info = { .si_signo = SIGPIPE, .si_code = SI_USER, .si_pid = p->pid };
	sig_send_thread(p, SIGPIPE, &info);
}

static uint8_t *page_take(struct pipe *pp)
{
	uint8_t *page = pp->spare;
	pp->spare = NULL;
	return page ? page : malloc(PAGE);
}

/* The oldest slot is empty: free it, keeping its page as the spare. */
static void slot_release(struct pipe *pp)
{
	struct pslot *s = slot_at(pp, pp->tail++);
	if (pp->spare)
		free(s->page);
	else
		pp->spare = s->page;
	s->page = NULL;
}

/* Where a write's bytes come from: user iovecs, or (sendfile) our buffer. */
struct src {
	struct proc *p;
	const struct iovec *iov;        /* iov[cnt] of the caller's; NULL: kbuf */
	int cnt;
	const uint8_t *kbuf;
};

/* Copy bytes [at, at + n) of the source into dst: 0, or -EFAULT. */
static int src_copy(const struct src *s, uint32_t at, void *dst, uint32_t n)
{
	if (!s->iov) {
		memcpy(dst, s->kbuf + at, n);
		return 0;
	}
	for (int i = 0; i < s->cnt && n; i++) {
		uint32_t len = s->iov[i].iov_len;
		if (at >= len) {
			at -= len;
			continue;
		}
		uint32_t k = len - at < n ? len - at : n;
		if (copy_from_user(s->p, dst, (uint32_t)s->iov[i].iov_base + at, k))
			return -EFAULT;
		dst = (uint8_t *)dst + k;
		n -= k;
		at = 0;
	}
	return 0;
}

/* Write total bytes of s; the caller's p->partial carries a blocked
 * write's progress between its runs. */
static long do_write(struct proc *p, struct gfile *f, const struct src *s, uint32_t total)
{
	struct pipe *pp = f->pipe;
	uint32_t done = p->partial & ~WRITE_BEGUN;
	if (!total)
		return 0;
	if (!(p->partial & WRITE_BEGUN)) {
		if (!pp->readers) {
			sigpipe(p);
			return -EPIPE;
		}
		uint32_t head = total % PAGE;
		struct pslot *last = empty(pp) ? NULL : slot_at(pp, pp->head - 1);
		if (head && last && last->offset + last->len + head <= PAGE) {
			if (src_copy(s, 0, last->page + last->offset + last->len, head))
				return -EFAULT;
			last->len += head;
			done = head;
			wake(&pp->readers);
		}
	}
	while (done < total) {
		if (!pp->readers) {
			sigpipe(p);
			return done ? (long)done : -EPIPE;
		}
		if (full(pp)) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			if (sig_pending(p))
				return done ? (long)done : -ERESTARTSYS;
			p->partial = done | WRITE_BEGUN;
			return sched_block(p, &pp->writers, 1);
		}
		uint8_t *page = page_take(pp);
		if (!page)
			return done ? (long)done : -ENOMEM;
		struct pslot *sl = slot_at(pp, pp->head++);
		*sl = (struct pslot){ page, 0, 0 };
		uint32_t n = total - done < PAGE ? total - done : PAGE;
		int fault = src_copy(s, done, page, n);
		wake(&pp->readers);
		if (fault)
			return done ? (long)done : -EFAULT;     /* the slot stays, empty */
		sl->len = n;
		done += n;
	}
	return done;
}

long pipe_write(struct proc *p, struct gfile *f, const struct iovec *iov, int cnt)
{
	uint32_t total = 0;
	for (int i = 0; i < cnt; i++)
		total += iov[i].iov_len;
	struct src s = { p, iov, cnt, NULL };
	return do_write(p, f, &s, total);
}

long pipe_read(struct proc *p, struct gfile *f, const struct iovec *iov, int cnt)
{
	struct pipe *pp = f->pipe;
	uint32_t done = 0, total = 0;
	int freed = 0, i = 0;
	uint32_t at = 0;                /* into iov[i] */
	for (int k = 0; k < cnt; k++)
		total += iov[k].iov_len;
	if (!total)
		return 0;
	long err = 0;
	while (!empty(pp) && done < total) {
		struct pslot *sl = slot_at(pp, pp->tail);
		while (i < cnt && at == iov[i].iov_len) {
			i++;
			at = 0;
		}
		uint32_t chars = sl->len;
		if (i < cnt && chars > iov[i].iov_len - at)
			chars = iov[i].iov_len - at;
		if (chars && copy_to_user(p, (uint32_t)iov[i].iov_base + at, sl->page + sl->offset, chars)) {
			err = -EFAULT;
			break;
		}
		done += chars;
		at += chars;
		sl->offset += chars;
		sl->len -= chars;
		if (!sl->len) {
			slot_release(pp);
			freed = 1;
		}
	}
	if (freed)
		wake(&pp->writers);
	if (done || err)
		return done ? (long)done : err;
	if (!pp->writers)
		return 0;                       /* EOF */
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	if (sig_pending(p))
		return -ERESTARTSYS;
	return sched_block(p, &pp->readers, 1);
}

/* For sendfile into a pipe: how much surely fits now (the free slots'
 * pages), or (when nothing does) BLOCK, -EAGAIN, -ERESTARTSYS or -EPIPE
 * as for a write. */
long pipe_room(struct proc *p, struct gfile *f)
{
	struct pipe *pp = f->pipe;
	if (!pp->readers) {
		sigpipe(p);
		return -EPIPE;
	}
	if (!full(pp))
		return (long)(pp->ring_size - (pp->head - pp->tail)) * PAGE;
	if (f->flags & O_NONBLOCK)
		return -EAGAIN;
	if (sig_pending(p))
		return -ERESTARTSYS;
	return sched_block(p, &pp->writers, 1);
}

/* Append n bytes of ours (n no more than pipe_room said), as a write. */
void pipe_put(struct proc *p, struct gfile *f, const void *buf, uint32_t n)
{
	struct src s = { p, NULL, 0, buf };
	uint32_t saved = p->partial;
	p->partial = 0;
	do_write(p, f, &s, n);
	p->partial = saved;
}

static void pipe_free(struct pipe *pp)
{
	if (pp->is_fifo)
		for (struct pipe **at = &fifos; *at; at = &(*at)->next_fifo)
			if (*at == pp) {
				*at = pp->next_fifo;
				break;
			}
	while (!empty(pp))
		slot_release(pp);
	free(pp->spare);
	free(pp->slots);
	free(pp);
}

/* One end less; the last end gone, the pipe (and a FIFO's bytes) go. */
static void end_put(struct pipe *pp, int reader, int writer)
{
	if (writer) {
		pp->writers--;
		wake(&pp->readers);       /* they may see EOF now */
	}
	if (reader) {
		pp->readers--;
		wake(&pp->writers);       /* they get EPIPE now */
	}
	if (!pp->readers && !pp->writers)
		pipe_free(pp);
}

void pipe_release(struct gfile *f)
{
	end_put(f->pipe, reads(f), writes(f));
}

/* F_GETPIPE_SZ and F_SETPIPE_SZ (fileops.c has checked f is a pipe). */
long pipe_fcntl(struct gfile *f, int cmd, uint32_t arg)
{
	struct pipe *pp = f->pipe;
	if (cmd == F_GETPIPE_SZ)
		return (long)(pp->ring_size * PAGE);
	uint32_t size = round_pipe_size(arg), slots = size / PAGE;
	if (!size)
		return -EINVAL;
	/* Past pipe-max-size only with CAP_SYS_RESOURCE, which root (all
	 * of the guest, for now) has: so no EPERM here yet. */
	if (slots > PIPE_MAX_SLOTS)
		return -ENOMEM;
	struct pslot *ring = calloc(slots, sizeof *ring);
	if (!ring)
		return -ENOMEM;
	uint32_t used = pp->head - pp->tail;
	if (used > slots) {
		free(ring);
		return -EBUSY;
	}
	for (uint32_t i = 0; i < used; i++)
		ring[i] = *slot_at(pp, pp->tail + i);
	free(pp->slots);
	pp->slots = ring;
	pp->ring_size = slots;
	pp->tail = 0;
	pp->head = used;
	wake(&pp->writers);             /* more room, perhaps */
	return (long)size;
}

long pipe_fstat(struct gfile *f, void *stp)
{
	struct stat64 *st = stp;
	if (f->hostfd >= 0)             /* a FIFO: its host file says */
		return __syscall2(__NR_fstat64, f->hostfd, st);
	memset(st, 0, sizeof *st);
	st->st_dev = MKDEV64(0, 12);
	st->st_ino = st->__st_ino = f->pipe->id;
	st->st_mode = S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

/* FIONREAD: the bytes in the pipe. */
long pipe_nread(struct gfile *f)
{
	struct pipe *pp = f->pipe;
	long n = 0;
	for (uint32_t i = pp->tail; i != pp->head; i++)
		n += slot_at(pp, i)->len;
	return n;
}

/* What poll would report for this end. */
int pipe_poll(struct gfile *f)
{
	struct pipe *pp = f->pipe;
	int mask = 0;
	if (writes(f))
		mask |= (full(pp) ? 0 : POLLOUT | POLLWRNORM) | (pp->readers ? 0 : POLLERR);
	if (reads(f))        /* a hang-up only once a writer came (a FIFO opened first) */
		mask |= (empty(pp) ? 0 : POLLIN | POLLRDNORM) |
		        (pp->writers || f->writers_seen == pp->writers_ever ? 0 : POLLHUP);
	return mask;
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
		pp->slots = calloc(PIPE_DEF_BUFFERS, sizeof *pp->slots);
	if (!pp || !pp->slots || !r || !w) {
		if (pp)
			free(pp->slots);
		free(pp);
		free(r);
		free(w);
		return -ENFILE;
	}
	pp->ring_size = PIPE_DEF_BUFFERS;
	pp->readers = pp->writers = 1;
	pp->readers_ever = pp->writers_ever = 1;
	pp->id = next_id++;
	r->pipe = w->pipe = pp;
	/* Both descriptors below RLIMIT_NOFILE, or neither (EMFILE). */
	int fds[2];
	fds[0] = fd_install(p, r, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? fds[0] : fd_install(p, w, 0, flags & O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(p, ufds, fds, sizeof fds)) {
		long err = fds[1] < 0 ? fds[1] : -EFAULT;
		if (fds[0] >= 0)
			fd_clear(p, fds[0]);
		if (fds[1] >= 0)
			fd_clear(p, fds[1]);
		file_put(r);
		file_put(w);
		return err;
	}
	return 0;
}

/* ---- Named pipes (FIFOs) ----
 *
 * The host has the FIFO's name (mknod makes it there); the pipe behind it
 * is ours, found by the host file's device and inode numbers, made by
 * its first opener and gone with its last.  Opens follow Linux's
 * fifo_open, as the host kernel's do (docs/03): O_RDONLY waits for a
 * writer and O_WRONLY for a reader ("a partner has opened since I came":
 * the counts of opens ever made), O_NONBLOCK readers open at once and
 * writers with no reader get ENXIO, O_RDWR never waits.  A waiting open
 * is counted as an end while it waits; a woken call runs again from the
 * start (sched.c), and p->fifo_wait says it was waiting already.
 */

static struct pipe *fifo_find(uint64_t dev, uint64_t ino)
{
	for (struct pipe *pp = fifos; pp; pp = pp->next_fifo)
		if (pp->dev == dev && pp->ino == ino)
			return pp;
	struct pipe *pp = calloc(1, sizeof *pp);
	if (pp)
		pp->slots = calloc(PIPE_DEF_BUFFERS, sizeof *pp->slots);
	if (!pp || !pp->slots) {
		free(pp);
		return NULL;
	}
	pp->ring_size = PIPE_DEF_BUFFERS;
	pp->is_fifo = 1;
	pp->dev = dev;
	pp->ino = ino;
	pp->next_fifo = fifos;
	fifos = pp;
	return pp;
}

/* A waiting open of p's that will not come back (a signal, or p's exit). */
void fifo_abandon(struct proc *p)
{
	struct pipe *pp = p->fifo_wait;
	if (!pp)
		return;
	p->fifo_wait = NULL;
	int reader = (p->fifo_flags & O_ACCMODE) == O_RDONLY;
	end_put(pp, reader, !reader);
}

long fifo_open(struct proc *p, int hostfd, const struct stat64 *st, int flags, struct gfile **out)
{
	struct pipe *pp = fifo_find(st->st_dev, st->st_ino);
	if (!pp)
		return -ENOMEM;
	int acc = flags & O_ACCMODE;
	if (p->fifo_wait == pp && p->fifo_flags == flags) {     /* woken: was it a partner? */
		uint32_t now = acc == O_RDONLY ? pp->writers_ever : pp->readers_ever;
		if (now == p->fifo_seen) {
			if (!sig_pending(p))
				return sched_block(p, &pp->readers_ever, 1);
			fifo_abandon(p);
			return -ERESTARTSYS;
		}
		p->fifo_wait = NULL;            /* counted already: open */
	} else {
		if (p->fifo_wait)
			fifo_abandon(p);
		switch (acc) {
		case O_RDONLY:
			pp->readers++, pp->readers_ever++;
			break;
		case O_WRONLY:
			if (!pp->readers && (flags & O_NONBLOCK)) {
				if (!pp->readers && !pp->writers)
					pipe_free(pp);
				return -ENXIO;
			}
			pp->writers++, pp->writers_ever++;
			break;
		case O_RDWR:
			pp->readers++, pp->readers_ever++;
			pp->writers++, pp->writers_ever++;
			break;
		default:
			if (!pp->readers && !pp->writers)
				pipe_free(pp);
			return -EINVAL;
		}
		sched_wake(&pp->readers_ever);          /* whoever waits for us */
		int wait = (acc == O_RDONLY && !pp->writers && !(flags & O_NONBLOCK)) ||
		           (acc == O_WRONLY && !pp->readers);
		if (wait) {
			p->fifo_wait = pp;
			p->fifo_flags = flags;
			p->fifo_seen = acc == O_RDONLY ? pp->writers_ever : pp->readers_ever;
			if (!sig_pending(p))
				return sched_block(p, &pp->readers_ever, 1);
			fifo_abandon(p);
			return -ERESTARTSYS;
		}
	}
	struct gfile *f = file_new(F_PIPE, flags & (O_ACCMODE | O_NONBLOCK));
	if (!f) {
		end_put(pp, acc != O_WRONLY, acc != O_RDONLY);
		return -ENOMEM;
	}
	f->pipe = pp;
	f->hostfd = hostfd;
	if (acc == O_RDONLY && (flags & O_NONBLOCK) && !pp->writers)
		f->writers_seen = pp->writers_ever;     /* no hang-up before a writer */
	*out = f;
	return 0;
}
