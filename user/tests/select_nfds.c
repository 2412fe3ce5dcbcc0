/*
 * select's nfds, as Linux 6.1 takes it (_newselect and pselect6 alike):
 * negative is EINVAL; anything larger than the descriptor table is cut
 * down to the table's size, so that set bits past it are never looked at
 * (nor even read from memory), while a set bit for a descriptor within
 * it that is not open is EBADF.  The table has 32 slots at first, and
 * grows to the power of two above any descriptor made past its end (as
 * measured on Linux 6.1); a child's table is as big as the descriptors it
 * inherits need.  And the timeval: tv_usec of a
 * million or more counts as seconds, a negative remainder is EINVAL.
 */
#include "check.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define INT_MAX 0x7fffffff
#define INT_MIN (-INT_MAX - 1)
#define WORDS (2048 / 32)       /* sets big enough for any nfds we clamp to */

struct tv { long sec, usec; };
struct ts { long sec, nsec; };

static long sel(int n, uint32_t *in, uint32_t *out, struct tv *tv)
{
	return syscall(__NR__newselect, n, in, out, NULL, tv);
}

static long psel(int n, uint32_t *in, struct ts *ts)
{
	return syscall(__NR_pselect6, n, in, NULL, NULL, ts, NULL);
}

static void set_bit(uint32_t *set, int fd) { set[fd / 32] |= 1u << (fd % 32); }

/* select(n) on a set with just `fd`, timeout 0: the result. */
static long one(int n, int fd)
{
	static uint32_t in[WORDS];
	struct tv zero = { 0, 0 };
	memset(in, 0, sizeof in);
	set_bit(in, fd);
	return sel(n, in, NULL, &zero);
}

static long pone(int n, int fd)
{
	static uint32_t in[WORDS];
	struct ts zero = { 0, 0 };
	memset(in, 0, sizeof in);
	set_bit(in, fd);
	return psel(n, in, &zero);
}

/* The cases, with fd 3 a readable pipe end and nothing else open above
 * 2, in a table of `table` slots. */
static void check_nfds(int table)
{
	struct tv zero = { 0, 0 };
	struct ts tzero = { 0, 0 };
	CHECK_EQ(sel(0, NULL, NULL, &zero), 0);
	CHECK_EQ(psel(0, NULL, &tzero), 0);
	CHECK_ERR(sel(-1, NULL, NULL, &zero), EINVAL);
	CHECK_ERR(psel(-1, NULL, &tzero), EINVAL);
	CHECK_ERR(sel(INT_MIN, NULL, NULL, &zero), EINVAL);
	int ns[] = { 4, table, 1024, 1025, INT_MAX };
	for (unsigned i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		int n = ns[i];
		CHECK_EQ(one(n, 3), 1);                 /* readable */
		CHECK_EQ(pone(n, 3), 1);
		CHECK_EQ(sel(n, NULL, NULL, &zero), 0);
		if (n > 10) {
			CHECK_ERR(one(n, 10), EBADF);   /* within the table, not open */
			CHECK_ERR(pone(n, 10), EBADF);
		}
		if (n > table) {
			CHECK_EQ(one(n, table), 0);     /* past it: not looked at */
			CHECK_EQ(one(n, table + 100), 0);
			CHECK_EQ(pone(n, table), 0);
			CHECK_ERR(one(n, table - 1), EBADF);
		}
	}
	CHECK_EQ(one(3, 10), 0);                        /* below nfds only */
	CHECK_ERR(one(11, 10), EBADF);
}

/* A set of 4 bytes at the end of a page, nothing mapped after it. */
static uint32_t *short_set(void)
{
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(two != MAP_FAILED);
	CHECK_OK(munmap(two + 4096, 4096));
	return (uint32_t *)(two + 4096 - 4);
}

/* In a process whose table has 32 slots: nfds INT_MAX reads 4 bytes. */
static int small_table(void *unused)
{
	(void)unused;
	check_nfds(32);
	uint32_t *in = short_set();
	*in = 1u << 3;
	struct tv zero = { 0, 0 };
	CHECK_EQ(sel(INT_MAX, in, NULL, &zero), 1);
	CHECK_EQ(*in, 1u << 3);
	/* Descriptor 40 makes the table 64 slots, for good. */
	CHECK_EQ(dup2(0, 40), 40);
	CHECK_OK(close(40));
	*in = 1u << 3;
	CHECK_ERR(sel(INT_MAX, in, NULL, &zero), EFAULT);    /* now it reads 8 bytes */
	check_nfds(64);
	/* 200 makes it 256, and a child of ours with 200 open has 256 too. */
	CHECK_EQ(dup2(0, 200), 200);
	CHECK_OK(close(200));
	check_nfds(256);
	CHECK_EQ(dup2(0, 200), 200);
	pid_t pid = fork();
	if (pid == 0) {
		CHECK_OK(close(200));
		check_nfds(256);
		_exit(0);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK_OK(close(200));
	return 0;
}

static void test_timeval(void)
{
	uint32_t in[WORDS] = { 1u << 3 };
	struct tv tv = { 0, 1500000 };                  /* 1.5 s: fine */
	CHECK_EQ(sel(4, in, NULL, &tv), 1);
	in[0] = 1u << 3;
	tv = (struct tv){ 1, -1000000 };                /* 0 s: fine, and at once */
	CHECK_EQ(sel(4, NULL, NULL, &tv), 0);
	tv = (struct tv){ 0, -1 };
	CHECK_ERR(sel(4, in, NULL, &tv), EINVAL);
	tv = (struct tv){ -1, 0 };
	CHECK_ERR(sel(4, in, NULL, &tv), EINVAL);
	struct ts ts = { 0, 1000000000 };
	CHECK_ERR(psel(4, in, &ts), EINVAL);            /* a timespec must be normal */
	ts = (struct ts){ 0, -1 };
	CHECK_ERR(psel(4, in, &ts), EINVAL);
}

int main(void)
{
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	int p[2];
	CHECK_OK(pipe(p));
	CHECK_EQ(p[0], 3);
	CHECK_EQ(p[1], 4);
	CHECK_OK(close(4));                             /* 3 reads end of file: readable */
	/* A child made now has a 32-slot table whatever ours is. */
	CHECK_EQ(run_child(small_table, NULL), 0);
	test_timeval();
	return 0;
}
