/*
 * Tasks: the kernel's schedulable threads of control (kernel/task.c).
 *
 * Each task has its own kernel stack, at whose top sits the trapframe of
 * its user-mode registers while it is in the kernel.  Process-wide state
 * (address space, open files, current directory) is reached through
 * pointers so that it can be shared later (threads, CLONE_VM/CLONE_FILES)
 * and so that nothing assumes a task has one address space forever.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/trap.h>

#define KSTACK_SIZE	8192
#define TASK_COMM_LEN	16

struct mm;
struct files;
struct inode;
struct trapframe;

enum task_state {
	TASK_RUNNABLE,		/* on the run queue or running */
	TASK_SLEEPING,		/* on a wait queue; a signal wakes it */
	TASK_SLEEPING_HARD,	/* on a wait queue; only wake_up wakes it */
	TASK_STOPPED,		/* stopped by a signal until SIGCONT */
	TASK_ZOMBIE,		/* exited; its parent has not reaped it yet */
};

struct task {
	int pid;
	int pgid, sid;
	enum task_state state;
	char comm[TASK_COMM_LEN];	/* name of the program, as Linux's comm */
	/* Credentials (<kernel/cred.h>, kernel/cred.c).  uid is the real user
	 * id, which RLIMIT_NPROC counts by; init is root (all zero); fork
	 * copies them and shares groups (NULL: no supplementary groups). */
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	struct group_info *groups;

	/* Scheduling */
	uint32_t kstack;		/* lowest address of the kernel stack */
	uint32_t kernel_esp;		/* saved by switch_to while not running */
	struct task *run_next;		/* run queue link */
	struct task *wait_next;		/* wait queue link */
	struct waitq *waiting_on;	/* the queue it sleeps on, if any */
	uint64_t wake_tick;		/* for sleep_ticks: 0 if not timed */

	/* What it runs in and with */
	struct mm *mm;			/* its home address space */
	struct mm *active_mm;		/* the space it runs in now (altmm): mm when home */
	int active_mm_fd;		/* the descriptor it entered active_mm through, -1 at home */
	struct mm *altmm_space;		/* sigaltmm: where SA_IN_MM handlers run, or NULL */
	int altmm_fd;			/* the descriptor sigaltmm was given */
	struct files *files;		/* descriptor table */
	struct inode *cwd;		/* current directory */
	char *exe_path;			/* what /proc/self/exe names (kmalloc'd) */
	uint32_t tls_entries[3][2];	/* set_thread_area GDT descriptors */
	uint8_t fpu[512] __attribute__((aligned(16)));	/* FPU/SSE registers (fpu.c) */
	uint8_t fpu_stash[512] __attribute__((aligned(16)));	/* a guest's, put aside (altmm) */
	bool fpu_lazy, fpu_touched, fpu_stashed;	/* lazy FPU for guests (fpu.c) */
	struct task *vfork_parent;	/* parent waiting for our exec or exit */
	struct rlimit64_pair { uint64_t cur, max; } rlimits[16];	/* getrlimit and friends */

	/* Family */
	struct task *parent;
	struct task *children;		/* first child */
	struct task *sibling;		/* next child of the same parent */
	struct waitq child_exit;	/* parent sleeps here in wait4 */
	int exit_status;		/* wait4 status word once a zombie */
	int exit_signal;		/* sent to the parent at exit (SIGCHLD) */
	uint32_t clear_child_tid;	/* set_tid_address / CLONE_CHILD_CLEARTID */

	struct task *all_next;		/* list of every task, for /proc and kill */

	/* Signals.  sig_work is the one word the return-to-user path tests. */
	uint32_t sig_work;
	struct task_signals sig;
	int syscall_nr;			/* the system call in progress, or -1 */
	bool stopped_reported;		/* wait4 has reported the current stop */
	bool continued;			/* SIGCONT since the last wait4 report */
	uint32_t umask;			/* file creation mask */
	bool exec_done;			/* has called execve since fork (setpgid: EACCES) */
	bool oom_victim;		/* chosen by the OOM killer (kernel/oom.c) */

	/* Interval timers (kernel/itimer.c), in timer ticks. */
	uint64_t itimer_real_at, itimer_real_interval;		/* deadline, 0: off */
	uint64_t itimer_virt_left, itimer_virt_interval;	/* user ticks left, 0: off */
	uint64_t itimer_prof_left, itimer_prof_interval;

	/* The last CPU exception it took, for sigcontext's trapno, err, cr2. */
	uint32_t trap_nr, trap_err, trap_cr2;

	/* For /proc (kernel/stats.c, kernel/fs/procfs_pid.c): CPU time in
	 * ticks, when it was made (ticks since boot), and how often it gave
	 * up the CPU by sleeping (voluntary) or by being preempted. */
	uint64_t utime, stime, cutime, cstime, start_time;
	uint32_t nvcsw, nivcsw;
	/* getrusage (kernel/rusage.c): faults resolved, the peak resident set
	 * in KiB as it exited, and the same summed (maxrss: the largest) over
	 * the children reaped, theirs included. */
	uint32_t min_flt, maxrss_kb;
	uint32_t cmin_flt, cmaxrss_kb, cnvcsw, cnivcsw;
	/* prctl (kernel/prctl.c): the signal to get when the parent exits,
	 * dumpable (0 or 1), and whether orphans below come to this task. */
	int pdeath_signal, dumpable;
	bool child_subreaper;
};

/* The task running on the CPU. */
extern struct task *current;

/* The user registers of the current task's system call or trap: at the
 * top of its kernel stack, where the trap entry pushed them. */
static inline struct trapframe *task_trapframe(struct task *t)
{
	return (struct trapframe *)(t->kstack + KSTACK_SIZE - sizeof(struct trapframe));
}

/* Recompute t->sig_work from its pending and blocked sets (inline: every
 * sigreturn and sigprocmask does it). */
static inline void signal_recalc(struct task *t)
{
	t->sig_work = ((t->sig.pending | t->sig.shared_pending) & ~t->sig.blocked) != 0;
}

/* A guest (altmm) that has not used the FPU since it was entered (fpu.c). */
static inline bool fpu_guest_untouched(const struct task *t)
{
	return t->fpu_lazy && !t->fpu_touched;
}

/*
 * May t exceed the limits meant for users (Linux's CAP_SYS_RESOURCE: past
 * fs.pipe-max-size, RLIMIT_NPROC)?  A task whose effective uid is 0
 * may (<kernel/cred.h>).  t may be NULL (the kernel itself): yes.
 */
static inline bool task_capable_resource(const struct task *t)
{
	return !t || t->euid == 0;
}

/* A new task sharing nothing yet: pid, kernel stack, initial FPU state.
 * NULL when out of memory or out of pids.  The caller fills mm, files,
 * cwd, and makes it runnable with sched_enqueue. */
struct task *task_create(const char *comm);
/* The same with a pid from task_alloc_pid (fork, which tells its errors apart). */
struct task *task_create_pid(const char *comm, int pid);
/*
 * A free pid, as Linux allocates them: the next number after the last one
 * given, below kernel.pid_max, skipping every number a task uses as its
 * pid, process group or session (zombies included); after reaching
 * pid_max it wraps around to RESERVED_PIDS (300).  -EAGAIN when none is free.
 */
int task_alloc_pid(void);
/*
 * May parent fork now?  -EAGAIN past RLIMIT_NPROC (the tasks of its real
 * user, zombies included; root is exempt) or kernel.threads-max (all
 * tasks, zombies included), as Linux's copy_process; else 0.
 */
int task_fork_allowed(const struct task *parent);
/* kernel.pid_max and kernel.threads-max (/proc/sys/kernel), and their
 * ranges as Linux's sysctls have them. */
extern int pid_max;
extern int max_threads;
#define PID_MAX_MIN	301		/* RESERVED_PIDS + 1 */
#define PID_MAX_LIMIT	32768		/* 32-bit Linux's PID_MAX_LIMIT (and default) */
#define THREADS_MAX_MIN	1
#define THREADS_MAX_LIMIT 0x3fffffff	/* FUTEX_TID_MASK */
/* Compute threads-max from the RAM, as Linux's fork_init: pages *
 * PAGE_SIZE / (THREAD_SIZE * 8), at least 20.  Call once pmm is up. */
void task_limits_init(void);
/* Tasks that exist now, zombies included (Linux's nr_threads). */
int task_count(void);
/* The last pid given (Linux's ns_last_pid): the search goes on after it.
 * Setting it is for the self-tests, which put it back. */
int task_last_pid(void);
void task_set_last_pid(int pid);
void task_free(struct task *t);	/* a reaped zombie's last resources */
void task_set_comm(struct task *t, const char *path);

struct task *task_find(int pid);
/* First task of the list of all tasks; walk with ->all_next. */
struct task *task_list(void);

#endif
