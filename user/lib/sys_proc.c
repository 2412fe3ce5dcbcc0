/*
 * Thin wrappers: processes, memory, time and the odd ones.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#define RET(x) return __syscall_ret(x)

/* Flush stdout first, or the child would print our buffered text again. */
pid_t fork(void)
{
	fflush(NULL);
	RET(__syscall0(__NR_fork));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	fflush(NULL);
	RET(__syscall3(__NR_execve, path, argv, envp));
}

void _exit(int status)
{
	for (;;)
		__syscall1(__NR_exit_group, status);
}

pid_t getpid(void)                  { return __syscall0(__NR_getpid); }
pid_t getppid(void)                 { return __syscall0(__NR_getppid); }
pid_t gettid(void)                  { return __syscall0(__NR_gettid); }
pid_t getpgrp(void)                 { return __syscall0(__NR_getpgrp); }
int setpgid(pid_t p, pid_t g)       { RET(__syscall2(__NR_setpgid, p, g)); }
pid_t getpgid(pid_t p)              { RET(__syscall1(__NR_getpgid, p)); }
pid_t setsid(void)                  { RET(__syscall0(__NR_setsid)); }
pid_t getsid(pid_t p)               { RET(__syscall1(__NR_getsid, p)); }
uid_t getuid(void)                  { return __syscall0(__NR_getuid32); }
uid_t geteuid(void)                 { return __syscall0(__NR_geteuid32); }
int kill(pid_t pid, int sig)        { RET(__syscall2(__NR_kill, pid, sig)); }
int sched_yield(void)               { RET(__syscall0(__NR_sched_yield)); }

pid_t wait4(pid_t pid, int *st, int opt, void *ru) { RET(__syscall4(__NR_wait4, pid, st, opt, ru)); }
pid_t waitpid(pid_t pid, int *st, int opt)         { return wait4(pid, st, opt, NULL); }
pid_t wait(int *st)                                { return wait4(-1, st, 0, NULL); }

/* mmap2 takes the offset in pages, so it must be page-aligned. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (off & 4095) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return (void *)__syscall_ret(__syscall6(__NR_mmap2, (long)addr, len, prot,
	                                        flags, fd, (unsigned long)off >> 12));
}
int munmap(void *a, size_t len)               { RET(__syscall2(__NR_munmap, a, len)); }
int mprotect(void *a, size_t len, int prot)   { RET(__syscall3(__NR_mprotect, a, len, prot)); }
int msync(void *a, size_t len, int flags)     { RET(__syscall3(__NR_msync, a, len, flags)); }
int memfd_create(const char *name, unsigned flags) { RET(__syscall2(__NR_memfd_create, name, flags)); }

/*
 * The brk system call never fails as such: it returns the new break, or
 * the old one if it could not move it.  brk(0) asks for the current break.
 */
static unsigned long cur_brk;

int brk(void *addr)
{
	unsigned long r = __syscall1(__NR_brk, addr);
	cur_brk = r;
	if (r != (unsigned long)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(intptr_t delta)
{
	unsigned long old;

	if (!cur_brk)
		cur_brk = __syscall1(__NR_brk, 0);
	old = cur_brk;
	if (delta && brk((void *)(old + delta)) < 0)
		return (void *)-1;
	return (void *)old;
}

int clock_gettime(clockid_t c, struct timespec *ts) { RET(__syscall2(__NR_clock_gettime, c, ts)); }
int clock_getres(clockid_t c, struct timespec *ts)  { RET(__syscall2(__NR_clock_getres, c, ts)); }
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	RET(__syscall2(__NR_nanosleep, req, rem));
}
int clock_nanosleep(clockid_t c, int fl, const struct timespec *req, struct timespec *rem)
{
	return -__syscall4(__NR_clock_nanosleep, c, fl, req, rem);
}
int gettimeofday(struct timeval *tv, struct timezone *tz)
{
	RET(__syscall2(__NR_gettimeofday, tv, tz));
}
time_t time(time_t *t)              { RET(__syscall1(__NR_time, t)); }

unsigned sleep(unsigned s)
{
	struct timespec ts = { (int32_t)s, 0 };
	return nanosleep(&ts, &ts) < 0 ? (unsigned)ts.tv_sec : 0;
}

int usleep(unsigned us)
{
	struct timespec ts = { (int32_t)(us / 1000000), (int32_t)(us % 1000000) * 1000 };
	return nanosleep(&ts, NULL);
}

int uname(struct new_utsname *u)    { RET(__syscall1(__NR_uname, u)); }
int getrlimit(int r, struct rlimit *l)         { RET(__syscall2(__NR_ugetrlimit, r, l)); }
int setrlimit(int r, const struct rlimit *l)   { RET(__syscall2(__NR_setrlimit, r, l)); }
int prlimit64(pid_t p, int r, const struct rlimit64 *n, struct rlimit64 *o)
{
	RET(__syscall4(__NR_prlimit64, p, r, n, o));
}
ssize_t getrandom(void *b, size_t n, unsigned fl) { RET(__syscall3(__NR_getrandom, b, n, fl)); }

int reboot(unsigned cmd)
{
	RET(__syscall4(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0));
}
