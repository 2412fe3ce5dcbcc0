/*
 * Supplementary groups: getgroups and setgroups, 32-bit (getgroups32,
 * setgroups32) and 16-bit, as Linux 6.1 answers (getgroups(2)):
 *   - init has none; fork copies them;
 *   - the list comes back sorted, duplicates kept (Linux sorts it for its
 *     binary search; the man page says nothing of the order);
 *   - getgroups(0, any) is the count and touches no memory; a size below
 *     the count, or negative, is EINVAL; a bad buffer EFAULT;
 *   - setgroups needs root (EPERM, checked before everything else, even
 *     for an empty list); more than NGROUPS_MAX (65536) is EINVAL, and so
 *     is a gid of -1 in the list (0xffff in the 16-bit form); a bad
 *     buffer EFAULT; a failed call leaves the groups as they were;
 *   - NGROUPS_MAX groups are accepted, and checks see every one of them;
 *   - the 16-bit getgroups reports gids above 65535 as 65534.
 */
#include "creds.h"

static unsigned buf[8];

static void expect_groups(int n, const unsigned *want)
{
	CHECK_EQ(sc(__NR_getgroups32, 0, NULL), n);
	CHECK_EQ(sc(__NR_getgroups32, 0, (void *)1), n);	/* size 0: no store */
	memset(buf, 0xff, sizeof buf);
	CHECK_EQ(sc(__NR_getgroups32, 8, buf), n);
	for (int i = 0; i < n; i++)
		CHECK_EQ(buf[i], want[i]);
	CHECK_EQ(buf[n], 0xffffffffu);
}

static void root_sets(void)
{
	expect_groups(0, 0);
	static const unsigned in[] = { 30, 10, 20, 10 }, sorted[] = { 10, 10, 20, 30 };
	CHECK_OK(sc(__NR_setgroups32, 4, in));
	expect_groups(4, sorted);
	/* Errors leave them alone. */
	CHECK_ERR(sc(__NR_getgroups32, 3, buf), EINVAL);
	CHECK_ERR(sc(__NR_getgroups32, -1, buf), EINVAL);
	CHECK_ERR(sc(__NR_getgroups32, 4, (void *)1), EFAULT);
	CHECK_ERR(sc(__NR_setgroups32, 65537, in), EINVAL);
	CHECK_ERR(sc(__NR_setgroups32, -1, in), EINVAL);
	static const unsigned bad[] = { 1, 0xffffffffu };
	CHECK_ERR(sc(__NR_setgroups32, 2, bad), EINVAL);
	CHECK_ERR(sc(__NR_setgroups32, 2, (void *)1), EFAULT);
	CHECK_ERR(sc(__NR_setgroups, 2, (void *)1), EFAULT);
	static const unsigned short bad16[] = { 7, 0xffff };
	CHECK_ERR(sc(__NR_setgroups, 2, bad16), EINVAL);
	expect_groups(4, sorted);
	/* The 16-bit forms. */
	static const unsigned short in16[] = { 9, 8 };
	CHECK_OK(sc(__NR_setgroups, 2, in16));
	static const unsigned want16[] = { 8, 9 };
	expect_groups(2, want16);
	unsigned short g16[4] = { 0, 0, 0, 0x5a5a };
	CHECK_EQ(sc(__NR_getgroups, 3, g16), 2);
	CHECK(g16[0] == 8 && g16[1] == 9 && g16[2] == 0);
	CHECK_ERR(sc(__NR_getgroups, 1, g16), EINVAL);
	static const unsigned big[] = { 70000, 65535 };
	CHECK_OK(sc(__NR_setgroups32, 2, big));
	CHECK_EQ(sc(__NR_getgroups, 2, g16), 2);
	CHECK_EQ(g16[0], 65535);
	CHECK_EQ(g16[1], 65534);			/* 70000 overflows */
	CHECK_EQ(g16[3], 0x5a5a);
	/* Empty again. */
	CHECK_OK(sc(__NR_setgroups32, 0, NULL));
	expect_groups(0, 0);
}

/* NGROUPS_MAX of them, and the permission checks see the last one. */
static void many(void)
{
	unsigned *g = malloc(65536 * sizeof *g);
	CHECK(g);
	for (unsigned i = 0; i < 65536; i++)
		g[i] = 200000 - i;		/* descending: the kernel sorts */
	CHECK_OK(sc(__NR_setgroups32, 65536, g));
	memset(g, 0, 65536 * sizeof *g);
	CHECK_EQ(sc(__NR_getgroups32, 65536, g), 65536);
	CHECK_EQ(g[0], 200000 - 65535);
	CHECK_EQ(g[65535], 200000);
	CHECK_ERR(sc(__NR_getgroups32, 65535, g), EINVAL);
	free(g);
	/* A file only group 200000 may read, read by a user in that group. */
	make_file("/tmp/cred_groups.f", 0040, OTHER, 200000);
	CHECK_OK(sc(__NR_setresgid32, GROUP, GROUP, GROUP));
	CHECK_OK(sc(__NR_setresuid32, USER, USER, USER));
	int fd = open("/tmp/cred_groups.f", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_OK(close(fd));
	CHECK_ERR(open("/tmp/cred_groups.f", O_WRONLY), EACCES);
}

static void user_may_not(void)
{
	static const unsigned one[] = { GROUP };
	CHECK_ERR(sc(__NR_setgroups32, 0, NULL), EPERM);
	CHECK_ERR(sc(__NR_setgroups32, 1, one), EPERM);
	CHECK_ERR(sc(__NR_setgroups32, 70000, one), EPERM);	/* EPERM before EINVAL */
	CHECK_ERR(sc(__NR_setgroups, 1, one), EPERM);
	static const unsigned mine[] = { 3000, 4000 };
	expect_groups(2, mine);
	/* Inherited by fork. */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		expect_groups(2, mine);
		_exit(0);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(status, 0);
}

int main(void)
{
	static const unsigned mine[] = { 4000, 3000 };
	run_as(0, 0, 0, 0, root_sets);
	run_as(0, 0, 0, 0, many);
	run_as(USER, GROUP, 2, mine, user_may_not);
	unlink("/tmp/cred_groups.f");
	printf("cred_groups: ok\n");
	return 0;
}
