/*
 * Small calls: getpid/getppid, sched_yield, uname, getrandom, ugetrlimit
 * and prlimit64, readlink("/proc/self/exe").
 */
#include "check.h"
#include <sched.h>
#include <sys/random.h>
#include <sys/resource.h>

static void test_pids(void)
{
	pid_t me = getpid(), parent = getppid();
	CHECK(me > 1);
	CHECK(parent >= 1);
	CHECK(parent != me);
	CHECK_EQ(getpid(), me);             /* stable */
	CHECK_EQ(gettid(), me);             /* single-threaded: tid == pid */

	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		/* In the child: a new pid, and we are its parent. */
		if (getpid() == me || getppid() != me)
			_exit(1);
		_exit(0);
	}
	CHECK(pid != me);
	CHECK_EQ(wait_status(pid), 0);
	CHECK_EQ(sched_yield(), 0);
}

static void test_uname(void)
{
	struct new_utsname u;
	memset(&u, 0x55, sizeof(u));
	CHECK_OK(uname(&u));
	CHECK_STR(u.sysname, "Linux");      /* programs compare it */
	CHECK_STR(u.machine, "i686");
	CHECK(u.release[0] >= '1' && u.release[0] <= '9');
	CHECK(strlen(u.version) > 0);
	CHECK(memchr(u.nodename, 0, sizeof(u.nodename)) != NULL);
	CHECK(memchr(u.domainname, 0, sizeof(u.domainname)) != NULL);
	CHECK_ERR(uname((void *)0), EFAULT);
}

static void test_getrandom(void)
{
	unsigned char a[16], b[16], zero[16] = { 0 };
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	CHECK_EQ(getrandom(a, sizeof(a), 0), 16);
	CHECK_EQ(getrandom(b, sizeof(b), GRND_NONBLOCK), 16);
	CHECK(memcmp(a, zero, 16) != 0);
	CHECK(memcmp(a, b, 16) != 0);
	CHECK_EQ(getrandom(a, 0, 0), 0);
	CHECK_ERR(getrandom(a, 16, 0x40), EINVAL);       /* unknown flag */
	CHECK_ERR(getrandom((void *)0, 16, 0), EFAULT);
}

static void test_rlimit(void)
{
	struct rlimit r;
	struct rlimit64 r64;

	CHECK_OK(getrlimit(RLIMIT_NOFILE, &r));
	CHECK(r.rlim_cur >= 64);
	CHECK(r.rlim_cur <= r.rlim_max);
	CHECK_OK(prlimit64(0, RLIMIT_NOFILE, NULL, &r64));
	CHECK_EQ(r64.rlim_cur, r.rlim_cur);
	CHECK_EQ(r64.rlim_max, r.rlim_max);

	CHECK_OK(getrlimit(RLIMIT_STACK, &r));
	CHECK(r.rlim_cur >= 128 * 1024);                  /* Linux: 8 MiB */
	CHECK_ERR(getrlimit(RLIM_NLIMITS, &r), EINVAL);
	CHECK_ERR(getrlimit(RLIMIT_NOFILE, (void *)0), EFAULT);
}

static void test_proc_self_exe(char *argv0)
{
	char buf[256];
	memset(buf, 'x', sizeof(buf));
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf));
	CHECK(n > 0 && n < (ssize_t)sizeof(buf));
	CHECK_EQ(buf[n], 'x');                          /* readlink adds no NUL */
	buf[n] = 0;
	CHECK_STR(buf, argv0);                          /* runtests runs us by absolute path */

	/* A short buffer gets a truncated name and its length. */
	CHECK_EQ(readlink("/proc/self/exe", buf, 3), 3);
	CHECK(!memcmp(buf, argv0, 3));
	CHECK_ERR(readlink("/proc/self/exe", buf, 0), EINVAL);
	CHECK_ERR(readlink("/tests", buf, sizeof(buf)), EINVAL);    /* not a link */
	CHECK_ERR(readlink("/no/such/file", buf, sizeof(buf)), ENOENT);
}

static void test_enosys(void)
{
	CHECK_ERR(syscall(9999), ENOSYS);           /* no such call */
	CHECK_ERR(syscall(-1), ENOSYS);
	CHECK_ERR(syscall(__NR_break), ENOSYS);     /* a number Linux never implemented */
}

int main(int argc, char **argv)
{
	(void)argc;
	test_enosys();
	test_pids();
	test_uname();
	test_getrandom();
	test_rlimit();
	test_proc_self_exe(argv[0]);
	return 0;
}
