/*
 * Pipes: a ring of page-sized slots between two open files, the read end
 * and the write end, built as Linux 6.1 builds them, because how bytes
 * sit in pages decides when a pipe is full, and programs can see that.
 *
 * The ring has ring_size slots (16 by default: 64 KiB; a power of two,
 * F_SETPIPE_SZ changes it).  `head` counts every slot ever filled, `tail`
 * every slot ever emptied; both only grow (wrapping around 2^32, which
 * unsigned arithmetic handles), head - tail slots are in use and a slot's
 * place is its count modulo ring_size.  A slot in use holds a page and
 * the len bytes at offset in it.  The pipe is full when every slot is in
 * use, however few bytes they hold, and empty when none is.
 *
 * A write packs bytes as Linux does: the first total % PAGE_SIZE bytes of
 * a write join the last slot if they fit there behind its bytes (small
 * writes merge into one page that way); the rest goes a whole page per
 * new slot.  So a write of at most PIPE_BUF (one page) bytes always lands
 * whole, in the last slot or in one new slot: it waits while the pipe is
 * full, and is never split (POSIX's atomicity).  A longer write takes the
 * slots that are free and waits for more.  With O_NONBLOCK a full pipe is
 * EAGAIN, or a short count if part of the write went in.  A read takes
 * bytes from the oldest slots; a slot emptied is free again.  Readiness
 * follows: POLLIN while a slot is in use, POLLOUT while one is free.
 *
 * Pages are taken as slots fill and given back as they empty, keeping one
 * spare for the next write (Linux's tmp_page), so an idle pipe holds at
 * most one page and a closed pipe none.
 *
 * The other rules, as POSIX and Linux have them:
 *   - read blocks while the pipe is empty and a writer exists; with no
 *     writer left, an empty pipe reads as end of file (0);
 *   - a write with no reader left fails with EPIPE and raises SIGPIPE
 *     (fs_hook_sigpipe), keeping what it wrote before;
 *   - a fault on the caller's buffer ends the transfer: the bytes of the
 *     page-sized piece that faulted are not written (a write leaves that
 *     piece's slot empty but in use, as Linux does) or not consumed (a
 *     read); what came before counts, and with nothing before, EFAULT.
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
#include <lib/sysctl_text.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/stat.h>

#define PIPE_DEF_BUFFERS	16	/* slots of a new pipe: 64 KiB */
/*
 * The largest ring F_SETPIPE_SZ makes, even for root: Linux keeps a ring
 * as one kcalloc of 24-byte slots, which on i386 cannot exceed 4 MiB, so
 * 2^17 slots (512 MiB) is its largest power of two and a bigger size is
 * ENOMEM there.  We answer the same.
 */
#define PIPE_MAX_SLOTS		131072u

uint32_t pipe_max_size = 1048576;	/* fs.pipe-max-size: the limit for non-root users */

struct pipe_slot {
	char *page;			/* direct-mapped; NULL when the slot is free */
	uint32_t offset, len;		/* the bytes it holds */
};

struct pipe {
	struct pipe_slot *slots;	/* the ring: ring_size of them */
	uint32_t ring_size;		/* a power of two */
	uint32_t head, tail;		/* slots ever filled, ever emptied */
	char *spare;			/* an emptied slot's page, kept for the next write */
	int readers, writers;		/* open ends */
	uint32_t readers_ever, writers_ever;	/* opens of each end, for FIFO waits */
	struct inode *fifo;		/* a FIFO's inode (its priv is us), or NULL */
	struct waitq rwait, wwait;
	struct waitq open_wait;		/* FIFO openers waiting for the other end */
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

/* --- the ring (no sleeping: callers see to that) ---------------------------------- */

static bool pipe_empty(const struct pipe *p) { return p->head == p->tail; }
static bool pipe_full(const struct pipe *p) { return p->head - p->tail >= p->ring_size; }
static struct pipe_slot *slot_at(struct pipe *p, uint32_t n) { return &p->slots[n & (p->ring_size - 1)]; }

uint32_t pipe_fill(const struct pipe *p)
{
	uint32_t bytes = 0;
	for (uint32_t n = p->tail; n != p->head; n++)
		bytes += p->slots[n & (p->ring_size - 1)].len;
	return bytes;
}

uint32_t pipe_free_slots(const struct pipe *p) { return p->ring_size - (p->head - p->tail); }

/* A page for a new slot: the spare, or a fresh one; NULL if memory is out. */
static char *page_take(struct pipe *p)
{
	char *page = p->spare;
	if (page) {
		p->spare = 0;
		return page;
	}
	uint32_t phys = pmm_alloc_page();
	return phys ? phys_to_virt(phys) : 0;
}

/* The oldest slot is empty: free it, keeping its page as the spare. */
static void slot_release(struct pipe *p)
{
	struct pipe_slot *s = slot_at(p, p->tail);
	if (!p->spare)
		p->spare = s->page;
	else
		pmm_free_page(virt_to_phys(s->page));
	s->page = 0;
	p->tail++;
}

struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof *p);
	struct pipe_slot *slots = kzalloc(PIPE_DEF_BUFFERS * sizeof *slots);
	if (!p || !slots) {
		kfree(p);
		kfree(slots);
		return 0;
	}
	p->slots = slots;
	p->ring_size = PIPE_DEF_BUFFERS;
	return p;
}

void pipe_free(struct pipe *p)
{
	while (!pipe_empty(p))
		slot_release(p);
	if (p->spare)
		pmm_free_page(virt_to_phys(p->spare));
	kfree(p->slots);
	kfree(p);
}

/* The last end is closed: a FIFO's inode no longer has a pipe (the next
 * open makes a new, empty one, as on Linux). */
static void pipe_put_last(struct pipe *p)
{
	if (p->fifo)
		p->fifo->priv = 0;
	pipe_free(p);
}

/* Move a ring into `slots` slots (its bytes keep their order): 0, -EBUSY
 * if more slots are in use than that, -ENOMEM (Linux's order). */
static int pipe_resize(struct pipe *p, uint32_t slots)
{
	struct pipe_slot *ring = kzalloc(slots * sizeof *ring);
	if (!ring)
		return -ENOMEM;
	uint32_t used = p->head - p->tail;
	if (used > slots) {
		kfree(ring);
		return -EBUSY;
	}
	for (uint32_t i = 0; i < used; i++)
		ring[i] = *slot_at(p, p->tail + i);
	kfree(p->slots);
	p->slots = ring;
	p->ring_size = slots;
	p->tail = 0;
	p->head = used;
	return 0;
}

/* --- moving bytes --------------------------------------------------------------------- */

/* A kernel buffer as an rw_iter, for the kernel's own callers (sendfile, self-tests). */
struct kernel_iter {
	struct rw_iter it;
	char *at;
	bool out;		/* a read: bytes go out to the buffer */
};

static int kernel_iter_copy(struct rw_iter *it, void *kbuf, size_t n)
{
	struct kernel_iter *k = (struct kernel_iter *)it;
	if (k->out)
		memcpy(k->at, kbuf, n);
	else
		memcpy(kbuf, k->at, n);
	k->at += n;
	return 0;
}

/* Sleep on q until woken (interrupts off across the sleep, as sleep_on
 * wants); 0, or -ERESTARTSYS for a signal. */
static int pipe_wait(struct waitq *q)
{
	uint32_t irq = irq_save();
	int err = sleep_on(q);
	irq_restore(irq);
	return err;
}

/* The kernel is not preemptible and pipes are only touched by tasks, so
 * nothing changes a pipe between a check here and the sleep after it. */
static long pipe_read_iter(struct file *f, struct rw_iter *it, size_t n)
{
	struct pipe *p = f->priv;
	if (n == 0)
		return 0;
	size_t done = 0;
	long err = 0;
	bool freed = false;
	for (;;) {
		if (!pipe_empty(p)) {
			struct pipe_slot *s = slot_at(p, p->tail);
			size_t chars = s->len < n - done ? s->len : n - done;
			if (chars && it->copy(it, s->page + s->offset, chars)) {
				err = -EFAULT;
				break;
			}
			done += chars;
			s->offset += (uint32_t)chars;
			s->len -= (uint32_t)chars;
			if (!s->len) {
				slot_release(p);
				freed = true;
			}
			if (done == n)
				break;
			if (!pipe_empty(p))
				continue;
		}
		if (p->writers == 0 || done)
			break;			/* end of file, or what there was */
		if (f->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		err = pipe_wait(&p->rwait);
		if (err)
			break;			/* a signal: -ERESTARTSYS */
	}
	if (freed) {
		wake_up(&p->wwait);
		poll_notify();
	}
	return done ? (long)done : err;
}

static long pipe_write_iter(struct file *f, struct rw_iter *it, size_t total)
{
	struct pipe *p = f->priv;
	size_t done = 0;
	long err = 0;
	if (total == 0)
		return 0;
	if (p->readers == 0) {
		fs_hook_sigpipe();
		return -EPIPE;
	}
	/* The head of the write joins the last slot if it fits behind its bytes. */
	size_t head_bytes = total % PAGE_SIZE;
	if (head_bytes && !pipe_empty(p)) {
		struct pipe_slot *last = slot_at(p, p->head - 1);
		if (last->offset + last->len + head_bytes <= PAGE_SIZE) {
			if (it->copy(it, last->page + last->offset + last->len, head_bytes))
				return -EFAULT;
			last->len += (uint32_t)head_bytes;
			done = head_bytes;
			wake_up(&p->rwait);
			poll_notify();
		}
	}
	while (done < total) {
		if (p->readers == 0) {
			fs_hook_sigpipe();
			err = -EPIPE;
			break;
		}
		if (!pipe_full(p)) {
			char *page = page_take(p);
			if (!page) {
				err = -ENOMEM;
				break;
			}
			/* The slot is taken before the copy: if that faults, it stays, empty. */
			struct pipe_slot *s = slot_at(p, p->head++);
			*s = (struct pipe_slot){ page, 0, 0 };
			size_t n = total - done < PAGE_SIZE ? total - done : PAGE_SIZE;
			int fault = it->copy(it, page, n);
			wake_up(&p->rwait);
			poll_notify();
			if (fault) {
				err = -EFAULT;
				break;
			}
			s->len = (uint32_t)n;
			done += n;
			continue;
		}
		if (f->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		err = pipe_wait(&p->wwait);
		if (err)
			break;
	}
	return done ? (long)done : err;
}

static long pipe_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)pos;
	struct kernel_iter k = { { kernel_iter_copy }, buf, true };
	return pipe_read_iter(f, &k.it, n);
}

static long pipe_write(struct file *f, const void *buf, size_t n, uint64_t *pos)
{
	(void)pos;
	struct kernel_iter k = { { kernel_iter_copy }, (char *)buf, false };
	return pipe_write_iter(f, &k.it, n);
}

/* --- the two ends ------------------------------------------------------------------ */

static uint32_t pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;
	uint32_t mask = 0;
	if (file_readable(f)) {
		if (!pipe_empty(p))
			mask |= POLLIN | POLLRDNORM;
		if (p->writers == 0 && f->pipe_writers_seen != p->writers_ever)
			mask |= POLLHUP;
	}
	if (file_writable(f)) {
		if (!pipe_full(p))
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
		pipe_put_last(p);
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
	.read = pipe_read, .write = pipe_write,
	.read_iter = pipe_read_iter, .write_iter = pipe_write_iter,
	.poll = pipe_poll, .release = pipe_release, .ioctl = pipe_ioctl, .stream = true,
};

long pipe_fcntl(struct file *f, uint32_t cmd, uint32_t arg)
{
	if (f->ops != &pipe_fops)
		return -EBADF;
	struct pipe *p = f->priv;
	if (cmd == F_GETPIPE_SZ)
		return (long)(p->ring_size * PAGE_SIZE);
	uint32_t size = round_pipe_size(arg);
	if (!size)
		return -EINVAL;
	uint32_t slots = size / PAGE_SIZE;
	/* Growing past fs.pipe-max-size needs CAP_SYS_RESOURCE (root has it). */
	if (slots > p->ring_size && size > pipe_max_size && !task_capable_resource(current))
		return -EPERM;
	if (slots > PIPE_MAX_SLOTS)
		return -ENOMEM;
	int err = pipe_resize(p, slots);
	if (err)
		return err;
	wake_up(&p->wwait);		/* more room, perhaps */
	poll_notify();
	return (long)size;
}

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
	p->readers_ever = p->writers_ever = 1;
	return 0;
}

/* --- named pipes (FIFOs) ------------------------------------------------------------ */

/* Sleep until the count of opens of the other end moves on (a partner
 * came, even if it has gone again since, as Linux's wait_for_partner). */
static int fifo_wait_partner(struct pipe *p, const uint32_t *ever)
{
	uint32_t seen = *ever;
	while (*ever == seen) {
		int err = pipe_wait(&p->open_wait);
		if (err)
			return err;
	}
	return 0;
}

int fifo_open(struct inode *inode, struct file *f)
{
	struct pipe *p = inode->priv;
	if (!p) {
		p = pipe_alloc();
		if (!p)
			return -ENOMEM;
		p->fifo = inode;
		inode->priv = p;
	}
	f->priv = p;
	f->ops = &pipe_fops;
	int err = 0;
	bool reader = false, writer = false;
	switch (f->flags & O_ACCMODE) {
	case O_RDONLY:
		reader = true;
		p->readers++, p->readers_ever++;
		wake_up(&p->open_wait);
		if (!p->writers && (f->flags & O_NONBLOCK))
			f->pipe_writers_seen = p->writers_ever;	/* no hang-up before a writer */
		else if (!p->writers)
			err = fifo_wait_partner(p, &p->writers_ever);
		break;
	case O_WRONLY:
		if (!p->readers && (f->flags & O_NONBLOCK)) {
			err = -ENXIO;
			break;
		}
		writer = true;
		p->writers++, p->writers_ever++;
		wake_up(&p->open_wait);
		if (!p->readers)
			err = fifo_wait_partner(p, &p->readers_ever);
		break;
	case O_RDWR:	/* POSIX leaves it open; Linux opens at once */
		reader = writer = true;
		p->readers++, p->readers_ever++;
		p->writers++, p->writers_ever++;
		wake_up(&p->open_wait);
		break;
	default:
		err = -EINVAL;
	}
	if (!err)
		return 0;
	/* Not opened after all: as if this end had been closed at once. */
	if (reader)
		p->readers--;
	if (writer)
		p->writers--;
	wake_up(&p->rwait);
	wake_up(&p->wwait);
	if (p->readers == 0 && p->writers == 0)
		pipe_put_last(p);
	f->priv = 0;
	return err;
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
	/* Both descriptors below RLIMIT_NOFILE, or neither (EMFILE). */
	int fds[2];
	fds[0] = fd_install(current->files, rd, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? fds[0] : fd_install(current->files, wr, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			sys_close(fds[0]);
		else
			file_put(rd);
		file_put(wr);
		return fds[1];
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
