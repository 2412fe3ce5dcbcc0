/*
 * altmm address-space objects without running anything in them: the two
 * /proc files, what fstat/read/write/mmap/ftruncate say about such a
 * descriptor, mm_mmap/mm_munmap/mm_mprotect on a new space and on our own
 * (through /proc/self/mm) with every error mmap2/munmap/mprotect give,
 * descriptors that are not address spaces, and memfd pages mapped
 * MAP_SHARED into several spaces.  (altmm_batch tests mm_batch;
 * altmm_enter runs code in a space.)
 *
 * Errors for the space's descriptor (the ABI leaves them open; the
 * kernel's mm_from_fd decides): EBADF when it is not open, EINVAL when it
 * is open but not an address space (a pipe, a file), in every call.
 */
#include "sigcheck.h"
#include <altmm.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define RW      (PROT_READ | PROT_WRITE)
#define ANON    (MAP_PRIVATE | MAP_ANONYMOUS)
#define A(x)    ((void *)(uintptr_t)(x))
#define NOT_MM_ERR EINVAL               /* an mm call on a pipe or a file */

static void check_mm_fd(int fd)
{
	struct stat64 st;
	char c = 0;

	CHECK_OK(fstat(fd, &st));
	CHECK_EQ(st.st_mode, S_IFREG | 0600);
	CHECK_EQ(st.st_dev, ALTMM_DEV);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	CHECK_ERR(read(fd, &c, 1), EINVAL);
	CHECK_ERR(write(fd, &c, 1), EINVAL);
	/* S_IFREG, but no file to map or truncate. */
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED);
	CHECK_EQ(errno, ENODEV);
	CHECK_ERR(ftruncate(fd, PAGE), EINVAL);
}

static void test_open(void)
{
	int a, b, s;

	CHECK_OK(a = mm_new());
	CHECK_OK(b = mm_new());
	CHECK_OK(s = mm_self());
	check_mm_fd(a);
	check_mm_fd(s);
	/* Only O_RDWR opens a space; only our own process's is ours to open;
	 * a space has no file position. */
	CHECK_ERR(open("/proc/new-mm", O_RDONLY), EINVAL);
	CHECK_ERR(open("/proc/self/mm", O_WRONLY), EINVAL);
	if (getpid() != 1)
		CHECK_ERR(open("/proc/1/mm", O_RDWR), EACCES);
	CHECK_ERR(lseek(a, 0, SEEK_SET), ESPIPE);
	/* Two new spaces are two spaces: a page at X in one leaves X free in the other. */
	CHECK_EQ((uint32_t)mm_mmap(a, A(0x40000000), PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
	         0x40000000);
	CHECK(mm_mmap(a, A(0x40000000), PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED);
	CHECK_EQ(errno, EEXIST);
	CHECK_EQ((uint32_t)mm_mmap(b, A(0x40000000), PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
	         0x40000000);
	/* A dup names the same space. */
	int d;
	CHECK_OK(d = dup(b));
	CHECK(mm_mmap(d, A(0x40000000), PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED);
	CHECK_EQ(errno, EEXIST);
	CHECK_OK(close(d));
	/* Without O_CLOEXEC, no FD_CLOEXEC. */
	CHECK_OK(d = open(ALTMM_NEW_MM_PATH, O_RDWR));
	CHECK_EQ(fcntl(d, F_GETFD), 0);
	CHECK_OK(close(d));
	CHECK_OK(close(a));
	CHECK_OK(close(b));
	CHECK_OK(close(s));
	CHECK_ERR(mm_munmap(a, A(0x40000000), PAGE), EBADF);   /* closed */
}

static char *fixme;
static volatile int segvs;
static void make_writable(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	CHECK(si->si_addr == fixme + 1);
	segvs++;
	CHECK_OK(mprotect(fixme, PAGE, PROT_READ | PROT_WRITE));
}

/* Through /proc/self/mm, the calls act on our own space: we can look. */
static void test_self(void)
{
	int s;
	CHECK_OK(s = mm_self());
	char *p = mm_mmap(s, NULL, 2 * PAGE, RW, ANON, -1, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 'x';
	p[PAGE] = 'y';
	CHECK_OK(mm_mprotect(s, p, PAGE, PROT_READ));
	CHECK_EQ(probe(p, 1), SIGSEGV);
	CHECK_EQ(probe(p, 0), 0);
	CHECK_EQ(p[0], 'x');
	/* And at once, here (the page was writable in our TLB a moment ago). */
	CHECK_OK(mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	p[1] = 'a';
	CHECK_OK(mm_mprotect(s, p, PAGE, PROT_READ));
	fixme = p;
	catch_info(SIGSEGV, make_writable, 0);
	p[1] = 'b';
	CHECK_EQ(segvs, 1);
	CHECK_EQ(p[1], 'b');
	set_disp(SIGSEGV, SIG_DFL);
	CHECK_EQ(p[PAGE], 'y');
	CHECK_OK(mm_munmap(s, p + PAGE, PAGE));
	/* Our own TLB forgot the old page (no switch since we touched it): a
	 * new one there reads 0, not 'y'. */
	CHECK(mm_mmap(s, p + PAGE, PAGE, RW, ANON | MAP_FIXED, -1, 0) == p + PAGE);
	CHECK_EQ(p[PAGE], 0);
	CHECK_OK(mm_munmap(s, p + PAGE, PAGE));
	CHECK_EQ(probe(p + PAGE, 0), SIGSEGV);
	CHECK(mm_mmap(s, p + PAGE, PAGE, RW, ANON | MAP_FIXED, -1, 0) == p + PAGE);
	p[PAGE] = 'w';
	CHECK(mm_mmap(s, p + PAGE, PAGE, RW, ANON | MAP_FIXED, -1, 0) == p + PAGE);  /* replaced */
	CHECK_EQ(p[PAGE], 0);
	CHECK_OK(munmap(p, 2 * PAGE));          /* and the plain calls agree */
	CHECK_OK(close(s));
}

/* mm_mmap's errors are mmap2's, in mmap2's order. */
static void test_errors(void)
{
	int m, p[2], f, r;

	CHECK_OK(m = mm_new());
	CHECK_OK(pipe(p));
	CHECK_OK(f = open("/tmp/altmm_objects", O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_OK(ftruncate(f, PAGE));

#define MMAP_ERR(call, e) do { CHECK((call) == MAP_FAILED); CHECK_EQ(errno, e); } while (0)
	MMAP_ERR(mm_mmap(m, NULL, 0, RW, ANON, -1, 0), EINVAL);
	MMAP_ERR(mm_mmap(m, NULL, PAGE, RW, MAP_ANONYMOUS, -1, 0), EINVAL);         /* no type */
	MMAP_ERR(mm_mmap(m, NULL, PAGE, RW, MAP_ANONYMOUS | 0xf, -1, 0), EINVAL);
	MMAP_ERR(mm_mmap(m, NULL, PAGE, 0x10, ANON, -1, 0), EINVAL);                /* prot */
	MMAP_ERR(mm_mmap(m, NULL, 0xfffff001u, RW, ANON, -1, 0), ENOMEM);
	MMAP_ERR(mm_mmap(m, A(0x40000010), PAGE, RW, ANON | MAP_FIXED, -1, 0), EINVAL);
	MMAP_ERR(mm_mmap(m, A(0xbffff000), 2 * PAGE, RW, ANON | MAP_FIXED, -1, 0), ENOMEM);
	MMAP_ERR(mm_mmap(m, A(0xc0000000), PAGE, RW, ANON | MAP_FIXED, -1, 0), ENOMEM);
	/* MAP_SHARED_VALIDATE is a type for files only (as mmap in Linux 6.1). */
	MMAP_ERR(mm_mmap(m, NULL, PAGE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_SYNC, -1, 0), EINVAL);
	MMAP_ERR(mm_mmap(m, NULL, PAGE, RW, MAP_SHARED_VALIDATE | MAP_SYNC, f, 0), EOPNOTSUPP);
	/* The file to map, by our descriptor table. */
	MMAP_ERR(mm_mmap(m, NULL, PAGE, RW, MAP_SHARED, 9999, 0), EBADF);
	MMAP_ERR(mm_mmap(m, NULL, PAGE, PROT_READ, MAP_SHARED, p[0], 0), ENODEV);
	MMAP_ERR(mm_mmap(m, NULL, PAGE, PROT_READ, MAP_SHARED, m, 0), ENODEV);      /* a space is no file */
	MMAP_ERR(mm_mmap(m, NULL, PAGE, PROT_READ, MAP_SHARED, p[1], 0), EACCES);   /* write-only */
	MMAP_ERR(mm_mmap(m, NULL, 2 * PAGE, PROT_READ, MAP_SHARED, f, 0xffffffffu), EOVERFLOW);
	/* The space, by our descriptor table. */
	MMAP_ERR(mm_mmap(p[0], NULL, PAGE, RW, ANON, -1, 0), NOT_MM_ERR);
	MMAP_ERR(mm_mmap(f, NULL, PAGE, RW, ANON, -1, 0), NOT_MM_ERR);
	MMAP_ERR(mm_mmap(9999, NULL, PAGE, RW, ANON, -1, 0), EBADF);
	MMAP_ERR(mm_mmap(-1, NULL, PAGE, RW, ANON, -1, 0), EBADF);
	CHECK_ERR(syscall(__NR_mm_mmap, m, (void *)8), EFAULT);                  /* the args */

	/* What works: a hint in a free range is taken, else any free place;
	 * NOREPLACE refuses an occupied range; a file at an offset. */
	CHECK_EQ((uint32_t)mm_mmap(m, A(0x50000000), PAGE, RW, ANON, -1, 0), 0x50000000);
	uint32_t a = (uint32_t)mm_mmap(m, A(0x50000000), PAGE, RW, ANON, -1, 0);
	CHECK(a != 0x50000000 && a != (uint32_t)MAP_FAILED);
	CHECK(a % PAGE == 0 && a >= 0x10000 && a < 0xc0000000);
	MMAP_ERR(mm_mmap(m, A(0x50000000), PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	CHECK_EQ((uint32_t)mm_mmap(m, A(0x50000000), PAGE, PROT_READ, MAP_SHARED | MAP_FIXED, f, 0),
	         0x50000000);
	CHECK_EQ((uint32_t)mm_mmap(m, A(0x60000000), 3 * PAGE, RW, ANON | MAP_FIXED, -1, 0), 0x60000000);

	/* munmap's errors; a hole is fine. */
	CHECK_ERR(mm_munmap(m, A(0x60000010), PAGE), EINVAL);
	CHECK_ERR(mm_munmap(m, A(0x60000000), 0), EINVAL);
	CHECK_ERR(mm_munmap(m, A(0xc0000000), PAGE), EINVAL);
	CHECK_ERR(mm_munmap(m, A(0xbffff000), 2 * PAGE), EINVAL);
	CHECK_OK(mm_munmap(m, A(0x70000000), PAGE));
	CHECK_ERR(mm_munmap(p[0], A(0x60000000), PAGE), NOT_MM_ERR);
	CHECK_ERR(mm_munmap(9999, A(0x60000000), PAGE), EBADF);
	CHECK_OK(mm_munmap(m, A(0x60001000), PAGE));    /* a hole in the middle now */

	/* mprotect's errors: over the hole ENOMEM; length 0 fine. */
	CHECK_ERR(mm_mprotect(m, A(0x60000010), PAGE, PROT_READ), EINVAL);
	CHECK_ERR(mm_mprotect(m, A(0x60000000), PAGE, 0x10), EINVAL);
	CHECK_ERR(mm_mprotect(m, A(0x60000000), 3 * PAGE, PROT_READ), ENOMEM);
	CHECK_OK(mm_mprotect(m, A(0x60000000), 0, PROT_READ));
	CHECK_OK(mm_mprotect(m, A(0x60000000), PAGE, PROT_READ));
	CHECK_OK(mm_mprotect(m, A(0x60002000), PAGE, PROT_NONE));
	CHECK_OK(mm_mprotect(m, A(0x50000000), PAGE, RW));        /* shared, file open O_RDWR */
	CHECK_OK(r = open("/tmp/altmm_objects", O_RDONLY));
	MMAP_ERR(mm_mmap(m, A(0x58000000), PAGE, RW, MAP_SHARED, r, 0), EACCES);
	CHECK_EQ((uint32_t)mm_mmap(m, A(0x58000000), PAGE, PROT_READ, MAP_SHARED, r, 0), 0x58000000);
	CHECK_ERR(mm_mprotect(m, A(0x58000000), PAGE, RW), EACCES);  /* never writable */
	CHECK_OK(close(r));
	CHECK_ERR(mm_mprotect(f, A(0x60000000), PAGE, PROT_READ), NOT_MM_ERR);
	CHECK_ERR(mm_mprotect(9999, A(0x60000000), PAGE, PROT_READ), EBADF);

	CHECK_OK(close(m));
	CHECK_OK(close(p[0]));
	CHECK_OK(close(p[1]));
	CHECK_OK(close(f));
	CHECK_OK(unlink("/tmp/altmm_objects"));
}

/* memfd pages MAP_SHARED into several spaces are the same pages. */
static void test_memfd(void)
{
	int fd, s, m;

	CHECK_OK(fd = memfd_create("altmm_objects", MFD_CLOEXEC));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_OK(ftruncate(fd, 2 * PAGE));
	CHECK_OK(s = mm_self());
	CHECK_OK(m = mm_new());
	char *a = mmap(NULL, 2 * PAGE, RW, MAP_SHARED, fd, 0);
	char *b = mm_mmap(s, NULL, 2 * PAGE, RW, MAP_SHARED, fd, 0);
	CHECK(a != MAP_FAILED && b != MAP_FAILED && a != b);
	a[5] = 'q';
	CHECK_EQ(b[5], 'q');
	b[PAGE + 7] = 'r';
	CHECK_EQ(a[PAGE + 7], 'r');
	char *c = mm_mmap(s, NULL, PAGE, PROT_READ, MAP_SHARED, fd, 1);    /* page 1 alone */
	CHECK(c != MAP_FAILED);
	CHECK_EQ(c[7], 'r');
	CHECK_EQ((uint32_t)mm_mmap(m, A(0x20000000), 2 * PAGE, RW, MAP_SHARED | MAP_FIXED, fd, 0),
	         0x20000000);
	CHECK_OK(close(fd));                    /* the mappings hold the file */
	a[0] = 'z';
	CHECK_EQ(b[0], 'z');
	CHECK_OK(munmap(a, 2 * PAGE));
	CHECK_OK(mm_munmap(s, b, 2 * PAGE));
	CHECK_OK(munmap(c, PAGE));
	CHECK_OK(close(m));                     /* the last holder of the file: all freed */
	CHECK_OK(close(s));
}

int main(void)
{
	require_altmm();
	test_open();
	test_self();
	test_errors();
	test_memfd();
	return 0;
}
