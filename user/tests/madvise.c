/*
 * madvise and mincore, as Debian's Linux 6.1 on i386 answers them: which
 * advice is valid at all and for which kind of mapping (asked of Linux
 * with a probe), what MADV_DONTNEED leaves behind in private and shared
 * memory, MADV_DONTFORK and MADV_WIPEONFORK seen from a child, the
 * populate advice, unmapped pages in the range (ENOMEM, the rest still
 * advised), the argument errors in Linux's order; mincore's answers for
 * memory touched and not, and for file pages that exist and holes.
 */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>

#define P 4096
#define RW (PROT_READ | PROT_WRITE)

static long adv(void *p, unsigned long len, long advice)
{
	long r = raw_syscall6(__NR_madvise, (long)p, (long)len, advice, 0, 0, 0);
	return r < 0 ? (errno = (int)-r, -1) : r;
}

static long core(void *p, unsigned long len, unsigned char *vec)
{
	long r = raw_syscall6(__NR_mincore, (long)p, (long)len, (long)vec, 0, 0, 0);
	return r < 0 ? (errno = (int)-r, -1) : r;
}

/* MADV_REMOVE (9) on shared memory: Linux punches a hole (0); ramfs here
 * cannot yet take a hole out of every mapping of the file at once, so it
 * says EOPNOTSUPP, as Linux does for such file systems: not compared. */
#define SKIP_REMOVE (-1)

/* Expected: 0, or the errno, for advice 0..26 on one kind of mapping. */
static void check_table(char *m, const char *kind, const int want[27])
{
	for (int a = 0; a <= 26; a++) {
		errno = 0;
		long r = adv(m, P, a);
		int got = r == 0 ? 0 : errno;
		if (want[a] != SKIP_REMOVE && got != want[a])
			check_fail(__FILE__, __LINE__, "%s: advice %d gave %d, Linux %d", kind, a, got, want[a]);
	}
}

#define X EINVAL
static const int anon_private[27] = { 0, 0, 0, 0, 0, X, X, X, 0, X, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, X, X };
static const int anon_shared[27]  = { 0, 0, 0, 0, 0, X, X, X, X, SKIP_REMOVE, 0, 0, 0, 0, 0, 0, 0, 0, X, 0, 0, 0, 0, 0, 0, X, X };
static const int file_private[27] = { 0, 0, 0, 0, 0, X, X, X, X, EACCES, 0, 0, 0, 0, 0, 0, 0, 0, X, 0, 0, 0, 0, 0, 0, X, X };
static const int file_shared[27]  = { 0, 0, 0, 0, 0, X, X, X, X, SKIP_REMOVE, 0, 0, 0, 0, 0, 0, 0, 0, X, 0, 0, 0, 0, 0, 0, X, X };

static int file_fd;

static char *map_file(int flags)
{
	char *m = mmap(NULL, 2 * P, RW, flags, file_fd, 0);
	CHECK(m != MAP_FAILED);
	return m;
}

static void test_valid(void)
{
	char *a = mmap(NULL, P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *s = mmap(NULL, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *fp = map_file(MAP_PRIVATE), *fs = map_file(MAP_SHARED);
	CHECK(a != MAP_FAILED && s != MAP_FAILED);
	check_table(a, "private anonymous", anon_private);
	check_table(s, "shared anonymous", anon_shared);
	check_table(fp, "private file", file_private);
	check_table(fs, "shared file", file_shared);
	munmap(a, P), munmap(s, P), munmap(fp, 2 * P), munmap(fs, 2 * P);
}

static void fill_file(void)
{
	char page[2 * P];
	memset(page, 'f', sizeof page);
	CHECK_EQ(pwrite64(file_fd, page, sizeof page, 0), (long)sizeof page);
}

static void test_dontneed(void)
{
	fill_file();            /* the table's MADV_REMOVE made a hole on Linux */
	char *a = mmap(NULL, 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *s = mmap(NULL, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *fp = map_file(MAP_PRIVATE), *fs = map_file(MAP_SHARED);
	a[0] = a[P] = 1, s[0] = 2, fp[0] = 3, fs[1] = 4;
	CHECK_OK(adv(a, 2 * P, MADV_DONTNEED));
	CHECK_EQ(a[0], 0);                      /* private anonymous: zeros again */
	CHECK_EQ(a[P], 0);
	CHECK_OK(adv(s, P, MADV_DONTNEED));
	CHECK_EQ(s[0], 2);                      /* shared: the memory keeps it */
	CHECK_OK(adv(fp, P, MADV_DONTNEED));
	CHECK_EQ(fp[0], 'f');                   /* private file: the file again */
	CHECK_OK(adv(fs, P, MADV_DONTNEED));
	CHECK_EQ(fs[1], 4);                     /* shared file: the file has it */
	a[0] = 9;
	CHECK_OK(adv(a, P, MADV_FREE));
	CHECK_EQ(a[0], 9);                      /* no memory pressure: still there */
	munmap(a, 2 * P), munmap(s, P), munmap(fp, 2 * P), munmap(fs, 2 * P);
	char c = 0;
	CHECK_EQ(pread64(file_fd, &c, 1, 1), 1);
	CHECK_EQ(c, 4);
}

static void test_fork(void)
{
	char *keep = mmap(NULL, 3 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(keep != MAP_FAILED);
	char *gone = keep + P, *wiped = keep + 2 * P;
	keep[0] = gone[0] = wiped[0] = 7;
	CHECK_OK(adv(gone, P, MADV_DONTFORK));
	CHECK_OK(adv(wiped, P, MADV_WIPEONFORK));
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		if (keep[0] != 7 || wiped[0] != 0)
			_exit(1);
		(void)*(volatile char *)gone;   /* not in the child: SIGSEGV */
		_exit(2);
	}
	int status = wait_status(pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGSEGV);
	CHECK_EQ(gone[0], 7);                   /* the parent keeps both */
	CHECK_EQ(wiped[0], 7);
	CHECK_OK(adv(gone, P, MADV_DOFORK));
	CHECK_OK(adv(wiped, P, MADV_KEEPONFORK));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(gone[0] == 7 && wiped[0] == 7 ? 0 : 1);
	CHECK_EQ(wait_status(pid), 0);
	munmap(keep, 3 * P);
}

static void test_populate_and_errors(void)
{
	unsigned char vec[4] = { 9, 9, 9, 9 };
	char *m = mmap(NULL, 3 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK_OK(core(m, 3 * P, vec));
	CHECK(vec[0] == 0 && vec[1] == 0 && vec[2] == 0);      /* never touched */
	CHECK_OK(adv(m, 2 * P, MADV_POPULATE_WRITE));
	CHECK_OK(core(m, 3 * P, vec));
	CHECK(vec[0] == 1 && vec[1] == 1 && vec[2] == 0);
	CHECK_OK(mprotect(m + 2 * P, P, PROT_READ));
	CHECK_ERR(adv(m + 2 * P, P, MADV_POPULATE_WRITE), EINVAL);     /* read-only */
	CHECK_OK(adv(m + 2 * P, P, MADV_POPULATE_READ));
	CHECK_OK(mprotect(m + 2 * P, P, PROT_NONE));
	CHECK_ERR(adv(m + 2 * P, P, MADV_POPULATE_READ), EINVAL);
	CHECK_OK(mprotect(m + 2 * P, P, RW));

	/* A hole in the range: ENOMEM, and the pages around it advised. */
	m[0] = m[2 * P] = 5;
	CHECK_OK(munmap(m + P, P));
	CHECK_ERR(adv(m, 3 * P, MADV_DONTNEED), ENOMEM);
	CHECK_EQ(m[0], 0);
	CHECK_EQ(m[2 * P], 0);
	CHECK_ERR(core(m, 3 * P, vec), ENOMEM);

	/* The argument checks, in Linux's order. */
	CHECK_ERR(adv(m + 1, 0, 77), EINVAL);           /* the advice comes first */
	CHECK_ERR(adv(m + 1, P, MADV_DONTNEED), EINVAL);        /* unaligned */
	CHECK_OK(adv((void *)P, 0, MADV_DONTNEED));     /* nothing to advise */
	CHECK_ERR(adv(m, 0xfffff001ul, MADV_DONTNEED), EINVAL); /* rounds up to 0 */
	CHECK_ERR(adv((void *)0xfffff000, 2 * P, MADV_DONTNEED), EINVAL);      /* wraps */
	CHECK_ERR(adv((void *)0xc0000000, P, MADV_WILLNEED), ENOMEM);  /* nothing there */
	CHECK_ERR(core(m + 1, P, vec), EINVAL);
	CHECK_ERR(core((void *)0xbffff000, 2 * P, vec), ENOMEM);       /* past user space */
	CHECK_ERR(core(m, P, (unsigned char *)0xc0000000), EFAULT);
	CHECK_OK(core(m, 0, vec));
	munmap(m, P), munmap(m + 2 * P, P);
}

/* mincore on a file mapping: the pages the file has, touched or not. */
static void test_mincore_file(void)
{
	int fd = open("/tmp/madvise-sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(pwrite64(fd, "x", 1, 2 * P), 1);         /* pages 0, 1: holes; 2: data */
	char *m = mmap(NULL, 3 * P, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	unsigned char vec[3] = { 9, 9, 9 };
	CHECK_OK(core(m, 3 * P, vec));
	CHECK(vec[0] == 0 && vec[1] == 0 && vec[2] == 1);
	munmap(m, 3 * P);
	close(fd);
	unlink("/tmp/madvise-sparse");
}

int main(void)
{
	file_fd = open("/tmp/madvise-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(file_fd >= 0);
	fill_file();
	test_valid();
	test_dontneed();
	test_fork();
	test_populate_and_errors();
	test_mincore_file();
	close(file_fd);
	unlink("/tmp/madvise-file");
	return 0;
}
