/*
 * Self-tests of pipes (the ring buffer, and the two ends' rules without
 * sleeping: O_NONBLOCK throughout) and of descriptor tables.
 */
#include <kernel/selftest.h>
#include <uapi/poll.h>
#include "fs_test.h"

SELFTEST(pipe_ring_buffer)
{
	uint32_t pages = t_pages();
	static char in[5000], out[5000];
	for (int i = 0; i < 5000; i++)
		in[i] = (char)(i * 7);
	struct pipe *p = pipe_alloc();
	EXPECT(p);
	EXPECT(pipe_fill(p) == 0 && pipe_room(p) == 4096);
	EXPECT(pipe_put(p, in, 5000) == 4096);		/* only a page fits */
	EXPECT(pipe_room(p) == 0);
	EXPECT(pipe_get(p, out, 1000) == 1000 && memcmp(out, in, 1000) == 0);
	/* wrap around the end of the page */
	EXPECT(pipe_put(p, in + 4096, 904) == 904);
	EXPECT(pipe_get(p, out, 5000) == 4000);
	EXPECT(memcmp(out, in + 1000, 4000) == 0);
	EXPECT(pipe_fill(p) == 0 && pipe_get(p, out, 10) == 0);
	/* many small rounds carry the counters far past the page */
	for (int round = 0; round < 100; round++) {
		EXPECT(pipe_put(p, in + round, 333) == 333);
		EXPECT(pipe_get(p, out, 333) == 333 && memcmp(out, in + round, 333) == 0);
	}
	pipe_free(p);
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
	EXPECT(wr->ops->write(wr, big, 4093, &wr->pos) == 4093);		/* now full */
	EXPECT(wr->ops->write(wr, "x", 1, &wr->pos) == -EAGAIN);
	EXPECT(wr->ops->poll(wr) == 0);
	EXPECT(rd->ops->read(rd, buf, 3, &rd->pos) == 3 && memcmp(buf, "abc", 3) == 0);
	/* PIPE_BUF atomicity: 4 bytes do not fit in 3, so nothing is written */
	EXPECT(wr->ops->write(wr, "1234", 4, &wr->pos) == -EAGAIN);
	EXPECT(wr->ops->write(wr, "123", 3, &wr->pos) == 3);
	/* the reader drains; the writer leaves: data first, then end of file */
	long got = 0, r;
	while ((r = rd->ops->read(rd, big, sizeof big, &rd->pos)) > 0)
		got += r;
	EXPECT(got == 4096 && r == -EAGAIN);
	EXPECT(wr->ops->write(wr, "tail", 4, &wr->pos) == 4);
	file_put(wr);
	EXPECT(rd->ops->poll(rd) == (POLLIN | POLLRDNORM | POLLHUP));
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
	/* fill the table: EMFILE */
	int n = 0;
	for (;;) {
		file_get(a);
		int fd = fd_install(t, a, 0, false);
		if (fd < 0) {
			EXPECT(fd == -EMFILE);
			file_put(a);
			break;
		}
		n++;
	}
	EXPECT(n == 256 - 3);
	EXPECT(fd_lowest_free(t, 0) == -EMFILE);
	/* exit: every file is released exactly once */
	files_put(t);
	EXPECT(released == 2);
	EXPECT(t_pages() == pages);
}
