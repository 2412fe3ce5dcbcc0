/*
 * System calls of guest processes: the Linux i386 ABI, one level down.
 *
 * A guest process's int $0x80 reaches us as SIGSYS (trap.c) with its
 * registers saved in its slot: the number in eax, the arguments in ebx,
 * ecx, edx, esi, edi, ebp, as on Linux.  The switch below calls the
 * call's function; its result goes back in eax.  A call that returns
 * BLOCK is left as it is (eax still the number) and runs again from the
 * start when its process is woken (sched.c).  A call we do not have
 * returns -ENOSYS, and says so once.
 */
#include "uml.h"
#include "sys.h"
#include <string.h>
#include <sys/syscall.h>
#include <uapi/fcntl.h>
#include <uapi/sched.h>

/* Linux's name of each call, for the message about one we lack. */
#define NAME(nr, name) [nr] = #name,
static const char *const names[] = { SYSCALL_NAMES(NAME) };

/* Say once what we lack ("system call", 172; "fcntl command", 9999), as
 * the host kernel says it: once per call number below 1024, once for
 * all numbers above, and for the rest up to 64 different things, after
 * which nothing more is said (and that is said once).  A program making
 * random calls must not flood the console, and through it slow the
 * guest to a crawl (the fuzzer did, with a line per call). */
void log_missing(struct proc *p, const char *what, unsigned n)
{
	static uint8_t said_call[1024 / 8], said_beyond, said_enough;
	static struct { const char *what; unsigned n; } said[64];
	static int nsaid;		/* never past 64: the loop reads said[0..nsaid) */
	if (!strcmp(what, "system call")) {
		uint8_t *byte = n < 1024 ? &said_call[n / 8] : &said_beyond;
		uint8_t bit = n < 1024 ? 1u << (n % 8) : 1;
		if (*byte & bit)
			return;
		*byte |= bit;
	} else {
		for (int i = 0; i < nsaid; i++)
			if (said[i].what == what && said[i].n == n)
				return;
		if (nsaid == 64) {
			if (!said_enough)
				klog("%s[%d]: more not implemented (not logged from now on)", p->comm, p->pid);
			said_enough = 1;
			return;
		}
		said[nsaid].what = what;
		said[nsaid++].n = n;
	}
	const char *name = !strcmp(what, "system call") && n < sizeof names / sizeof names[0]
	                   ? names[n] : NULL;
	klog("%s[%d]: %s %u (%s) not implemented%s", p->comm, p->pid, what, n, name ? name : "?",
	     !strcmp(what, "system call") && n >= 1024 ? " (further ones above 1023 are not logged)" : "");
}

/* Calls answered from the process table alone: 1 with the answer in *r,
 * or 0.  They need nothing of the caller's but its number. */
static int table_call(const struct proc *p, uint32_t nr, long *r)
{
	switch (nr) {
	case __NR_getpid:
	case __NR_gettid:       *r = p->pid; return 1;
	case __NR_getppid:      *r = p->ppid; return 1;
	case __NR_getpgrp:      *r = p->pgid; return 1;
	case __NR_getuid: case __NR_geteuid: case __NR_getgid: case __NR_getegid:
	case __NR_getuid32: case __NR_geteuid32: case __NR_getgid32: case __NR_getegid32:
		*r = cred_get(p, nr);   /* cred.c */
		return 1;
	default:
		return 0;
	}
}

static long dispatch(struct proc *p)
{
	const struct sigcontext *r = &p->regs;
	uint32_t a = r->ebx, b = r->ecx, c = r->edx, d = r->esi, e = r->edi, f = r->ebp;
	long answer;
	if (table_call(p, p->orig_eax, &answer))
		return answer;

	switch (p->orig_eax) {
	/* Processes */
	case __NR_exit:
	case __NR_exit_group:   return sys_exit(p, a);
	case __NR_fork:         return proc_fork(p, SIGCHLD, 0, 0, 0, 0);
	case __NR_vfork:        return proc_fork(p, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
	case __NR_clone:        return proc_fork(p, a, b, c, e, d);
	case __NR_execve:       return do_execve(p, a, b, c);
	case __NR_wait4:        return sys_wait4(p, a, b, c, d);
	case __NR_waitpid:      return sys_wait4(p, a, b, c, 0);
	case __NR_waitid:       return sys_waitid(p, a, b, c, d, e);
	case __NR_getpgid:      return sys_getpgid(p, a);
	case __NR_setpgid:      return sys_setpgid(p, a, b);
	case __NR_getsid:       return sys_getsid(p, a);
	case __NR_setsid:       return sys_setsid(p);
	case __NR_set_tid_address:
		p->clear_child_tid = a;
		return p->pid;
	case __NR_set_thread_area: return sys_set_thread_area(p, a);
	case __NR_get_thread_area: return sys_get_thread_area(p, a);
	case __NR_uname:        return sys_uname(p, a);
	case __NR_sysinfo:      return sys_sysinfo(p, a);
	case __NR_umask:        return sys_umask(p, a);
	case __NR_sched_yield:  return 0;
	case __NR_prlimit64:    return sys_prlimit64(p, a, b, c, d);
	case __NR_ugetrlimit:   return sys_ugetrlimit(p, a, b, 0);
	case __NR_getrlimit:    return sys_ugetrlimit(p, a, b, 1);
	case __NR_setrlimit:    return sys_setrlimit(p, a, b);
	case __NR_getrandom:    return sys_getrandom(p, a, b, c);
	case __NR_reboot:       return sys_reboot(p, a, b, c);
	case __NR_futex:        return sys_futex(p, a, b, c, d);
	case __NR_setuid: case __NR_setuid32: case __NR_setgid: case __NR_setgid32:
	case __NR_setreuid: case __NR_setreuid32: case __NR_setregid: case __NR_setregid32:
	case __NR_setresuid: case __NR_setresuid32: case __NR_setresgid: case __NR_setresgid32:
	case __NR_getresuid: case __NR_getresuid32: case __NR_getresgid: case __NR_getresgid32:
	case __NR_setfsuid: case __NR_setfsuid32: case __NR_setfsgid: case __NR_setfsgid32:
	case __NR_getgroups: case __NR_getgroups32: case __NR_setgroups: case __NR_setgroups32:
		return sys_cred(p, p->orig_eax, a, b, c);

	/* Memory */
	case __NR_brk:          return sys_brk(p, a);
	case __NR_mmap2:        return sys_mmap2(p, a, b, c, d, e, f);
	case __NR_munmap:       return sys_munmap(p, a, b);
	case __NR_mprotect:     return sys_mprotect(p, a, b, c);
	case __NR_mremap:       return sys_mremap(p, a, b, c, d, e);
	case __NR_madvise:      return sys_madvise(p, a, b, c);
	case __NR_getrusage:    return sys_getrusage(p, a, b);
	case __NR_times:        return sys_times(p, a);
	case __NR_prctl:        return sys_prctl(p, a, b);
	case __NR_mincore:      return sys_mincore(p, a, b, c);
	case __NR_mmap:         return sys_old_mmap(p, a);
	case __NR_msync:        return sys_msync(p, a, b, c);

	/* Files */
	case __NR_read:         return sys_read(p, a, b, c);
	case __NR_write:        return sys_write(p, a, b, c);
	case __NR_pread64:      return sys_pread_pwrite(p, 0, a, b, c, d, e);
	case __NR_pwrite64:     return sys_pread_pwrite(p, 1, a, b, c, d, e);
	case __NR_readv:        return sys_readv_writev(p, 0, a, b, c);
	case __NR_writev:       return sys_readv_writev(p, 1, a, b, c);
	case __NR_memfd_create: return sys_memfd_create(p, a, b);
	case __NR_open:         return sys_openat(p, AT_FDCWD, a, b, c);
	case __NR_openat:       return sys_openat(p, a, b, c, d);
	case __NR_creat:        return sys_openat(p, AT_FDCWD, a, O_CREAT | O_WRONLY | O_TRUNC, b);
	case __NR_close:        return sys_close(p, a);
	case __NR_close_range:  return sys_close_range(p, a, b, c);
	case __NR_dup:          return sys_fcntl(p, a, F_DUPFD, 0);
	case __NR_dup2:         return sys_dup3(p, a, b, 0, 1);
	case __NR_dup3:         return sys_dup3(p, a, b, c, 0);
	case __NR_fcntl:
	case __NR_fcntl64:      return sys_fcntl(p, a, b, c);
	case __NR_lseek:        return sys_lseek(p, a, b, c);
	case __NR__llseek:      return sys_llseek(p, a, b, c, d, e);
	case __NR_fstat64:      return sys_fstat64(p, a, b);
	case __NR_stat64:       return sys_fstatat64(p, AT_FDCWD, a, b, 0);
	case __NR_lstat64:      return sys_fstatat64(p, AT_FDCWD, a, b, AT_SYMLINK_NOFOLLOW);
	case __NR_fstatat64:    return sys_fstatat64(p, a, b, c, d);
	case __NR_statx:        return sys_statx(p, a, b, c, d, e);
	case __NR_getdents64:   return sys_getdents64(p, a, b, c);
	case __NR_ioctl:        return sys_ioctl(p, a, b, c);
	case __NR_pipe:         return sys_pipe2(p, a, 0);
	case __NR_pipe2:        return sys_pipe2(p, a, b);
	case __NR_poll:         return sys_poll(p, a, b, c);
	case __NR_ppoll:        return sys_ppoll(p, a, b, c, d, e, 0);
	case __NR__newselect:   return sys_select(p, a, b, c, d, e);
	case __NR_pselect6:     return sys_pselect6(p, a, b, c, d, e, f, 0);
	case __NR_sendfile64:   return sys_sendfile64(p, a, b, c, d);
	case __NR_sendfile:     return sys_sendfile(p, a, b, c, d);
	case __NR_preadv:       return sys_preadv_pwritev(p, 0, a, b, c, d, e);
	case __NR_pwritev:      return sys_preadv_pwritev(p, 1, a, b, c, d, e);
	case __NR_ppoll_time64: return sys_ppoll(p, a, b, c, d, e, 1);
	case __NR_pselect6_time64: return sys_pselect6(p, a, b, c, d, e, f, 1);
	case __NR_ftruncate:
	case __NR_fsync:
	case __NR_fdatasync:
	case __NR_fchmod:       return sys_fd_call(p, p->orig_eax, a, b, c, 0);
	case __NR_ftruncate64:  return sys_fd_call(p, p->orig_eax, a, b, c, 0);
	case __NR_sync:         return 0;
	case __NR_fadvise64:    return sys_fadvise(p, a, (uint32_t)d, e);
	case __NR_fadvise64_64: return sys_fadvise(p, a, (int64_t)((uint64_t)(uint32_t)e << 32 | (uint32_t)d), f);

	/* Paths */
	case __NR_chdir:        return sys_chdir(p, a);
	case __NR_fchdir:       return sys_fchdir(p, a);
	case __NR_getcwd:       return sys_getcwd(p, a, b);
	case __NR_access:       return path_call(p, __NR_faccessat, AT_FDCWD, a, b, 0);
	case __NR_faccessat:    return path_call(p, __NR_faccessat, a, b, c, 0);
	case __NR_faccessat2:   return path_call(p, __NR_faccessat2, a, b, c, d);
	case __NR_mkdir:        return path_call(p, __NR_mkdirat, AT_FDCWD, a, b & ~p->umask, 0);
	case __NR_mkdirat:      return path_call(p, __NR_mkdirat, a, b, c & ~p->umask, 0);
	case __NR_rmdir:        return path_call(p, __NR_unlinkat, AT_FDCWD, a, AT_REMOVEDIR, 0);
	case __NR_unlink:       return path_call(p, __NR_unlinkat, AT_FDCWD, a, 0, 0);
	case __NR_unlinkat:     return path_call(p, __NR_unlinkat, a, b, c, 0);
	case __NR_chmod:        return path_call(p, __NR_fchmodat, AT_FDCWD, a, b, 0);
	case __NR_fchmodat:     return path_call(p, __NR_fchmodat, a, b, c, 0);
	case __NR_rename:       return path_call2(p, __NR_renameat2, AT_FDCWD, a, AT_FDCWD, b, 0);
	case __NR_renameat:     return path_call2(p, __NR_renameat2, a, b, c, d, 0);
	case __NR_renameat2:    return path_call2(p, __NR_renameat2, a, b, c, d, e);
	case __NR_link:         return path_call2(p, __NR_linkat, AT_FDCWD, a, AT_FDCWD, b, 0);
	case __NR_linkat:       return path_call2(p, __NR_linkat, a, b, c, d, e);
	case __NR_symlink:      return sys_symlinkat(p, a, AT_FDCWD, b);
	case __NR_symlinkat:    return sys_symlinkat(p, a, b, c);
	case __NR_readlink:     return sys_readlinkat(p, AT_FDCWD, a, b, c);
	case __NR_readlinkat:   return sys_readlinkat(p, a, b, c, d);

	/* Attributes (sys_attr.c) */
	case __NR_fchownat:     return sys_fchownat(p, a, b, c, d, e);
	case __NR_chown32:      return sys_fchownat(p, AT_FDCWD, a, b, c, 0);
	case __NR_lchown32:     return sys_fchownat(p, AT_FDCWD, a, b, c, AT_SYMLINK_NOFOLLOW);
	case __NR_fchown32:     return sys_fchown32(p, a, b, c);
	case __NR_chown:        return sys_fchownat(p, AT_FDCWD, a, uid16(b), uid16(c), 0);
	case __NR_lchown:       return sys_fchownat(p, AT_FDCWD, a, uid16(b), uid16(c), AT_SYMLINK_NOFOLLOW);
	case __NR_fchown:       return sys_fchown32(p, a, uid16(b), uid16(c));
	case __NR_utimensat:    return sys_utimensat(p, a, b, c, d, 0);
	case __NR_utimensat_time64: return sys_utimensat(p, a, b, c, d, 1);
	case __NR_futimesat:    return sys_futimesat(p, a, b, c);
	case __NR_utimes:       return sys_futimesat(p, AT_FDCWD, a, b);
	case __NR_utime:        return sys_utime(p, a, b);
	case __NR_statfs:       return sys_statfs(p, a, 0, b, 0);
	case __NR_statfs64:     return sys_statfs(p, a, b, c, 1);
	case __NR_fstatfs:      return sys_fstatfs(p, a, 0, b, 0);
	case __NR_fstatfs64:    return sys_fstatfs(p, a, b, c, 1);
	case __NR_mknod:        return sys_mknodat(p, AT_FDCWD, a, b, c);
	case __NR_mknodat:      return sys_mknodat(p, a, b, c, d);
	case __NR_truncate:     return sys_truncate(p, a, (int32_t)b);
	case __NR_truncate64:   return sys_truncate(p, a, (int64_t)((uint64_t)c << 32 | b));

	/* Signals */
	case __NR_rt_sigaction:   return sys_rt_sigaction(p, a, b, c, d);
	case __NR_rt_sigprocmask: return sys_rt_sigprocmask(p, a, b, c, d);
	case __NR_rt_sigpending:  return sys_rt_sigpending(p, a, b);
	case __NR_rt_sigsuspend:  return sys_rt_sigsuspend(p, a, b);
	case __NR_rt_sigtimedwait: return sys_rt_sigtimedwait(p, a, b, c, d, 0);
	case __NR_rt_sigtimedwait_time64: return sys_rt_sigtimedwait(p, a, b, c, d, 1);
	case __NR_sigaction:      return sys_sigaction(p, a, b, c);
	case __NR_signal:         return sys_signal(p, a, b);
	case __NR_sigprocmask:    return sys_sigprocmask(p, a, b, c);
	case __NR_sigpending:     return sys_sigpending(p, a);
	case __NR_sigsuspend:     return sys_sigsuspend(p, c);
	case __NR_rt_sigreturn:   return sys_rt_sigreturn(p);
	case __NR_sigreturn:      return sys_sigreturn(p);
	case __NR_pause:          return sys_pause(p);
	case __NR_kill:           return sys_kill(p, a, b);
	case __NR_tkill:          return sys_tgkill(p, -1, a, b);
	case __NR_tgkill:         return sys_tgkill(p, a, b, c);
	case __NR_sigaltstack:    return sys_sigaltstack(p, a, b);
	case __NR_alarm:          return sys_alarm(p, a);
	case __NR_setitimer:      return sys_setitimer(p, a, b, c);
	case __NR_getitimer:      return sys_getitimer(p, a, b);

	/* Time */
	case __NR_nanosleep:      return sys_nanosleep(p, a, b);
	case __NR_clock_nanosleep: return sys_clock_nanosleep(p, a, b, c, d, 0);
	case __NR_clock_nanosleep_time64: return sys_clock_nanosleep(p, a, b, c, d, 1);
	case __NR_clock_gettime:
	case __NR_clock_gettime64:
	case __NR_clock_getres:
	case __NR_clock_getres_time64: return sys_clock_gettime(p, p->orig_eax, a, b);
	case __NR_gettimeofday:   return sys_gettimeofday(p, a, b);
	case __NR_time:           return sys_time(p, a);

	default:
		log_missing(p, "system call", p->orig_eax);
		return -ENOSYS;
	}
}

/* Run (or run again) the call p is making; its result into eax. */
void syscall_run(struct proc *p)
{
	long r = dispatch(p);
	if (debug > 1)
		klog("pid %d: syscall %u (%#x, %#x, %#x) = %ld%s", p->pid, p->orig_eax, p->regs.ebx,
		     p->regs.ecx, p->regs.edx, r, r == BLOCK ? " (blocks)" : "");
	if (r == BLOCK || p->state == P_ZOMBIE || p->state == P_FREE)
		return;                 /* waits, or made no return (exit) */
	if (r == -ERESTARTSYS)
		p->syscall_restartable = 1;     /* signal.c decides: again, or EINTR */
	p->regs.eax = r;
}

/* A new system call from p (SIGSYS). */
void syscall_entry(struct proc *p)
{
	p->orig_eax = p->regs.eax;
	p->partial = 0;
	p->syscall_restartable = 0;
	syscall_run(p);
}

/*
 * The fast path (trap.c calls it first for every SIGSYS): a call answered
 * from the process table, made by the process that is running and will go
 * on running with no signal to deliver, is answered in the frame itself,
 * regs being the frame's registers.  The general way would copy all the
 * registers into the process table and back and ask the scheduler; the
 * result is the same.  Returns 1 if it answered, 0 to take the general way.
 */
int syscall_fast(struct proc *p, struct sigcontext *regs)
{
	long r;
	if (!table_call(p, regs->eax, &r) || !sched_continues(p) || !sig_quiet(p))
		return 0;
	p->orig_eax = regs->eax;
	p->partial = 0;
	regs->eax = (uint32_t)r;
	return 1;
}
