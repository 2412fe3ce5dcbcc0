/*
 * Signal numbers and sigaction/sigprocmask constants of Linux i386.
 * (struct sigaction, siginfo and the frames come with the signals issue.)
 */
#ifndef UAPI_SIGNAL_H
#define UAPI_SIGNAL_H

#define SIGHUP      1
#define SIGINT      2
#define SIGQUIT     3
#define SIGILL      4
#define SIGTRAP     5
#define SIGABRT     6
#define SIGIOT      6
#define SIGBUS      7
#define SIGFPE      8
#define SIGKILL     9
#define SIGUSR1     10
#define SIGSEGV     11
#define SIGUSR2     12
#define SIGPIPE     13
#define SIGALRM     14
#define SIGTERM     15
#define SIGSTKFLT   16
#define SIGCHLD     17
#define SIGCONT     18
#define SIGSTOP     19
#define SIGTSTP     20
#define SIGTTIN     21
#define SIGTTOU     22
#define SIGURG      23
#define SIGXCPU     24
#define SIGXFSZ     25
#define SIGVTALRM   26
#define SIGPROF     27
#define SIGWINCH    28
#define SIGIO       29
#define SIGPOLL     SIGIO
#define SIGPWR      30
#define SIGSYS      31

/* Real-time signals: 32 .. 64 (glibc reserves the first few). */
#define SIGRTMIN    32
#define SIGRTMAX    64
#define NSIG        64      /* the kernel's _NSIG: signals are 1 .. NSIG */

/* sa_flags. */
#define SA_NOCLDSTOP    0x00000001  /* no SIGCHLD when a child stops */
#define SA_NOCLDWAIT    0x00000002  /* children do not become zombies */
#define SA_SIGINFO      0x00000004  /* handler(sig, siginfo *, ucontext *) */
#define SA_UNSUPPORTED  0x00000400
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_RESTORER     0x04000000  /* sa_restorer is the return trampoline */
#define SA_ONSTACK      0x08000000  /* run on the sigaltstack */
#define SA_RESTART      0x10000000  /* restart interrupted system calls */
#define SA_NODEFER      0x40000000  /* do not block the signal in its handler */
#define SA_RESETHAND    0x80000000  /* reset to SIG_DFL on delivery */

/* Special handlers. */
#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)
#define SIG_ERR ((void (*)(int))-1)

/* sigprocmask / rt_sigprocmask "how". */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sigaltstack. */
#define SS_ONSTACK  1
#define SS_DISABLE  2
#define MINSIGSTKSZ 2048
#define SIGSTKSZ    8192

#endif
