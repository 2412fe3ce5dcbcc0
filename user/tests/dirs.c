/*
 * Directories and names: mkdir, rmdir, unlink, rename (with their error
 * cases), getdents64, chdir/getcwd, relative paths, openat, access.
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#define D "/tmp/dirs"

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK_OK(fd);
	CHECK_OK(close(fd));
}

static void test_mkdir_rmdir(void)
{
	CHECK_OK(mkdir(D, 0755));
	CHECK_ERR(mkdir(D, 0755), EEXIST);
	CHECK_ERR(mkdir("/tmp/no/such", 0755), ENOENT);
	CHECK_ERR(mkdir("", 0755), ENOENT);
	touch(D "/f");
	CHECK_ERR(mkdir(D "/f", 0755), EEXIST);
	CHECK_ERR(mkdir(D "/f/sub", 0755), ENOTDIR);
	CHECK_OK(mkdir(D "/sub", 0755));
	CHECK_OK(mkdir(D "/sub/deeper/", 0755));         /* a trailing slash is fine */

	CHECK_ERR(rmdir(D), ENOTEMPTY);
	CHECK_ERR(rmdir(D "/f"), ENOTDIR);
	CHECK_ERR(rmdir(D "/none"), ENOENT);
	CHECK_ERR(rmdir(D "/sub/deeper/."), EINVAL);
	CHECK_ERR(rmdir(D "/sub/.."), ENOTEMPTY);
	CHECK_ERR(unlink(D "/sub"), EISDIR);
	CHECK_ERR(unlink(D "/none"), ENOENT);
	CHECK_ERR(unlink(D "/f/x"), ENOTDIR);
	CHECK_OK(rmdir(D "/sub/deeper"));
	CHECK_ERR(rmdir(D "/sub/deeper"), ENOENT);
}

static void test_rename(void)
{
	struct stat64 st;
	char buf[8];
	int fd;

	/* Rename a file, replacing another one. */
	CHECK_OK(fd = open(D "/f", O_WRONLY));
	CHECK_EQ(write(fd, "F", 1), 1);
	close(fd);
	touch(D "/g");
	CHECK_OK(rename(D "/f", D "/g"));
	CHECK_ERR(stat(D "/f", &st), ENOENT);
	CHECK_OK(fd = open(D "/g", O_RDONLY));
	CHECK_EQ(read(fd, buf, 8), 1);
	CHECK_EQ(buf[0], 'F');
	close(fd);
	CHECK_OK(rename(D "/g", D "/g"));                /* onto itself: nothing */
	CHECK_OK(stat(D "/g", &st));

	CHECK_ERR(rename(D "/none", D "/x"), ENOENT);
	CHECK_ERR(rename(D "/g", D "/none/x"), ENOENT);
	CHECK_ERR(rename(D "/g", D "/sub"), EISDIR);     /* file onto a directory */
	CHECK_ERR(rename(D "/sub", D "/g"), ENOTDIR);    /* directory onto a file */
	CHECK_ERR(rename(D "/sub", D "/sub/in"), EINVAL);/* into itself */

	/* Directories: move one, replace an empty one, not a full one. */
	CHECK_OK(mkdir(D "/e", 0755));
	touch(D "/sub/inside");
	CHECK_OK(rename(D "/sub", D "/e"));
	CHECK_OK(stat(D "/e/inside", &st));
	CHECK_ERR(stat(D "/sub", &st), ENOENT);
	CHECK_OK(mkdir(D "/sub", 0755));
	CHECK_ERR(rename(D "/sub", D "/e"), ENOTEMPTY);
	CHECK_OK(rename(D "/e/inside", D "/sub/moved"));  /* across directories */
	CHECK_OK(stat(D "/sub/moved", &st));
	CHECK_OK(rmdir(D "/e"));
}

struct seen { const char *name; int type; int count; };

static void test_getdents(void)
{
	struct seen want[] = {
		{ ".", DT_DIR, 0 }, { "..", DT_DIR, 0 }, { "g", DT_REG, 0 },
		{ "sub", DT_DIR, 0 }, { "h", DT_REG, 0 },
	};
	int n = sizeof(want) / sizeof(want[0]);
	char buf[64] __attribute__((aligned(8)));   /* small: several calls needed */
	int fd, r, total = 0;

	touch(D "/h");
	CHECK_OK(fd = open(D, O_RDONLY | O_DIRECTORY));
	while ((r = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (int off = 0; off < r; ) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
			CHECK(e->d_reclen >= 20 + strlen(e->d_name));
			CHECK_EQ(e->d_reclen % 8, 0);
			CHECK(e->d_ino != 0);
			int found = 0;
			for (int i = 0; i < n; i++) {
				if (!strcmp(e->d_name, want[i].name)) {
					CHECK_EQ(e->d_type, want[i].type);
					want[i].count++;
					found = 1;
				}
			}
			if (!found)
				check_fail(__FILE__, __LINE__, "unexpected entry \"%s\"", e->d_name);
			off += e->d_reclen;
			total++;
		}
	}
	CHECK_EQ(r, 0);
	CHECK_EQ(total, n);
	for (int i = 0; i < n; i++)
		CHECK_EQ(want[i].count, 1);
	CHECK_EQ(getdents64(fd, buf, sizeof(buf)), 0);   /* still at the end */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);             /* rewind */
	CHECK(getdents64(fd, buf, sizeof(buf)) > 0);
	CHECK_ERR(getdents64(fd, buf, 10), EINVAL);      /* too small for one entry */
	CHECK_ERR(getdents64(fd, (void *)8, 4096), EFAULT);
	close(fd);

	CHECK_OK(fd = open(D "/g", O_RDONLY));
	CHECK_ERR(getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
	CHECK_ERR(getdents64(99, buf, sizeof(buf)), EBADF);

	/* opendir/readdir on top of it. */
	DIR *d = opendir(D "/sub");
	CHECK(d != NULL);
	int entries = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		entries++;
	CHECK_EQ(entries, 3);                            /* ".", "..", "moved" */
	closedir(d);
	CHECK(opendir(D "/g") == NULL);
	CHECK_EQ(errno, ENOTDIR);
}

static void test_cwd(void)
{
	char buf[128];
	int fd;

	CHECK_STR(getcwd(buf, sizeof(buf)), "/");        /* runtests runs us in / */
	CHECK_EQ(__syscall2(__NR_getcwd, buf, sizeof(buf)), 2);   /* length with the NUL */
	CHECK_OK(chdir(D "/sub"));
	CHECK_STR(getcwd(buf, sizeof(buf)), D "/sub");
	CHECK_OK(fd = open("moved", O_RDONLY));          /* relative to the cwd */
	close(fd);
	CHECK_OK(chdir(".."));
	CHECK_STR(getcwd(buf, sizeof(buf)), D);
	CHECK_OK(fd = open("./sub/../sub/moved", O_RDONLY));
	close(fd);
	CHECK_ERR(syscall(__NR_getcwd, buf, 5), ERANGE);
	CHECK_ERR(syscall(__NR_getcwd, buf, 0), ERANGE);
	CHECK_ERR(chdir("g"), ENOTDIR);
	CHECK_ERR(chdir("none"), ENOENT);
	CHECK_ERR(chdir(""), ENOENT);
	CHECK_OK(chdir("/.."));                          /* the root is its own parent */
	CHECK_STR(getcwd(buf, sizeof(buf)), "/");

	/* A child's chdir is its own. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(chdir("/tmp") == 0 ? 0 : 1);
	CHECK_EQ(wait_status(pid), 0);
	CHECK_STR(getcwd(buf, sizeof(buf)), "/");
}

static void test_openat_access(void)
{
	int dfd, fd, ffd;

	CHECK_OK(dfd = open(D, O_RDONLY | O_DIRECTORY));
	CHECK_OK(fd = openat(dfd, "sub/moved", O_RDONLY));
	close(fd);
	CHECK_OK(fd = openat(AT_FDCWD, D "/g", O_RDONLY));
	CHECK_OK(ffd = openat(dfd, "/tmp", O_RDONLY));   /* absolute: dirfd ignored */
	close(ffd);
	CHECK_ERR(openat(fd, "x", O_RDONLY), ENOTDIR);   /* dirfd is a file */
	CHECK_ERR(openat(99, "x", O_RDONLY), EBADF);
	close(fd);
	close(dfd);

	CHECK_OK(access(D "/g", F_OK));
	CHECK_OK(access(D "/g", R_OK | W_OK));           /* root may */
	CHECK_ERR(access(D "/g", X_OK), EACCES);         /* ... but not run a 0644 file */
	CHECK_OK(access(D, X_OK));
	CHECK_ERR(access(D "/none", F_OK), ENOENT);
	CHECK_ERR(access(D "/g/x", F_OK), ENOTDIR);
	CHECK_ERR(access(D "/g", 8), EINVAL);
}

static void cleanup(void)
{
	CHECK_OK(unlink(D "/sub/moved"));
	CHECK_OK(rmdir(D "/sub"));
	CHECK_OK(unlink(D "/g"));
	CHECK_OK(unlink(D "/h"));
	CHECK_OK(rmdir(D));
	CHECK_ERR(rmdir(D), ENOENT);
}

int main(void)
{
	test_mkdir_rmdir();
	test_rename();
	test_getdents();
	test_cwd();
	test_openat_access();
	cleanup();
	return 0;
}
