/*
 * Regular files: open flags (O_CREAT O_EXCL O_TRUNC O_APPEND O_DIRECTORY),
 * read/write/lseek/_llseek/pread64/pwrite64, readv/writev, sendfile64,
 * unlink of an open file, and the error returns (EBADF EFAULT EISDIR ENOTDIR ENOENT
 * EEXIST ENAMETOOLONG ESPIPE EINVAL EOVERFLOW).
 */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#define F "/tmp/files-a"
#define G "/tmp/files-b"

static void test_create(void)
{
	int fd;
	char buf[16];

	unlink(F);
	CHECK_ERR(open(F, O_RDONLY), ENOENT);
	CHECK_OK(fd = open(F, O_RDWR | O_CREAT | O_EXCL, 0644));
	CHECK_EQ(fd, 3);                            /* lowest free descriptor */
	CHECK_ERR(open(F, O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_EQ(write(fd, "hello world", 11), 11);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 11);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);    /* at the end */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(read(fd, buf, 5), 5);
	CHECK(!memcmp(buf, "hello", 5));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 6);    /* a short read: what is left */
	CHECK(!memcmp(buf, " world", 6));
	CHECK_OK(close(fd));
	CHECK_ERR(close(fd), EBADF);

	/* O_CREAT without O_EXCL opens the existing file, contents intact. */
	CHECK_OK(fd = open(F, O_RDWR | O_CREAT, 0600));
	CHECK_EQ(read(fd, buf, 5), 5);
	CHECK_OK(close(fd));

	/* O_TRUNC empties it. */
	CHECK_OK(fd = open(F, O_RDWR | O_TRUNC));
	CHECK_EQ(lseek(fd, 0, SEEK_END), 0);
	CHECK_OK(close(fd));

	/* creat = O_CREAT | O_WRONLY | O_TRUNC. */
	CHECK_OK(fd = creat(F, 0644));
	CHECK_EQ(write(fd, "abc", 3), 3);
	CHECK_ERR(read(fd, buf, 1), EBADF);
	CHECK_OK(close(fd));
	CHECK_OK(fd = open(F, O_RDONLY));
	CHECK_ERR(write(fd, "x", 1), EBADF);
	CHECK_EQ(read(fd, buf, 10), 3);
	CHECK_OK(close(fd));
}

static void test_seek(void)
{
	int fd;
	char buf[32];

	CHECK_OK(fd = open(F, O_RDWR | O_TRUNC));
	CHECK_EQ(write(fd, "0123456789", 10), 10);
	CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
	CHECK_EQ(lseek(fd, 3, SEEK_CUR), 5);
	CHECK_EQ(lseek(fd, -1, SEEK_END), 9);
	CHECK_EQ(read(fd, buf, 5), 1);
	CHECK_EQ(buf[0], '9');
	CHECK_ERR(lseek(fd, -20, SEEK_CUR), EINVAL);    /* before the start */
	CHECK_ERR(lseek(fd, 0, 7), EINVAL);             /* bad whence */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10);           /* unchanged by the errors */

	/* Past the end: a hole that reads as zeros. */
	CHECK_EQ(lseek(fd, 20, SEEK_SET), 20);
	CHECK_EQ(read(fd, buf, 1), 0);
	CHECK_EQ(write(fd, "Z", 1), 1);
	CHECK_EQ(pread64(fd, buf, 32, 0), 21);
	for (int i = 10; i < 20; i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(buf[20], 'Z');

	/* pread64/pwrite64 leave the offset alone. */
	CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
	CHECK_EQ(pwrite64(fd, "ab", 2, 15), 2);
	CHECK_EQ(pread64(fd, buf, 4, 14), 4);
	CHECK(!memcmp(buf, "\0ab\0", 4));
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3);
	CHECK_ERR(pread64(fd, buf, 4, -1), EINVAL);

	/* 64-bit offsets through _llseek; lseek cannot report them. */
	CHECK_EQ(lseek64(fd, 0x100000000LL, SEEK_SET), 0x100000000LL);
	CHECK_EQ(lseek64(fd, 5, SEEK_CUR), 0x100000005LL);
	CHECK_ERR(lseek(fd, 0, SEEK_CUR), EOVERFLOW);
	CHECK_EQ(lseek64(fd, -2, SEEK_END), 19);
	CHECK_ERR(lseek64(fd, -100, SEEK_SET), EINVAL);
	CHECK_OK(close(fd));
}

static void test_append(void)
{
	int fd, fd2;
	char buf[16];

	CHECK_OK(fd = open(F, O_WRONLY | O_TRUNC | O_APPEND));
	CHECK_OK(fd2 = open(F, O_WRONLY));
	CHECK_EQ(write(fd, "aaaa", 4), 4);
	CHECK_EQ(write(fd2, "B", 1), 1);            /* at offset 0 of its own */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, "cc", 2), 2);            /* O_APPEND: still at the end */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 6);
	CHECK_EQ(pwrite64(fd2, "D", 1, 1), 1);
	close(fd);
	close(fd2);
	CHECK_OK(fd = open(F, O_RDONLY));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 6);
	CHECK(!memcmp(buf, "BDaacc", 6));
	close(fd);
}

static void test_vectors(void)
{
	int fd;
	char a[4], b[6], c[8];
	struct iovec w[3] = { { "one", 3 }, { "", 0 }, { "twothree", 8 } };
	struct iovec r[3] = { { a, 4 }, { b, 6 }, { c, 8 } };

	CHECK_OK(fd = open(F, O_RDWR | O_TRUNC));
	CHECK_EQ(writev(fd, w, 3), 11);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(readv(fd, r, 3), 11);              /* fills a, b, then part of c */
	CHECK(!memcmp(a, "onet", 4));
	CHECK(!memcmp(b, "wothre", 6));
	CHECK_EQ(c[0], 'e');
	CHECK_EQ(writev(fd, w, 0), 0);
	CHECK_ERR(writev(fd, w, -1), EINVAL);
	CHECK_ERR(writev(fd, w, 1025), EINVAL);     /* more than IOV_MAX */
	CHECK_ERR(readv(fd, (struct iovec *)8, 1), EFAULT);
	CHECK_OK(close(fd));
}

static void test_errors(void)
{
	int fd;
	char buf[8];
	char longname[300];

	CHECK_ERR(read(99, buf, 1), EBADF);
	CHECK_ERR(write(-1, buf, 1), EBADF);
	CHECK_ERR(open("", O_RDONLY), ENOENT);
	CHECK_ERR(open((char *)1, O_RDONLY), EFAULT);
	CHECK_ERR(open("/tmp", O_WRONLY), EISDIR);
	CHECK_ERR(open("/tmp", O_RDWR), EISDIR);
	CHECK_ERR(open(F, O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(open(F "/x", O_RDONLY), ENOTDIR);
	CHECK_ERR(open(F "/x", O_RDWR | O_CREAT, 0644), ENOTDIR);
	CHECK_ERR(open("/no/such/dir/file", O_RDWR | O_CREAT, 0644), ENOENT);
	CHECK_ERR(open("/tmp/", O_RDWR | O_CREAT, 0644), EISDIR);

	memset(longname, 'n', sizeof(longname));
	memcpy(longname, "/tmp/", 5);
	longname[5 + 256] = 0;                      /* a 256-byte name: one too long */
	CHECK_ERR(open(longname, O_RDWR | O_CREAT, 0644), ENAMETOOLONG);

	CHECK_OK(fd = open(F, O_RDWR));
	CHECK_ERR(read(fd, (void *)4, 1), EFAULT);
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_ERR(write(fd, (void *)4, 1), EFAULT);
	CHECK_ERR(write(fd, (void *)0xc0000000, 1), EFAULT);  /* kernel memory */
	CHECK_OK(close(fd));

	CHECK_OK(fd = open("/tmp", O_RDONLY | O_DIRECTORY));
	CHECK_ERR(read(fd, buf, sizeof(buf)), EISDIR);
	CHECK_OK(close(fd));

	int p[2];
	CHECK_OK(pipe(p));
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(pread64(p[0], buf, 1, 0), ESPIPE);
	close(p[0]);
	close(p[1]);
}

/* An unlinked file lives on while it is open. */
static void test_unlink_open(void)
{
	int fd;
	char buf[8];
	struct stat64 st;

	CHECK_OK(fd = open(G, O_RDWR | O_CREAT | O_TRUNC, 0644));
	CHECK_EQ(write(fd, "still", 5), 5);
	CHECK_OK(unlink(G));
	CHECK_ERR(stat(G, &st), ENOENT);
	CHECK_ERR(unlink(G), ENOENT);
	CHECK_EQ(pread64(fd, buf, 8, 0), 5);
	CHECK(!memcmp(buf, "still", 5));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_nlink, 0);
	CHECK_EQ(st.st_size, 5);
	/* A new file of the same name is a different file. */
	int fd2 = open(G, O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK_OK(fd2);
	CHECK_EQ(read(fd2, buf, 8), 0);
	close(fd2);
	close(fd);
	CHECK_OK(unlink(G));
}

/* sendfile64(out, in, offset, count): file to pipe, with and without an offset. */
static void test_sendfile(void)
{
	int fd, p[2];
	long long off = 6;
	char buf[16];

	CHECK_OK(fd = open(F, O_RDWR | O_TRUNC));
	CHECK_EQ(write(fd, "0123456789", 10), 10);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_OK(pipe(p));
	CHECK_EQ(syscall(__NR_sendfile64, p[1], fd, NULL, 4), 4);     /* from the file offset */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4);
	CHECK_EQ(syscall(__NR_sendfile64, p[1], fd, &off, 100), 4);   /* from *offset, to EOF */
	CHECK_EQ(off, 10);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4);                          /* untouched */
	CHECK_EQ(syscall(__NR_sendfile64, p[1], fd, &off, 100), 0);   /* at EOF */
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 8);
	CHECK(!memcmp(buf, "01236789", 8));
	CHECK_ERR(syscall(__NR_sendfile64, p[0], fd, NULL, 1), EBADF);  /* out not writable */
	CHECK_ERR(syscall(__NR_sendfile64, p[1], 99, NULL, 1), EBADF);
	close(p[0]);
	close(p[1]);
	close(fd);
}

int main(void)
{
	test_create();
	test_seek();
	test_append();
	test_vectors();
	test_errors();
	test_unlink_open();
	test_sendfile();
	CHECK_OK(unlink(F));
	return 0;
}
