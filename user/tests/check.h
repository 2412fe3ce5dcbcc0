/*
 * check.h: the tests' assertions.
 *
 * A test is a program: exit 0 = pass, 1 = fail, 77 = skip.  The first
 * failed check prints "file:line: expected X, got Y" and exits 1.
 *
 *   CHECK(cond)              cond must be true
 *   CHECK_EQ(got, want)      two integers (compared as long long)
 *   CHECK_STR(got, want)     two strings
 *   CHECK_OK(call)           call returns >= 0 (else errno is printed)
 *   CHECK_ERR(call, E)       call returns -1 with errno == E
 *   SKIP("why")              print the reason, exit 77
 *
 * In a forked child the same macros work: the child prints and exits 1, and
 * the parent's check of the child's status fails in turn.
 */
#ifndef CHECK_H
#define CHECK_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <memstat.h>

#define TEST_SKIP 77

static inline void __attribute__((noreturn, format(printf, 3, 4)))
check_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	printf("%s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

#define CHECK(cond) do { \
	if (!(cond)) \
		check_fail(__FILE__, __LINE__, "expected %s, got false", #cond); \
} while (0)

#define CHECK_EQ(got, want) do { \
	long long _g = (long long)(got), _w = (long long)(want); \
	if (_g != _w) \
		check_fail(__FILE__, __LINE__, "expected %s == %lld (%#llx), got %lld (%#llx)", \
		           #got, _w, _w, _g, _g); \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *_g = (got), *_w = (want); \
	if (!_g || strcmp(_g, _w)) \
		check_fail(__FILE__, __LINE__, "expected %s == \"%s\", got \"%s\"", \
		           #got, _w, _g ? _g : "(null)"); \
} while (0)

#define CHECK_OK(call) do { \
	errno = 0; \
	long _r = (long)(call); \
	if (_r < 0) \
		check_fail(__FILE__, __LINE__, "expected %s to succeed, got %ld (errno %d, %s)", \
		           #call, _r, errno, strerror(errno)); \
} while (0)

#define CHECK_ERR(call, err) do { \
	errno = 0; \
	long _r = (long)(call); \
	int _e = errno; \
	if (_r != -1 || _e != (err)) \
		check_fail(__FILE__, __LINE__, "expected %s to fail with %s (%d), got %ld (errno %d, %s)", \
		           #call, #err, err, _r, _e, strerror(_e)); \
} while (0)

#define SKIP(...) do { \
	printf(__VA_ARGS__); \
	printf("\n"); \
	exit(TEST_SKIP); \
} while (0)

/* A system call with six arguments, straight through int $0x80 (no C
 * library code around it): the result as the kernel returns it, -errno on
 * failure.  Six arguments use every register, ebp included, so it is a
 * small function that takes them from its own stack frame. */
long raw_syscall6(long nr, long a, long b, long c, long d, long e, long f);
__asm__(".text\n"
	"raw_syscall6:\n"
	"	pushl %ebp\n	pushl %edi\n	pushl %esi\n	pushl %ebx\n"
	"	movl 20(%esp), %eax\n	movl 24(%esp), %ebx\n	movl 28(%esp), %ecx\n"
	"	movl 32(%esp), %edx\n	movl 36(%esp), %esi\n	movl 40(%esp), %edi\n"
	"	movl 44(%esp), %ebp\n"
	"	int $0x80\n"
	"	popl %ebx\n	popl %esi\n	popl %edi\n	popl %ebp\n"
	"	ret\n");

/* Are we on our own kernel (uname version mentions altmm) or on Linux? */
static inline int on_our_kernel(void)
{
	struct new_utsname u;
	return uname(&u) == 0 && strstr(u.version, "altmm") != NULL;
}

/* Skip the test, saying why, unless this is our kernel with altmm in it:
 * on Linux, inside the guest kernel (uml-guest), or in an ALTMM=0 build
 * there is no altmm to test. */
static inline void require_altmm(void)
{
	struct new_utsname u;
	if (uname(&u) != 0)
		SKIP("uname failed: cannot tell which kernel this is");
	if (!strstr(u.version, "altmm"))
		SKIP("altmm is the altmm kernel's own ABI, and this is %s (%s)", u.release, u.version);
	if (strstr(u.version, "ALTMM=0"))
		SKIP("this kernel was built without altmm (ALTMM=0)");
}

/* Wait for pid and return its raw status word (fails the test on error). */
static inline int wait_status(pid_t pid)
{
	int status = -1;
	pid_t r = waitpid(pid, &status, 0);
	if (r != pid)
		check_fail(__FILE__, __LINE__, "waitpid(%d) returned %d (errno %d)", pid, r, errno);
	return status;
}

/* Fork a child that runs fn(arg) and exits with its result; return the status word. */
static inline int run_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	if (pid < 0)
		check_fail(__FILE__, __LINE__, "fork failed (errno %d)", errno);
	if (pid == 0)
		_exit(fn(arg));
	return wait_status(pid);
}

/*
 * Touch one byte at addr in a forked child (read, or write if write != 0)
 * and return the child's status word: 0 if the access worked, or the
 * number of the signal that killed it (SIGSEGV = 11, SIGBUS = 7).  Our
 * kernel has no signal handlers yet, so this is how tests look at faults.
 */
static inline int probe(volatile char *addr, int write)
{
	pid_t pid = fork();
	if (pid < 0)
		check_fail(__FILE__, __LINE__, "fork failed (errno %d)", errno);
	if (pid == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		_exit(0);
	}
	return wait_status(pid);
}

/* The kernel heap's live blocks (<memstat.h>), or -1 where there is none
 * (Linux).  A leaked kmalloc block stays inside the heap's pages, which
 * meminfo's Slab counts, so runtests's MemFree + Slab check cannot see
 * it; this can. */
static inline long kheap_blocks(void)
{
	return kheap_live_blocks();
}

#define PAGE 4096

#endif
