/*
 * The kernel must not trust the flags user code enters with.  Here: the
 * direction flag.  A program may leave DF set when it makes a system call
 * (the ABI says it should not, but nothing stops it); a kernel that copies
 * with string instructions and forgets to clear DF on entry copies
 * backwards, corrupting its own memory.  Linux clears it; so must we.
 */
#include "check.h"
#include <fcntl.h>
#include <uapi/unistd.h>

/* write(fd, buf, n) with DF set for the duration of the call. */
static long write_with_df(int fd, const void *buf, long n)
{
	long ret;
	__asm__ volatile("std\n\tint $0x80\n\tcld"
			 : "=a"(ret) : "a"(__NR_write), "b"(fd), "c"(buf), "d"(n) : "memory");
	return ret;
}

static long read_with_df(int fd, void *buf, long n)
{
	long ret;
	__asm__ volatile("std\n\tint $0x80\n\tcld"
			 : "=a"(ret) : "a"(__NR_read), "b"(fd), "c"(buf), "d"(n) : "memory");
	return ret;
}

int main(void)
{
	int p[2];
	char in[64], out[64];
	for (int i = 0; i < 64; i++)
		out[i] = (char)('A' + i % 26);
	memset(in, 0, sizeof in);
	CHECK_OK(pipe(p));
	CHECK_EQ(write_with_df(p[1], out, 64), 64);
	CHECK_EQ(read_with_df(p[0], in, 64), 64);
	CHECK(!memcmp(in, out, 64));
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	return 0;
}
