/*
 * Who owns /proc/PID's files: the process's effective ids while it is
 * "dumpable", root once it is not (Linux's task_dump_owner), except the
 * world-readable directories (/proc/PID itself), which keep the
 * effective ids.  A process that drops root with setresuid becomes
 * undumpable (fs.suid_dumpable is 0): its files then belong to root, so
 * it can no longer open its own mode-0400 files (environ, pagemap),
 * though the 0444 ones still read.  prctl(PR_SET_DUMPABLE, 1) gives
 * them back, and so does an execve (of a program that is not set-id).
 */
#include "creds.h"
#include <uapi/prctl.h>

#define prctl(op, a, b, c, d) syscall(__NR_prctl, op, a, b, c, d)
#include <sys/stat.h>

static void owner_is(const char *path, unsigned uid, unsigned gid)
{
	struct stat64 st;
	CHECK_OK(stat(path, &st));
	if (st.st_uid != uid || st.st_gid != gid)
		check_fail(__FILE__, __LINE__, "%s: owner %u:%u, expected %u:%u", path,
		           (unsigned)st.st_uid, (unsigned)st.st_gid, uid, gid);
}

static void opens(const char *path, int flags, int err)
{
	int fd = open(path, flags);
	if (err) {
		if (fd >= 0 || errno != err)
			check_fail(__FILE__, __LINE__, "open %s: %d (errno %d), expected errno %d", path, fd, errno, err);
	} else {
		if (fd < 0)
			check_fail(__FILE__, __LINE__, "open %s: errno %d", path, errno);
		close(fd);
	}
}

/* What uid 1000 sees of its own /proc/self, dumpable or not. */
static void check_self(int dumpable)
{
	unsigned u = dumpable ? USER : 0, g = dumpable ? GROUP : 0;
	CHECK_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), dumpable);
	owner_is("/proc/self", USER, GROUP);            /* dr-xr-xr-x: always the process's */
	owner_is("/proc/self/status", u, g);
	owner_is("/proc/self/fd", u, g);
	owner_is("/proc/self/environ", u, g);
	owner_is("/proc/self/pagemap", u, g);
	opens("/proc/self/status", O_RDONLY, 0);
	opens("/proc/self/maps", O_RDONLY, 0);
	opens("/proc/self/environ", O_RDONLY, dumpable ? 0 : EACCES);
	opens("/proc/self/pagemap", O_RDONLY, dumpable ? 0 : EACCES);
	char link[64];
	CHECK(readlink("/proc/self/cwd", link, sizeof link) > 0);    /* itself: always allowed */
	opens("/proc/self/fd", O_RDONLY | O_DIRECTORY, 0);          /* its own fd/, even root's */
	CHECK(readlink("/proc/self/fd/0", link, sizeof link) > 0);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "after-exec")) {     /* uid 1000, after execve */
		check_self(1);
		return 0;
	}
	CHECK_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	owner_is("/proc/self/status", 0, 0);
	pid_t pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		drop_to(USER, GROUP, 0, NULL);  /* root gives up its ids: undumpable */
		check_self(0);
		CHECK_OK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
		check_self(1);
		CHECK_OK(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
		check_self(0);
		execv(argv[0], (char *[]){ argv[0], "after-exec", NULL });
		_exit(99);
	}
	CHECK_EQ(wait_status(pid), 0);

	/* Root sees an undumpable process's files as root's: it may open them. */
	int ready[2], done[2];
	CHECK_OK(pipe(ready));
	CHECK_OK(pipe(done));
	pid = fork();
	CHECK_OK(pid);
	if (pid == 0) {
		drop_to(USER, GROUP, 0, NULL);
		char c = 1;
		write(ready[1], &c, 1);
		read(done[0], &c, 1);
		_exit(0);
	}
	char c, path[64];
	CHECK_EQ(read(ready[0], &c, 1), 1);
	snprintf(path, sizeof path, "/proc/%d", pid);
	owner_is(path, USER, GROUP);
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	owner_is(path, 0, 0);
	snprintf(path, sizeof path, "/proc/%d/environ", pid);
	opens(path, O_RDONLY, 0);
	CHECK_EQ(write(done[1], &c, 1), 1);
	CHECK_EQ(wait_status(pid), 0);
	return 0;
}
