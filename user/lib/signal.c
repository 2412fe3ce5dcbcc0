/*
 * Signal wrappers: sigaction with our restorers, the sigset functions,
 * masks, sending, waiting, timers and the alternate stack.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <uapi/altmm.h>
#include <unistd.h>
#include <sys/syscall.h>

#define RET(x) return __syscall_ret(x)

/*
 * Our struct sigaction is rt_sigaction's layout, so only the restorer
 * needs filling in.  The frame Linux builds depends on SA_SIGINFO (rt
 * frame or plain frame), and each kind needs its own return call, so the
 * restorer must match the flag.  A caller's own SA_RESTORER is kept.
 * The old action is read into a buffer with room for altmm's sa_mm
 * (written after it when that action has SA_IN_MM), so that asking about
 * such an action never writes past the caller's struct sigaction.
 */
int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact)
{
	struct sigaction k;
	struct kernel_sigaction_mm old;   /* an SA_IN_MM action reports sa_mm too */
	long r;

	if (act) {
		k = *act;
		if (!(k.sa_flags & SA_RESTORER)) {
			k.sa_flags |= SA_RESTORER;
			k.sa_restorer = (k.sa_flags & SA_SIGINFO) ? __restore_rt : __restore;
		}
		act = &k;
	}
	r = __syscall4(__NR_rt_sigaction, sig, act, oldact ? &old : NULL, sizeof(sigset_t));
	if (r == 0 && oldact)
		memcpy(oldact, &old.sa, sizeof *oldact);
	RET(r);
}

/* BSD semantics, as glibc's signal(): the handler stays, calls restart. */
sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigemptyset(sigset_t *set)      { *set = 0; return 0; }
int sigfillset(sigset_t *set)       { *set = ~(sigset_t)0; return 0; }

static int bad_signal(int sig)
{
	if (sig < 1 || sig > NSIG) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	sigset_add(set, sig);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	sigset_del(set, sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	return sigset_has(set, sig);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	RET(__syscall4(__NR_rt_sigprocmask, how, set, old, sizeof(sigset_t)));
}

int sigpending(sigset_t *set)       { RET(__syscall2(__NR_rt_sigpending, set, sizeof(sigset_t))); }
int sigsuspend(const sigset_t *m)   { RET(__syscall2(__NR_rt_sigsuspend, m, sizeof(sigset_t))); }
int pause(void)                     { RET(__syscall0(__NR_pause)); }

/* Returns the signal taken (its siginfo in *info), or -1: EAGAIN on timeout. */
int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	RET(__syscall4(__NR_rt_sigtimedwait, set, info, timeout, sizeof(sigset_t)));
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	return sigtimedwait(set, info, NULL);
}

int tkill(pid_t tid, int sig)             { RET(__syscall2(__NR_tkill, tid, sig)); }
int tgkill(pid_t tgid, pid_t tid, int sig) { RET(__syscall3(__NR_tgkill, tgid, tid, sig)); }

/* To this thread: si_code SI_TKILL, as with glibc. */
int raise(int sig)                  { return tgkill(getpid(), gettid(), sig); }

int killpg(pid_t pgrp, int sig)
{
	if (pgrp < 0) {
		errno = EINVAL;
		return -1;
	}
	return kill(-pgrp, sig);
}

unsigned alarm(unsigned s)          { return (unsigned)__syscall1(__NR_alarm, s); }

int setitimer(int which, const struct itimerval *v, struct itimerval *old)
{
	RET(__syscall3(__NR_setitimer, which, v, old));
}

int getitimer(int which, struct itimerval *v)  { RET(__syscall2(__NR_getitimer, which, v)); }

int sigaltstack(const stack_t *ss, stack_t *old) { RET(__syscall2(__NR_sigaltstack, ss, old)); }
