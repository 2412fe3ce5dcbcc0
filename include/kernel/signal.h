/*
 * Signals (kernel/signal.c, kernel/signal_syscalls.c, kernel/itimer.c,
 * kernel/arch/x86/signal_frame.c).
 *
 * A signal is sent to a task: it becomes pending (with its siginfo), and
 * the task's sig_work word is set when some pending signal is not blocked.
 * On the way back to user mode the trap exit path tests that one word; if
 * it is set, signal_deliver takes the pending signals one by one: an
 * ignored one is dropped, a default action is carried out (terminate,
 * ignore, stop, continue), and a caught one gets a frame on the user
 * stack, built like Linux's, and the task returns into its handler.
 *
 * A system call that sleeps is interrupted by a deliverable signal: the
 * sleep returns -ERESTARTSYS, and signal delivery then turns that into
 * -EINTR or restarts the call, as the handler's SA_RESTART says.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/arch.h>
#include <kernel/trap.h>
#include <uapi/signal.h>

struct task;
struct trapframe;

/* Internal "errors" of interrupted system calls; never seen by user space. */
#define ERESTARTSYS	512	/* restart if the handler has SA_RESTART, else -EINTR */
#define ERESTARTNOINTR	513	/* always restart */
#define ERESTARTNOHAND	514	/* restart only if no handler runs, else -EINTR */

#define SIGMASK(sig)	(1ull << ((sig) - 1))
/* Signals that can be neither caught, blocked nor ignored. */
#define SIG_UNBLOCKABLE	(SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))

struct k_sigaction {
	uint32_t handler;	/* SIG_DFL (0), SIG_IGN (1) or a user address */
	uint32_t flags;		/* SA_* */
	uint32_t restorer;
	uint64_t mask;
	int32_t mm_fd;		/* SA_IN_MM: sa_mm, the space to run in (-1: sigaltmm's) */
};

/* One pending signal with its information (standard signals: one at a time). */
struct sigqueue {
	siginfo_t info;
	bool shared;		/* sent to the process (kill), not to the thread */
	struct sigqueue *next;
};

/*
 * The signal part of struct task (one thread per process for now).  As in
 * Linux there are two pending sets: signals sent to the thread (tkill,
 * tgkill, raise, faults) and signals sent to the process (kill, SIGCHLD,
 * timers, the terminal).  The same standard signal can be pending in both,
 * and is then delivered twice: the thread's first.
 */
struct task_signals {
	uint64_t pending, shared_pending, blocked;
	struct sigqueue *queue;
	struct k_sigaction action[NSIG];
	uint32_t altstack_sp, altstack_size, altstack_flags;
	uint64_t saved_blocked;		/* sigsuspend: restored after the handler */
	/* One queue entry kept with the task, used before any from the heap:
	 * a signal at a time (the usual case) costs no allocation. */
	struct sigqueue spare;
	bool spare_used;
	bool restore_blocked;
	int stop_signal;		/* the signal that stopped it, for wait4 */
};

void signal_task_init(struct task *t);			/* a fresh task: nothing pending */
void signal_fork(struct task *child, const struct task *parent);
void signal_exec(struct task *t);			/* handlers back to SIG_DFL */
void signal_task_free(struct task *t);

/* Send sig with info to thread t; info NULL means "from the kernel"
 * (SI_KERNEL).  Returns 0, or -EAGAIN if a real-time signal could not be
 * queued. */
int send_signal(struct task *t, int sig, const siginfo_t *info);
/* The same, to t's process as a whole (kill). */
int send_signal_process(struct task *t, int sig, const siginfo_t *info);
/* A signal the task's own fault raised: it cannot be blocked or ignored
 * (a blocked or ignored one is reset to the default action, as Linux does). */
void force_signal(struct task *t, int sig, int code, uint32_t addr);
/* Send sig to every task of a process group; 0 or -ESRCH. */
int send_signal_pgrp(int pgrp, int sig, const siginfo_t *info);

/* Take the next pending signal in `allowed` off t's pending sets; 0 if none. */
int signal_dequeue(struct task *t, uint64_t allowed, siginfo_t *info);
/* Drop every pending instance of sig (it was set to be ignored). */
void signal_discard(struct task *t, int sig);
/* Is the default action of sig to ignore it? */
bool signal_default_ignored(int sig);

/* signal_recalc(t), recomputing t->sig_work, is inline in <kernel/task.h>. */
bool signal_pending(const struct task *t);

/* Build the frame for caught signal sig now, bypassing the pending queue
 * (the guest system-call fast path); false if it could not be built. */
bool signal_handle(struct trapframe *tf, int sig, const siginfo_t *info, struct k_sigaction *ka);

/* The return-to-user path: deliver what is pending (tf: user registers). */
void signal_deliver(struct trapframe *tf);

/* From the timer interrupt: interval timers (kernel/itimer.c). */
void itimer_tick(uint64_t now, bool user_mode);

/* Frames (kernel/arch/x86/signal_frame.c). */
enum frame_kind { FRAME_PLAIN, FRAME_RT, FRAME_ALTMM };
struct trapframe;
int signal_setup_frame(struct trapframe *tf, int sig, const siginfo_t *info,
		       const struct k_sigaction *ka, uint64_t old_blocked);
int signal_build_frame(struct trapframe *tf, int sig, const siginfo_t *info, const struct k_sigaction *ka,
		       uint64_t old_blocked, uint32_t sp, uint32_t stack_limit, enum frame_kind kind,
		       int32_t uc_mm);
/* Every word of sc from the trap frame, the current task's last trap
 * (trapno, err, cr2), fpstate and oldmask. */
void signal_save_sigcontext(struct sigcontext *sc, const struct trapframe *tf, uint32_t fpstate,
			    uint32_t oldmask);
/* Point the registers at handler, its frame at frame (eax = sig; edx and
 * ecx, the other two arguments, are the caller's business).  Inline: the
 * altmm fast path takes it on every guest system call. */
static inline void signal_enter_handler(struct trapframe *tf, int sig, uint32_t handler, uint32_t frame)
{
	tf->eax = (uint32_t)sig;
	tf->eip = handler;
	tf->user_esp = frame;
	tf->cs = SEL_USER_CS;
	tf->ds = tf->es = tf->user_ss = SEL_USER_DS;
	tf->eflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_RF);
}
/* The signal of a CPU exception the current task took (tf: its registers):
 * as force_signal; from a guest space, straight to its SA_IN_MM handler. */
void force_trap_signal(struct trapframe *tf, int sig, int code, uint32_t addr);
/* A synchronous trap with its full siginfo (see force_signal). */
void force_signal_info(struct task *t, const siginfo_t *info);

/* A child changed state: tell its parent (SIGCHLD, as its action says). */
void signal_child_exited(struct task *child);

#endif
