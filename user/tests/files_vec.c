/*
 * preadv and pwritev (vectors at an offset the file's own offset does not
 * follow) and the old sendfile with its 32-bit offset: file to pipe with
 * an offset and without, file to file; their errors.
 */
#include "check.h"
#include <sys/uio.h>

#define F "/tmp/vec-a"
#define G "/tmp/vec-b"
#define LO(x) ((uint32_t)(x))

static long here(int fd) { return lseek(fd, 0, SEEK_CUR); }

static void test_preadv(int fd)
{
	char a[4], b[3], c[8];
	struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
	CHECK_EQ(here(fd), 16);
	CHECK_EQ(syscall(__NR_preadv, fd, iov, 2, 2, 0), 7);
	CHECK(!memcmp(a, "2345", 4) && !memcmp(b, "678", 3));
	CHECK_EQ(here(fd), 16);                         /* the file offset stays */
	CHECK_EQ(syscall(__NR_preadv, fd, iov, 2, 14, 0), 2);  /* short at the end */
	CHECK(!memcmp(a, "ef", 2));
	CHECK_EQ(syscall(__NR_preadv, fd, iov, 2, 16, 0), 0);
	CHECK_EQ(syscall(__NR_preadv, fd, iov, 2, 1000, 0), 0);
	CHECK_EQ(syscall(__NR_preadv, fd, iov, 0, 0, 0), 0);

	struct iovec w[2] = { { "AB", 2 }, { "CD", 2 } };
	CHECK_EQ(syscall(__NR_pwritev, fd, w, 2, 10, 0), 4);
	CHECK_EQ(here(fd), 16);
	CHECK_EQ(pread64(fd, c, 8, 8), 8);
	CHECK(!memcmp(c, "89ABCDef", 8));
	CHECK_EQ(syscall(__NR_pwritev, fd, w, 1, 20, 0), 2);   /* past the end: a hole */
	CHECK_EQ(pread64(fd, c, 8, 16), 6);
	CHECK(!memcmp(c, "\0\0\0\0AB", 6));
	CHECK_OK(ftruncate(fd, 16));

	CHECK_ERR(syscall(__NR_preadv, fd, iov, 2, 0, 0x80000000), EINVAL);  /* negative */
	CHECK_ERR(syscall(__NR_pwritev, fd, w, 2, 0xffffffff, 0xffffffff), EINVAL);
	CHECK_ERR(syscall(__NR_preadv, fd, iov, -1, 0, 0), EINVAL);
	CHECK_ERR(syscall(__NR_preadv, fd, iov, 1025, 0, 0), EINVAL);
	CHECK_ERR(syscall(__NR_preadv, fd, (void *)1, 2, 0, 0), EFAULT);
	CHECK_ERR(syscall(__NR_preadv, 999, iov, 2, 0, 0), EBADF);
	CHECK_ERR(syscall(__NR_pwritev, 999, w, 2, 0, 0), EBADF);
	struct iovec bad = { (void *)1, 4 };
	CHECK_ERR(syscall(__NR_preadv, fd, &bad, 1, 0, 0), EFAULT);
	int p[2], ro, wo;
	CHECK_OK(pipe(p));
	CHECK_ERR(syscall(__NR_preadv, p[0], iov, 2, 0, 0), ESPIPE);
	CHECK_ERR(syscall(__NR_pwritev, p[1], w, 2, 0, 0), ESPIPE);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(ro = open(F, O_RDONLY));
	CHECK_OK(wo = open(F, O_WRONLY));
	CHECK_ERR(syscall(__NR_pwritev, ro, w, 2, 0, 0), EBADF);
	CHECK_ERR(syscall(__NR_preadv, wo, iov, 2, 0, 0), EBADF);
	CHECK_OK(close(ro));
	CHECK_OK(close(wo));
}

static void test_sendfile(int fd)
{
	char buf[32];
	int p[2], out;
	int32_t off = 3;
	CHECK_OK(pipe(p));
	CHECK_EQ(syscall(__NR_sendfile, p[1], fd, &off, 4), 4);
	CHECK_EQ(off, 7);
	CHECK_EQ(here(fd), 16);                         /* an offset given: the file's stays */
	CHECK_EQ(read(p[0], buf, sizeof buf), 4);
	CHECK(!memcmp(buf, "3456", 4));
	off = 12;
	CHECK_EQ(syscall(__NR_sendfile, p[1], fd, &off, 100), 4);      /* to the end */
	CHECK_EQ(off, 16);
	CHECK_EQ(syscall(__NR_sendfile, p[1], fd, &off, 100), 0);
	CHECK_EQ(off, 16);
	CHECK_EQ(read(p[0], buf, sizeof buf), 4);
	CHECK(!memcmp(buf, "CDef", 4));
	CHECK_EQ(lseek(fd, 1, SEEK_SET), 1);
	CHECK_EQ(syscall(__NR_sendfile, p[1], fd, NULL, 5), 5);        /* from the file's own */
	CHECK_EQ(here(fd), 6);
	CHECK_EQ(read(p[0], buf, sizeof buf), 5);
	CHECK(!memcmp(buf, "12345", 5));

	/* File to file. */
	CHECK_OK(out = open(G, O_RDWR | O_CREAT | O_TRUNC, 0644));
	off = 0;
	CHECK_EQ(syscall(__NR_sendfile, out, fd, &off, 16), 16);
	CHECK_EQ(off, 16);
	CHECK_EQ(pread64(out, buf, sizeof buf, 0), 16);
	CHECK(!memcmp(buf, "0123456789ABCDef", 16));

	off = -1;
	CHECK_ERR(syscall(__NR_sendfile, p[1], fd, &off, 1), EINVAL);
	CHECK_ERR(syscall(__NR_sendfile, p[1], fd, (void *)1, 1), EFAULT);
	CHECK_ERR(syscall(__NR_sendfile, p[0], fd, NULL, 1), EBADF);   /* out not writable */
	CHECK_ERR(syscall(__NR_sendfile, p[1], 999, NULL, 1), EBADF);
	CHECK_ERR(syscall(__NR_sendfile, 999, fd, NULL, 1), EBADF);
	CHECK_OK(close(out));
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(unlink(G));
}

int main(void)
{
	int fd;
	CHECK_OK(fd = open(F, O_RDWR | O_CREAT | O_EXCL, 0644));
	CHECK_EQ(write(fd, "0123456789abcdef", 16), 16);
	test_preadv(fd);
	test_sendfile(fd);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(F));
	printf("files_vec: ok\n");
	return 0;
}
