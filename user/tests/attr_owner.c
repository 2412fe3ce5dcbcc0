/*
 * Owners: chown32, lchown32, fchown32, fchownat, and the old 16-bit
 * chown, lchown, fchown (whose ids are 16 bits: 0xffff is "leave it",
 * and higher bits are dropped).  Set-user-ID (and set-group-ID with group
 * execute) go when a file changes owner; a directory keeps them.
 */
#include "check.h"
#include <sys/stat.h>

#define D "/tmp/owner-dir"
#define F D "/file"
#define L D "/link"

static void owner(const char *path, int nofollow, long uid, long gid)
{
	struct stat64 st;
	CHECK_OK(nofollow ? lstat(path, &st) : stat(path, &st));
	CHECK_EQ(st.st_uid, uid);
	CHECK_EQ(st.st_gid, gid);
}

static void test_wide(int fd, int dfd)
{
	CHECK_EQ(syscall(__NR_chown32, F, 1000, 2000), 0);
	owner(F, 0, 1000, 2000);
	CHECK_EQ(syscall(__NR_chown32, F, -1, 3000), 0);        /* -1: leave the uid */
	owner(F, 0, 1000, 3000);
	CHECK_EQ(syscall(__NR_chown32, F, 4000, -1), 0);
	owner(F, 0, 4000, 3000);
	CHECK_EQ(syscall(__NR_chown32, F, 0x12345678, 0x9abcdef), 0);   /* 32 bits kept */
	owner(F, 0, 0x12345678, 0x9abcdef);

	/* lchown32 changes the link, chown32 through a link its target. */
	CHECK_EQ(syscall(__NR_lchown32, L, 5, 6), 0);
	owner(L, 1, 5, 6);
	owner(F, 0, 0x12345678, 0x9abcdef);
	CHECK_EQ(syscall(__NR_chown32, L, 7, 8), 0);
	owner(F, 0, 7, 8);
	owner(L, 1, 5, 6);

	CHECK_EQ(syscall(__NR_fchown32, fd, 9, 10), 0);
	owner(F, 0, 9, 10);

	CHECK_EQ(syscall(__NR_fchownat, dfd, "file", 11, 12, 0), 0);
	owner(F, 0, 11, 12);
	CHECK_EQ(syscall(__NR_fchownat, dfd, "link", 13, 14, AT_SYMLINK_NOFOLLOW), 0);
	owner(L, 1, 13, 14);
	owner(F, 0, 11, 12);
	CHECK_EQ(syscall(__NR_fchownat, dfd, "link", 15, 16, 0), 0);
	owner(F, 0, 15, 16);
	CHECK_EQ(syscall(__NR_fchownat, fd, "", 17, 18, AT_EMPTY_PATH), 0);
	owner(F, 0, 17, 18);
	CHECK_EQ(syscall(__NR_fchownat, AT_FDCWD, F, 19, 20, 0), 0);
	owner(F, 0, 19, 20);
	CHECK_EQ(syscall(__NR_fchownat, dfd, "", 21, 22, AT_EMPTY_PATH), 0);   /* the directory */
	owner(D, 0, 21, 22);
	CHECK_EQ(syscall(__NR_chown32, D, 0, 0), 0);
}

static void test_narrow(int fd)
{
	CHECK_EQ(syscall(__NR_chown32, F, 0, 0), 0);
	CHECK_EQ(syscall(__NR_chown, F, 100, 200), 0);
	owner(F, 0, 100, 200);
	CHECK_EQ(syscall(__NR_chown, F, 0xffff, 300), 0);       /* 0xffff: leave it */
	owner(F, 0, 100, 300);
	CHECK_EQ(syscall(__NR_chown, F, 400, -1), 0);           /* -1 is 0xffff here too */
	owner(F, 0, 400, 300);
	CHECK_EQ(syscall(__NR_chown, F, 0x10021, 0x1ffff), 0);  /* only 16 bits count */
	owner(F, 0, 0x21, 300);
	CHECK_EQ(syscall(__NR_lchown, L, 500, 600), 0);
	owner(L, 1, 500, 600);
	owner(F, 0, 0x21, 300);
	CHECK_EQ(syscall(__NR_fchown, fd, 0xffff, 700), 0);
	owner(F, 0, 0x21, 700);
	CHECK_EQ(syscall(__NR_fchown, fd, 0xfffe, 0xfffe), 0);  /* 0xfffe is an id */
	owner(F, 0, 0xfffe, 0xfffe);
}

static void test_setid_bits(void)
{
	struct stat64 st;
	CHECK_OK(chmod(F, 06755));
	CHECK_EQ(syscall(__NR_chown32, F, 1, 1), 0);
	CHECK_OK(stat(F, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0755);           /* both go (group may execute) */
	CHECK_OK(chmod(D, 02755));
	CHECK_EQ(syscall(__NR_chown32, D, 1, 1), 0);
	CHECK_OK(stat(D, &st));
	CHECK_EQ(st.st_mode, S_IFDIR | 02755);          /* a directory keeps its bits */
	CHECK_OK(chmod(D, 0755));
	CHECK_EQ(syscall(__NR_chown32, D, 0, 0), 0);
}

static void test_errors(int fd)
{
	int p[2];
	CHECK_ERR(syscall(__NR_chown32, D "/none", 1, 1), ENOENT);
	CHECK_ERR(syscall(__NR_chown32, "", 1, 1), ENOENT);
	CHECK_ERR(syscall(__NR_chown32, NULL, 1, 1), EFAULT);
	CHECK_ERR(syscall(__NR_chown32, (char *)1, 1, 1), EFAULT);
	CHECK_ERR(syscall(__NR_chown32, F "/x", 1, 1), ENOTDIR);
	CHECK_ERR(syscall(__NR_lchown32, NULL, 1, 1), EFAULT);
	CHECK_ERR(syscall(__NR_chown, D "/none", 1, 1), ENOENT);
	CHECK_ERR(syscall(__NR_lchown, (char *)1, 1, 1), EFAULT);
	CHECK_ERR(syscall(__NR_fchown32, 999, 1, 1), EBADF);
	CHECK_ERR(syscall(__NR_fchown32, -1, 1, 1), EBADF);
	CHECK_ERR(syscall(__NR_fchown, 999, 1, 1), EBADF);
	CHECK_ERR(syscall(__NR_fchownat, AT_FDCWD, F, 1, 1, 0x200), EINVAL);   /* not a flag of chown */
	CHECK_ERR(syscall(__NR_fchownat, AT_FDCWD, NULL, 1, 1, 0x200), EINVAL); /* flags first */
	CHECK_ERR(syscall(__NR_fchownat, AT_FDCWD, "", 1, 1, 0), ENOENT);
	CHECK_ERR(syscall(__NR_fchownat, 999, "file", 1, 1, 0), EBADF);
	CHECK_ERR(syscall(__NR_fchownat, 999, "", 1, 1, AT_EMPTY_PATH), EBADF);
	CHECK_ERR(syscall(__NR_fchownat, fd, "file", 1, 1, 0), ENOTDIR);
	CHECK_ERR(syscall(__NR_fchownat, AT_FDCWD, NULL, 1, 1, 0), EFAULT);
	/* Root may chown a pipe. */
	CHECK_OK(pipe(p));
	CHECK_EQ(syscall(__NR_fchown32, p[0], 1, 1), 0);
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
}

int main(void)
{
	int fd, dfd;
	CHECK_OK(mkdir(D, 0755));
	CHECK_OK(fd = open(F, O_RDWR | O_CREAT | O_EXCL, 0644));
	CHECK_OK(symlink("file", L));
	CHECK_OK(dfd = open(D, O_RDONLY | O_DIRECTORY));
	owner(F, 0, 0, 0);
	test_wide(fd, dfd);
	test_narrow(fd);
	test_setid_bits();
	test_errors(fd);
	CHECK_OK(close(fd));
	CHECK_OK(close(dfd));
	CHECK_OK(unlink(L));
	CHECK_OK(unlink(F));
	CHECK_OK(rmdir(D));
	printf("attr_owner: ok\n");
	return 0;
}
