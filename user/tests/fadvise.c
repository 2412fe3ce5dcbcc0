/*
 * fadvise64 and fadvise64_64 (posix_fadvise; glibc's cat calls it on
 * every file): Linux ignores the advice on files in RAM and keeps only
 * its checks, in this order: the descriptor (EBADF, an O_PATH one too),
 * a pipe or FIFO (ESPIPE, whatever the advice), a negative length or an
 * unknown advice (EINVAL).  The offset is never looked at.
 */
#include "check.h"
#include <sys/stat.h>
#include <sys/syscall.h>

#define O_PATH_ 010000000

/* fadvise64: fd, offset (two words), a 32-bit length, advice. */
static long fadvise32(int fd, long long off, uint32_t len, long advice)
{
	return __syscall_ret(raw_syscall6(__NR_fadvise64, fd, (long)off, (long)(off >> 32), len, advice, 0));
}

/* fadvise64_64: fd, offset and length in two words each, advice. */
static long fadvise64(int fd, long long off, long long len, long advice)
{
	return __syscall_ret(raw_syscall6(__NR_fadvise64_64, fd, (long)off, (long)(off >> 32), (long)len,
	                                  (long)(len >> 32), advice));
}

static void good_and_bad(int fd, int want_err)
{
	for (long advice = 0; advice <= 5; advice++) {     /* NORMAL .. NOREUSE */
		if (want_err) {
			CHECK_ERR(fadvise64(fd, 0, 0, advice), want_err);
			CHECK_ERR(fadvise32(fd, 0, 0, advice), want_err);
		} else {
			CHECK_EQ(fadvise64(fd, 0, 0, advice), 0);
			CHECK_EQ(fadvise32(fd, 4096, 100, advice), 0);
		}
	}
	int bad = want_err ? want_err : EINVAL;            /* EBADF and ESPIPE come first */
	CHECK_ERR(fadvise64(fd, 0, 0, 6), bad);
	CHECK_ERR(fadvise64(fd, 0, 0, -1), bad);
	CHECK_ERR(fadvise32(fd, 0, 0, 100), bad);
	CHECK_ERR(fadvise64(fd, 0, -1, 0), bad);           /* a negative length */
	if (!want_err) {
		CHECK_EQ(fadvise32(fd, 0, 0xffffffffu, 0), 0); /* 4 GiB - 1, not negative */
		CHECK_EQ(fadvise64(fd, -4096, 10, 0), 0);      /* the offset is not checked */
		CHECK_EQ(fadvise64(fd, 1LL << 62, 1LL << 62, 4), 0);
	}
}

int main(void)
{
	int fd;
	CHECK_OK(fd = open("/tmp/fadvise", O_RDWR | O_CREAT | O_TRUNC, 0644));
	CHECK_EQ(write(fd, "data\n", 5), 5);
	good_and_bad(fd, 0);
	char buf[8] = "";
	CHECK_EQ(pread64(fd, buf, 5, 0), 5);                /* nothing changed */
	CHECK(!memcmp(buf, "data\n", 5));
	CHECK_OK(close(fd));

	/* Read-only, and write-only: advice does not need read access. */
	CHECK_OK(fd = open("/tmp/fadvise", O_WRONLY));
	good_and_bad(fd, 0);
	CHECK_OK(close(fd));

	int p[2];
	CHECK_OK(pipe(p));
	good_and_bad(p[0], ESPIPE);
	good_and_bad(p[1], ESPIPE);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));

	CHECK_OK(mknod("/tmp/fadvise_fifo", S_IFIFO | 0600, 0));
	CHECK_OK(fd = open("/tmp/fadvise_fifo", O_RDONLY | O_NONBLOCK));
	good_and_bad(fd, ESPIPE);
	CHECK_OK(close(fd));
	CHECK_OK(unlink("/tmp/fadvise_fifo"));

	CHECK_OK(fd = open("/dev/null", O_RDWR));
	good_and_bad(fd, 0);
	CHECK_OK(close(fd));

	CHECK_OK(fd = open("/tmp", O_RDONLY));              /* a directory */
	good_and_bad(fd, 0);
	CHECK_OK(close(fd));

	CHECK_OK(fd = open("/tmp/fadvise", O_PATH_));
	good_and_bad(fd, EBADF);
	CHECK_OK(close(fd));
	good_and_bad(fd, EBADF);                            /* closed */
	good_and_bad(-1, EBADF);
	good_and_bad(1000000, EBADF);
	CHECK_OK(unlink("/tmp/fadvise"));
	return 0;
}
