/*
 * Signals: handlers, masks, sending, waiting, alternate stacks.
 *
 * The structs (siginfo_t, stack_t, ucontext_t, struct sigcontext) and the
 * constants are the kernel's, from <uapi/signal.h>.  Our sigset_t is the
 * kernel's 64-bit set itself (glibc's is 1024 bits; the kernel only ever
 * reads 64), and our struct sigaction is laid out exactly as rt_sigaction
 * reads it, so lib/signal.c passes it straight through.
 *
 * sigaction() always installs one of our restorers (lib/sigreturn.S) with
 * SA_RESTORER, as glibc does: __restore_rt (rt_sigreturn) for SA_SIGINFO
 * handlers, which get an rt frame, and __restore (sigreturn) for the others.
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <sys/types.h>
#include <uapi/signal.h>
#include <uapi/time.h>

typedef kernel_sigset_t sigset_t;
typedef int sig_atomic_t;
typedef void (*sighandler_t)(int);

struct sigaction {
	union {
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	unsigned long sa_flags;
	void (*sa_restorer)(void);
	sigset_t sa_mask;
};

_Static_assert(sizeof(struct sigaction) == sizeof(struct kernel_sigaction), "sigaction");
_Static_assert(offsetof(struct sigaction, sa_mask) == offsetof(struct kernel_sigaction, sa_mask),
               "sigaction sa_mask");

/* Handlers. */
int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact);
sighandler_t signal(int sig, sighandler_t handler);   /* SA_RESTART, like glibc */

/* The restorers (lib/sigreturn.S): never called directly. */
void __restore_rt(void);       /* movl $173, %eax; int $0x80 */
void __restore(void);          /* popl %eax; movl $119, %eax; int $0x80 */

/* Sets.  sigaddset/sigdelset/sigismember fail with EINVAL outside 1..64. */
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

/* The blocked mask, pending signals, waiting. */
int sigprocmask(int how, const sigset_t *set, sigset_t *oldset);  /* rt_sigprocmask */
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);        /* always -1 (EINTR) */
int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout);
int sigwaitinfo(const sigset_t *set, siginfo_t *info);
int pause(void);                             /* always -1 (EINTR) */

/* Sending. */
int kill(pid_t pid, int sig);
int killpg(pid_t pgrp, int sig);             /* kill(-pgrp, sig) */
int raise(int sig);                          /* tgkill(getpid(), gettid(), sig) */
int tkill(pid_t tid, int sig);
int tgkill(pid_t tgid, pid_t tid, int sig);

/* Timers: alarm(2) and the interval timers (ITIMER_* in uapi/time.h). */
unsigned alarm(unsigned seconds);
int setitimer(int which, const struct itimerval *val, struct itimerval *old);
int getitimer(int which, struct itimerval *val);

/* The alternate signal stack. */
int sigaltstack(const stack_t *ss, stack_t *old);

/* Names: "Segmentation fault"...; psignal prints "s: name" on stderr. */
const char *strsignal(int sig);
void psignal(int sig, const char *s);

#endif
