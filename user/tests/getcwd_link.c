/*
 * getcwd after chdir through a symbolic link returns the real path, as
 * Linux's does (the kernel keeps the directory, not the name it was
 * reached by): chdir("link"), chdir("link/sub"), a relative link, ".."
 * after a link (the real parent, not the lexical one), and fchdir to a
 * directory opened through a link.
 */
#include "check.h"
#include <sys/stat.h>
#include <sys/syscall.h>

/* Our C library has no fchdir. */
static int fchdir_(int fd) { return __syscall_ret(__syscall1(__NR_fchdir, fd)); }

static char base[256], want[512], got[4096];

static const char *cwd(void)
{
	CHECK(getcwd(got, sizeof got) == got);
	return got;
}

int main(void)
{
	snprintf(base, sizeof base, "/tmp/getcwd_link.%d", getpid());
	CHECK_OK(mkdir(base, 0755));
	CHECK_OK(chdir(base));
	CHECK_STR(cwd(), base);
	CHECK_OK(mkdir("real", 0755));
	CHECK_OK(mkdir("real/deep", 0755));
	CHECK_OK(mkdir("real/deep/er", 0755));
	snprintf(want, sizeof want, "%s/real/deep/er", base);
	CHECK_OK(symlink(want, "abs"));                 /* absolute target */
	CHECK_OK(symlink("real/deep", "rel"));          /* relative target */

	CHECK_OK(chdir("abs"));
	CHECK_STR(cwd(), want);
	CHECK_OK(chdir(base));
	CHECK_OK(chdir("rel/er"));
	CHECK_STR(cwd(), want);
	CHECK_OK(chdir(".."));                          /* er's parent */
	snprintf(want, sizeof want, "%s/real/deep", base);
	CHECK_STR(cwd(), want);

	CHECK_OK(chdir(base));
	CHECK_OK(chdir("abs/.."));                      /* the real parent: deep */
	CHECK_STR(cwd(), want);

	snprintf(want, sizeof want, "%s/abs", base);
	int fd = open(want, O_RDONLY | O_DIRECTORY);
	CHECK_OK(fd);
	CHECK_OK(chdir("/"));
	CHECK_OK(fchdir_(fd));
	snprintf(want, sizeof want, "%s/real/deep/er", base);
	CHECK_STR(cwd(), want);
	close(fd);

	/* Relative paths from there are the real directory's. */
	CHECK_OK(mkdir("x", 0755));
	snprintf(want, sizeof want, "%s/real/deep/er/x", base);
	struct stat64 a, b;
	CHECK_OK(stat("x", &a));
	CHECK_OK(stat(want, &b));
	CHECK_EQ(a.st_ino, b.st_ino);

	CHECK_OK(chdir("/"));
	CHECK_OK(rmdir(want));
	snprintf(want, sizeof want, "%s/abs", base); CHECK_OK(unlink(want));
	snprintf(want, sizeof want, "%s/rel", base); CHECK_OK(unlink(want));
	snprintf(want, sizeof want, "%s/real/deep/er", base); CHECK_OK(rmdir(want));
	snprintf(want, sizeof want, "%s/real/deep", base); CHECK_OK(rmdir(want));
	snprintf(want, sizeof want, "%s/real", base); CHECK_OK(rmdir(want));
	CHECK_OK(rmdir(base));
	printf("getcwd_link: ok\n");
	return 0;
}
