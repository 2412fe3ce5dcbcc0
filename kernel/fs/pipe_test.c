/*
 * Self-tests of pipes (the ring buffer, and the two ends' rules without
 * sleeping: O_NONBLOCK throughout) and of descriptor tables.
 */
#include <kernel/selftest.h>
#include <uapi/poll.h>
#include "fs_test.h"

/* Write n bytes of in through w; read n through r: what each returned. */
static long t_pwrite(struct file *w, const char *in, size_t n) { return w->ops->write(w, in, n, &w->pos); }
static long t_pread(struct file *r, char *out, size_t n) { return r->ops->read(r, out, n, &r->pos); }

SELFTEST(pipe_slots)
{
	uint32_t pages = t_pages();
	static char in[70000], out[70000];
	for (unsigned i = 0; i < sizeof in; i++)
		in[i] = (char)(i * 7 + i / 4096);
	struct file *rd, *wr;
	EXPECT(pipe_create(&rd, &wr, O_NONBLOCK) == 0);
	struct pipe *p = rd->priv;
	EXPECT(pipe_fill(p) == 0 && pipe_free_slots(p) == 16);
	EXPECT(pipe_fcntl(rd, F_GETPIPE_SZ, 0) == 65536);
	/* Small writes merge into one page. */
	for (int i = 0; i < 4096; i++)
		EXPECT(t_pwrite(wr, in + i, 1) == 1);
	EXPECT(pipe_fill(p) == 4096 && pipe_free_slots(p) == 15);
	EXPECT(t_pread(rd, out, 4096) == 4096 && memcmp(out, in, 4096) == 0);
	EXPECT(pipe_free_slots(p) == 16);
	/* A write's head fills the last page; the rest goes a page per slot. */
	EXPECT(t_pwrite(wr, in, 100) == 100);
	EXPECT(t_pwrite(wr, in + 100, 4096 + 200) == 4096 + 200);	/* 200 join, 4096 in one slot */
	EXPECT(pipe_fill(p) == 4396 && pipe_free_slots(p) == 14);
	EXPECT(t_pwrite(wr, in + 4396, 4000) == 4000);		/* does not fit behind: a slot */
	EXPECT(pipe_free_slots(p) == 13);
	/* Fill the rest: 13 slots of whole pages, then EAGAIN. */
	long n = t_pwrite(wr, in + 8396, sizeof in - 8396);
	EXPECT(n == 13 * 4096);
	EXPECT(pipe_free_slots(p) == 0 && pipe_fill(p) == 8396 + 13 * 4096);
	EXPECT(t_pwrite(wr, in, 1) == -EAGAIN);	/* full: the last page has no room... */
	/* ...and reading a part of the first slot frees no slot. */
	EXPECT(t_pread(rd, out, 50) == 50 && pipe_free_slots(p) == 0);
	EXPECT(wr->ops->poll(wr) == 0);
	EXPECT(t_pread(rd, out + 50, sizeof out) == (long)(8396 + 13 * 4096 - 50));
	EXPECT(memcmp(out, in, 8396 + 13 * 4096) == 0);
	EXPECT(t_pread(rd, out, 1) == -EAGAIN);
	/* One spare page stays while the pipe lives; closing frees everything. */
	file_put(rd);
	file_put(wr);
	EXPECT(t_pages() == pages);
}

SELFTEST(pipe_resize)
{
	uint32_t pages = t_pages();
	static char buf[8192];
	struct file *rd, *wr;
	EXPECT(pipe_create(&rd, &wr, O_NONBLOCK) == 0);
	struct pipe *p = rd->priv;
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 0) == 4096);		/* at least a page */
	EXPECT(pipe_fcntl(rd, F_GETPIPE_SZ, 0) == 4096);
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 4097) == 8192);	/* a power of two of pages */
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 3 * 4096) == 16384);
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 0x80000001u) == -EINVAL);
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 0xffffffffu) == -EINVAL);
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 0x80000000u) == -ENOMEM);	/* Linux's ring is too big */
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 0x40000000u) == -ENOMEM);
	EXPECT(pipe_fcntl(rd, F_GETPIPE_SZ, 0) == 16384);
	/* Data keeps its order across a resize; shrinking below it is EBUSY. */
	EXPECT(t_pwrite(wr, "abc", 3) == 3);
	EXPECT(t_pwrite(wr, buf, 4096) == 4096);			/* two slots now */
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 4096) == -EBUSY);
	EXPECT(t_pread(rd, buf, 3) == 3 && memcmp(buf, "abc", 3) == 0);
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 4096) == 4096);	/* one slot left in use */
	EXPECT(pipe_free_slots(p) == 0 && pipe_fill(p) == 4096);
	EXPECT(t_pwrite(wr, "x", 1) == -EAGAIN);
	EXPECT(pipe_fcntl(wr, F_SETPIPE_SZ, 65536) == 65536);
	EXPECT(t_pwrite(wr, "x", 1) == 1 && pipe_fill(p) == 4097);
	/* Not a pipe: EBADF. */
	struct file *other = file_alloc(0, 0, O_RDONLY);
	EXPECT(other && pipe_fcntl(other, F_GETPIPE_SZ, 0) == -EBADF);
	file_put(other);
	file_put(rd);
	file_put(wr);
	EXPECT(t_pages() == pages);
}

SELFTEST(pipe_ends_nonblocking)
{
	uint32_t pages = t_pages();
	static char big[4096];
	char buf[128];
	struct file *rd, *wr;
	EXPECT(pipe_create(&rd, &wr, O_NONBLOCK) == 0);
	EXPECT(S_ISFIFO(rd->inode->mode) && rd->inode == wr->inode);
	EXPECT(rd->ops->read(rd, buf, sizeof buf, &rd->pos) == -EAGAIN);	/* empty, writer alive */
	EXPECT(rd->ops->poll(rd) == 0);
	EXPECT(wr->ops->poll(wr) == (POLLOUT | POLLWRNORM));
	EXPECT(wr->ops->write(wr, "abc", 3, &wr->pos) == 3);
	EXPECT(rd->ops->poll(rd) == (POLLIN | POLLRDNORM));
	EXPECT(rd->ops->read(rd, buf, 3, &rd->pos) == 3 && memcmp(buf, "abc", 3) == 0);
	/* the reader drains; the writer leaves: data first, then end of file */
	EXPECT(wr->ops->write(wr, big, sizeof big, &wr->pos) == 4096);
	EXPECT(wr->ops->write(wr, "tail", 4, &wr->pos) == 4);
	file_put(wr);
	EXPECT(rd->ops->poll(rd) == (POLLIN | POLLRDNORM | POLLHUP));
	EXPECT(rd->ops->read(rd, big, sizeof big, &rd->pos) == 4096);
	EXPECT(rd->ops->read(rd, buf, sizeof buf, &rd->pos) == 4);
	EXPECT(rd->ops->read(rd, buf, sizeof buf, &rd->pos) == 0);
	file_put(rd);
	/* no reader: EPIPE, and POLLERR for the writer */
	EXPECT(pipe_create(&rd, &wr, 0) == 0);
	file_put(rd);
	EXPECT(wr->ops->write(wr, "x", 1, &wr->pos) == -EPIPE);
	EXPECT(wr->ops->poll(wr) == (POLLOUT | POLLWRNORM | POLLERR));
	EXPECT(wr->ops->write(wr, "", 0, &wr->pos) == 0);	/* writing nothing is fine */
	file_put(wr);
	/* a pipe without ends frees what it holds */
	struct pipe *p = pipe_alloc();
	EXPECT(p && pipe_fill(p) == 0 && pipe_free_slots(p) == 16);
	pipe_free(p);
	EXPECT(t_pages() == pages);
}

static int released;
static void count_release(struct file *f) { (void)f; released++; }
static const struct file_ops counting_ops = { .release = count_release };

SELFTEST(fd_table_operations)
{
	uint32_t pages = t_pages();
	struct files *t = files_new();
	EXPECT(t);
	released = 0;
	struct file *a = file_alloc(0, &counting_ops, O_RDONLY);
	struct file *b = file_alloc(0, &counting_ops, O_RDONLY);
	EXPECT(fd_install(t, a, 0, false) == 0);
	EXPECT(fd_install(t, b, 0, true) == 1);		/* the lowest free one */
	file_get(a);
	EXPECT(fd_install(t, a, 10, false) == 10);	/* the lowest free >= min */
	EXPECT(fd_lowest_free(t, 0) == 2 && fd_lowest_free(t, 10) == 11);
	/* fork: a new table naming the same files */
	struct files *child = files_dup(t);
	EXPECT(child && fd_peek(child, 0) == a && fd_peek(child, 1) == b);
	EXPECT(a->refcount == 4 && b->refcount == 2);
	/* exec: close-on-exec descriptors go, the others stay */
	files_close_on_exec(child);
	EXPECT(fd_peek(child, 1) == 0 && fd_peek(child, 0) == a && fd_peek(child, 10) == a);
	EXPECT(b->refcount == 1 && released == 0);
	files_put(child);
	EXPECT(a->refcount == 2 && released == 0);
	/* the table grows as Linux's: 32 slots, then the power of two above */
	EXPECT(files_table_size(t) == 32);
	file_get(a);
	EXPECT(fd_install(t, a, 32, false) == 32 && files_table_size(t) == 64);
	file_get(a);
	EXPECT(fd_install(t, a, 256, false) == 256 && files_table_size(t) == 512);
	/* a fork copies only as much table as the descriptors in use need */
	child = files_dup(t);
	EXPECT(child && files_table_size(child) == 512 && fd_peek(child, 256) == a);
	files_put(child);
	EXPECT(fd_remove(t, 256) == a);
	file_put(a);
	child = files_dup(t);
	EXPECT(child && files_table_size(child) == 64 && fd_peek(child, 32) == a);
	files_put(child);
	EXPECT(fd_remove(t, 32) == a);
	file_put(a);
	child = files_dup(t);
	EXPECT(child && files_table_size(child) == 32);
	files_put(child);
	/* fill up to a limit: EMFILE */
	int n = 0;
	for (;;) {
		file_get(a);
		int fd = fd_install_below(t, a, 0, 300, false);
		if (fd < 0) {
			EXPECT(fd == -EMFILE);
			file_put(a);
			break;
		}
		n++;
	}
	EXPECT(n == 300 - 3);
	EXPECT(fd_install_below(t, a, 299, 300, false) == -EMFILE);
	EXPECT(files_table_size(t) == 512);
	/* exit: every file is released exactly once */
	files_put(t);
	EXPECT(released == 2);
	EXPECT(t_pages() == pages);
}
