/*
 * prctl, as Linux 6.1 answers it: PR_SET_NAME/PR_GET_NAME (comm, cut to
 * 15 bytes), PR_SET_PDEATHSIG (the signal comes when the parent exits, is
 * not inherited, and goes when the ids change), PR_SET_DUMPABLE (0 or 1,
 * inherited, 0 after the ids change, 1 again after execve),
 * PR_SET_CHILD_SUBREAPER (orphans below come to us, not to init), and
 * EINVAL for an option Linux does not have.  No timing: every wait is for
 * a pipe or a signal.
 */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <uapi/prctl.h>

static long pr(int option, unsigned long arg2)
{
	long r = raw_syscall6(__NR_prctl, option, (long)arg2, 0, 0, 0, 0);
	return r < 0 && r > -4096 ? (errno = (int)-r, -1) : r;
}

static int get_int(int option)
{
	int v = -1;
	CHECK_OK(pr(option, (unsigned long)&v));
	return v;
}

static void test_name(void)
{
	char name[16], comm[32];
	CHECK_OK(pr(PR_GET_NAME, (unsigned long)name));
	CHECK_STR(name, "prctl");                       /* the program's name */
	CHECK_OK(pr(PR_SET_NAME, (unsigned long)"renamed"));
	memset(name, 'x', sizeof name);
	CHECK_OK(pr(PR_GET_NAME, (unsigned long)name));
	CHECK_STR(name, "renamed");
	int fd = open("/proc/self/comm", O_RDONLY);
	CHECK(fd >= 0);
	ssize_t n = read(fd, comm, sizeof comm - 1);
	CHECK(n > 0);
	comm[n] = 0;
	CHECK_STR(comm, "renamed\n");                   /* the same name */
	close(fd);
	CHECK_OK(pr(PR_SET_NAME, (unsigned long)"abcdefghijklmnopqrstu"));
	CHECK_OK(pr(PR_GET_NAME, (unsigned long)name));
	CHECK_STR(name, "abcdefghijklmno");             /* 15 bytes and a NUL */
	CHECK_ERR(pr(PR_SET_NAME, 0xc0000000), EFAULT);
	CHECK_ERR(pr(PR_GET_NAME, 0xc0000000), EFAULT);
	CHECK_OK(pr(PR_SET_NAME, (unsigned long)"prctl"));
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { (void)sig; got_usr1 = 1; }

/* A grandchild asks for SIGUSR1 when its parent dies; the parent dies;
 * the grandchild sees the signal and, we being a subreaper, us as its
 * parent, and says so through the pipe. */
static void test_pdeathsig_and_subreaper(void)
{
	CHECK_EQ(get_int(PR_GET_CHILD_SUBREAPER), 0);
	CHECK_OK(pr(PR_SET_CHILD_SUBREAPER, 1));
	CHECK_EQ(get_int(PR_GET_CHILD_SUBREAPER), 1);
	int report[2], ready[2];
	CHECK_OK(pipe(report));
	CHECK_OK(pipe(ready));
	pid_t me = getpid();
	pid_t middle = fork();
	CHECK(middle >= 0);
	if (middle == 0) {
		if (fork() == 0) {
			struct sigaction sa = { .sa_handler = on_usr1 };
			sigaction(SIGUSR1, &sa, 0);
			sigset_t block, none;
			sigemptyset(&block);
			sigaddset(&block, SIGUSR1);
			sigemptyset(&none);
			sigprocmask(SIG_BLOCK, &block, 0);
			int inherited = -1, sub = -1;
			pr(PR_GET_PDEATHSIG, (unsigned long)&inherited);
			pr(PR_GET_CHILD_SUBREAPER, (unsigned long)&sub);
			if (pr(PR_SET_PDEATHSIG, SIGUSR1) || write(ready[1], "r", 1) != 1)
				_exit(2);
			while (!got_usr1)
				sigsuspend(&none);
			char verdict = inherited == 0 && sub == 0 && getppid() == me ? 'y' : 'n';
			write(report[1], &verdict, 1);
			_exit(0);
		}
		char c;
		if (read(ready[0], &c, 1) != 1)     /* the grandchild is ready: now die */
			_exit(3);
		_exit(0);
	}
	CHECK_EQ(wait_status(middle), 0);
	char verdict = 0;
	CHECK_EQ(read(report[0], &verdict, 1), 1);
	CHECK_EQ(verdict, 'y');
	int status;
	CHECK(wait(&status) > 0);                       /* the grandchild is ours to reap */
	CHECK_EQ(status, 0);
	CHECK_OK(pr(PR_SET_CHILD_SUBREAPER, 0));
	close(report[0]), close(report[1]), close(ready[0]), close(ready[1]);

	CHECK_EQ(get_int(PR_GET_PDEATHSIG), 0);
	CHECK_ERR(pr(PR_SET_PDEATHSIG, 65), EINVAL);
	CHECK_OK(pr(PR_SET_PDEATHSIG, SIGUSR2));
	CHECK_EQ(get_int(PR_GET_PDEATHSIG), SIGUSR2);
	CHECK_ERR(pr(PR_GET_PDEATHSIG, 0xc0000000), EFAULT);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {                                 /* changing the ids forgets it */
		if (raw_syscall6(__NR_setresuid32, 1000, 1000, 1000, 0, 0, 0))
			_exit(2);
		_exit(get_int(PR_GET_PDEATHSIG) == 0 ? 0 : 3);
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK_OK(pr(PR_SET_PDEATHSIG, 0));
}

static void test_dumpable(char *self)
{
	CHECK_EQ(pr(PR_GET_DUMPABLE, 0), 1);
	CHECK_ERR(pr(PR_SET_DUMPABLE, 2), EINVAL);
	CHECK_OK(pr(PR_SET_DUMPABLE, 0));
	CHECK_EQ(pr(PR_GET_DUMPABLE, 0), 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(pr(PR_GET_DUMPABLE, 0) == 0 ? 0 : 3);    /* inherited */
	CHECK_EQ(wait_status(pid), 0);
	CHECK_OK(pr(PR_SET_DUMPABLE, 1));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		if (raw_syscall6(__NR_setresuid32, 1000, 1000, 1000, 0, 0, 0) || pr(PR_GET_DUMPABLE, 0) != 0)
			_exit(3);                       /* not dumpable once the ids change */
		char *argv[] = { self, "dumpable", 0 };
		execve(self, argv, 0);
		_exit(4);
	}
	CHECK_EQ(wait_status(pid), 0);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "dumpable"))
		return pr(PR_GET_DUMPABLE, 0) == 1 ? 0 : 5;    /* dumpable again after execve */
	test_name();
	test_pdeathsig_and_subreaper();
	test_dumpable(argv[0]);
	CHECK_ERR(pr(9999, 0), EINVAL);
	return 0;
}
