/*
 * creds.h: what the credential and permission tests share.
 *
 * The calls go through the raw system-call numbers, so that a test can
 * name the 16-bit form (setuid, 23) and the 32-bit one (setuid32, 213)
 * apart; sc() returns -1 and sets errno as libc would.
 *
 * as_user(uid, gid, fn) runs fn in a forked child that has dropped root
 * for good (setgroups to the given list, then setresgid and setresuid to
 * the ids), and checks that it exited 0: the tests look at the refusals an
 * ordinary user gets, not only at what root may do.  The tests start as
 * root: on this kernel init is root, and so is the oracle's (Linux runs
 * its initramfs /init as uid 0 with no supplementary groups).
 */
#ifndef CREDS_H
#define CREDS_H

#include "check.h"
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define sc(...) syscall(__VA_ARGS__)

#define USER	1000
#define GROUP	1000
#define OTHER	2000	/* another user and group */

static inline void drop_to(unsigned uid, unsigned gid, int ngroups, const unsigned *groups)
{
	CHECK_OK(sc(__NR_setgroups32, ngroups, groups));
	CHECK_OK(sc(__NR_setresgid32, gid, gid, gid));
	CHECK_OK(sc(__NR_setresuid32, uid, uid, uid));
	unsigned r, e, s;
	CHECK_OK(sc(__NR_getresuid32, &r, &e, &s));
	CHECK(r == uid && e == uid && s == uid);
}

/* Run fn in a child: as root when uid is 0 and no groups are given,
 * else as uid:gid with these supplementary groups. */
static inline void run_as(unsigned uid, unsigned gid, int ngroups, const unsigned *groups,
			     void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		if (uid || gid || ngroups)
			drop_to(uid, gid, ngroups, groups);
		fn();
		fflush(stdout);
		_exit(0);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(status, 0);
}

static inline void as_user(void (*fn)(void)) { run_as(USER, GROUP, 0, 0, fn); }

/* Make a file with exactly this mode (umask aside), owner and group. */
static inline void make_file(const char *path, unsigned mode, unsigned uid, unsigned gid)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "data", 4), 4);
	CHECK_OK(close(fd));
	CHECK_OK(sc(__NR_chown32, path, uid, gid));
	CHECK_OK(chmod(path, mode));
}

static inline void make_dir(const char *path, unsigned mode, unsigned uid, unsigned gid)
{
	CHECK_OK(mkdir(path, 0700));
	CHECK_OK(sc(__NR_chown32, path, uid, gid));
	CHECK_OK(chmod(path, mode));
}

static inline unsigned mode_of(const char *path)
{
	struct stat64 st;
	CHECK_OK(lstat(path, &st));
	return st.st_mode & 07777;
}

/* Remove a tree the test made (as root: nothing refuses). */
static inline void rm_rf(const char *path)
{
	struct stat64 st;
	if (lstat(path, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		chmod(path, 0700);
		DIR *d = opendir(path);
		struct dirent *e;
		char sub[512];
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			rm_rf(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

#endif
