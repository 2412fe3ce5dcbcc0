/*
 * uml-guest: a kernel that runs as an ordinary program of the host kernel
 * and runs its own processes, each in a host address space of its own,
 * entered and left through signal frames (altmm, docs/06-altmm.md).
 * docs/07-uml-guest.md is the guided tour; this header is the map.
 *
 * Words used throughout:
 *   host       the kernel we run on; its system calls are ours to make.
 *   guest      us, the kernel in this program; "guest process" is a
 *              process of ours, running Linux i386 programs unchanged.
 *   physical   guest physical memory: one memfd (mem.c), mapped into our
 *              own space at phys_base, and page by page into the spaces
 *              of guest processes.  A "pfn" is a page number in it.
 *   user       a guest process's addresses; never followed as pointers
 *              here, always translated through its page table (uaccess.c).
 *
 * All of the kernel runs inside one signal handler (trap.c), with every
 * signal it handles blocked: like a uniprocessor kernel running with
 * interrupts off, it is never re-entered.  The home code (boot.c) only
 * boots and then idles.
 */
#ifndef UML_H
#define UML_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <uapi/altmm.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ldt.h>

#define PAGE            4096u
#define PAGE_SHIFT      12
#define PAGE_DOWN(a)    ((uint32_t)(a) & ~(PAGE - 1))
#define PAGE_UP(a)      (((uint32_t)(a) + PAGE - 1) & ~(PAGE - 1))

/* A guest process's address space, Linux i386's shape. */
#define USER_TOP        0xC0000000u     /* the host's kernel half starts here */
#define STACK_SIZE      (8u << 20)      /* the stack area below USER_TOP */
#define MMAP_TOP        (USER_TOP - STACK_SIZE - (1u << 20))  /* mmap searches down from here */

#define DEFAULT_MEM_MIB 256             /* mem= unless told: costs the host only what is used */
#define TICK_US         10000           /* our timer (sched.c): preemption, timeouts */
#define PROC_TABLE      32768           /* slots for guest processes: pid_max's ceiling (proc.c) */
#define NR_OPEN_DEFAULT 32              /* a new descriptor table's slots (file.c) */
#define NR_OPEN_SYSCTL  (1024 * 1024)   /* fs.nr_open: no table grows past it */
#define PATH_MAX_       4096            /* Linux's PATH_MAX: a path and its NUL */

/* Returned by a system call that must wait: its process blocks (sched.c)
 * and the call runs again from the start when it is woken. */
#define BLOCK           (-100000)
/* A call cut short by a signal, to be restarted or to fail with EINTR
 * depending on the handler's SA_RESTART (signal.c), as in Linux. */
#define ERESTARTSYS     512

/* ---- mem.c: guest physical memory ---- */
extern uint8_t *phys_base;              /* the memfd, mapped here */
extern int phys_fd;                     /* and its host descriptor */
void mem_init(unsigned mib);
uint32_t page_alloc(void);              /* a zeroed page's pfn, or 0 (none left) */
void page_get(uint32_t pfn);            /* one more user of the page */
void page_put(uint32_t pfn);            /* one less; the last frees it */
unsigned page_refs(uint32_t pfn);
unsigned mem_free_pages(void);
unsigned mem_total_pages(void);
static inline void *pfn_ptr(uint32_t pfn) { return phys_base + ((size_t)pfn << PAGE_SHIFT); }

/* ---- mm.c: address spaces of guest processes ---- */
struct vma;
struct mm {
	int refs;                       /* processes using it (vfork shares one) */
	int fd;                         /* the host space: a descriptor from /proc/new-mm */
	uint32_t pgdir;                 /* pfn of the page directory (pgtable.c) */
	struct vma *vmas;               /* the areas (vma.c) */
	uint32_t brk_start, brk;        /* the heap (sys_mm.c) */
	uint32_t stack_limit;           /* RLIMIT_STACK: how far below USER_TOP the
	                                 * stack area may be faulted in (exec, prlimit) */
	struct wcount *exe_wc;          /* the program it was built from, writing
	                                 * denied (busy.c), or NULL */
	struct mm_layout {              /* where exec put things, for /proc (procfs_pid.c) */
		uint32_t start_code, end_code, start_data, end_data, start_stack;
		uint32_t arg_start, arg_end, env_start, env_end;
		uint32_t hiwater_vm;    /* VmPeak: the most pages ever mapped (vma.c) */
		uint32_t hiwater_rss;   /* VmHWM: the most present when /proc last counted */
	} layout;
};
struct mm *mm_create(void);             /* empty; NULL if out of memory or host spaces */
struct mm *mm_fork(struct mm *parent);  /* a copy-on-write copy */
static inline void mm_set_stack_limit(struct mm *mm, uint64_t limit)
{
	mm->stack_limit = limit > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)limit;
}
void mm_put(struct mm *mm);
/* busy.c: the space runs the host file (dev, ino): 0, or -ETXTBSY while a
 * guest process has it open for writing; released by mm_put. */
int busy_deny_write(struct mm *mm, uint64_t dev, uint64_t ino);
int busy_written(uint64_t dev, uint64_t ino);   /* -ETXTBSY if open for writing, else 0 */
void busy_fork(struct mm *child, struct mm *parent);
void busy_allow_write(struct mm *mm);

/* ---- vma.c: the areas a process may use ---- */
#define VMA_SHARED      1               /* MAP_SHARED: fork shares, no copy-on-write */
#define VMA_HEAP        2               /* the brk area */
#define VMA_STACK       4
#define VMA_FILE        8               /* a file's: fm's pages, or a copy (a device) */
#define VMA_DONTFORK    16              /* madvise(MADV_DONTFORK): fork leaves it out */
#define VMA_WIPEONFORK  32              /* madvise(MADV_WIPEONFORK): fork gives it empty */
struct fmap;
struct vma {
	uint32_t start, end;            /* page-aligned, end exclusive */
	int prot;                       /* PROT_* */
	int flags;                      /* VMA_* */
	uint32_t file_end;              /* VMA_FILE copy: where the file's last page ends */
	struct fmap *fm;                /* a regular file mapped (filemap.c), or NULL */
	uint32_t pgoff;                 /* fm: the file page at start */
	struct vma *next;               /* sorted by address */
};
struct vma *vma_find(struct mm *mm, uint32_t addr);
int vma_range_free(struct mm *mm, uint32_t start, uint32_t end);
struct vma *vma_add(struct mm *mm, uint32_t start, uint32_t end, int prot, int flags);
int vma_remove(struct mm *mm, uint32_t start, uint32_t end);    /* and unmap the pages */
int vma_cut(struct mm *mm, uint32_t start, uint32_t end);       /* make both edges area boundaries */
struct vma *vma_merge(struct mm *mm, struct vma *v);            /* join the neighbours v continues */
uint32_t vma_total_pages(struct mm *mm);        /* VmSize; raises layout.hiwater_vm */
int vma_protect(struct mm *mm, uint32_t start, uint32_t end, int prot);
uint32_t vma_free_area(struct mm *mm, uint32_t len);             /* 0: none */
int vma_copy_all(struct mm *dst, struct mm *src);
void vma_free_all(struct mm *mm);

/* ---- pgtable.c: page tables in guest memory, mirrored into host spaces ---- */
#define PTE_P           0x001           /* present: mapped into the host space */
#define PTE_W           0x002           /* mapped writable there */
#define PTE_F           0x200           /* a host file's page (filemap.c), no pfn */
int pt_new(struct mm *mm);              /* an empty page directory; 0 or -ENOMEM */
uint32_t *pt_lookup(struct mm *mm, uint32_t va, int create);
int pt_map(struct mm *mm, uint32_t va, uint32_t pfn, int prot);   /* takes the page's reference */
void pt_unmap_range(struct mm *mm, uint32_t start, uint32_t end);
void pt_protect_range(struct mm *mm, uint32_t start, uint32_t end, int prot, int shared);
int pt_fork(struct mm *child, struct mm *parent);       /* copy-on-write copy */
void pt_free(struct mm *mm);
int pt_fault_in(struct mm *mm, uint32_t va, int write); /* 0, 1, -EFAULT, -EIO or -ENOMEM */
int pt_populate(struct mm *mm, uint32_t start, uint32_t end, int prot);
int pt_move_range(struct mm *mm, uint32_t from, uint32_t to, uint32_t len, int prot, int share);
unsigned pt_resident(struct mm *mm);    /* pages present */
int user_pread(struct mm *mm, int hostfd, uint32_t va, uint32_t len, uint64_t off);

/* Batched edits of one host space (mm_batch), coalescing page runs. */
struct hostbatch {
	int mmfd;
	unsigned n;
	struct mm_op ops[64];
};
void hb_begin(struct hostbatch *b, int mmfd);
void hb_map(struct hostbatch *b, uint32_t va, uint32_t pfn, int prot);
void hb_map_fd(struct hostbatch *b, uint32_t va, int fd, uint32_t pgoff, int prot);
void hb_protect(struct hostbatch *b, uint32_t va, int prot);
void hb_flush(struct hostbatch *b);

/* ---- filemap.c: regular files mapped, the host's pages (PTE_F) ---- */
struct fmap {
	int refs;                       /* areas naming it */
	int hostfd;                     /* our own descriptor of the file */
	int writable;                   /* opened for writing: MAP_SHARED may write */
};
struct fmap *fmap_new(int hostfd, int writable);
void fmap_get(struct fmap *fm);         /* both accept NULL */
void fmap_put(struct fmap *fm);
int filemap_fault(struct mm *mm, struct vma *v, uint32_t va, uint32_t *e, int write);
int filemap_copy(struct mm *mm, struct vma *v, uint32_t va);
void filemap_fork(struct hostbatch *b, struct vma *v, uint32_t va, int writable);
uint8_t *filemap_window(struct mm *mm, uint32_t va);

/* ---- uaccess.c: a process's memory, through its page table ---- */
struct proc;
int copy_from_user(struct proc *p, void *dst, uint32_t src, uint32_t n);
int copy_to_user(struct proc *p, uint32_t dst, const void *src, uint32_t n);
int copy_to_mm(struct mm *mm, uint32_t dst, const void *src, uint32_t n);
int clear_user(struct proc *p, uint32_t dst, uint32_t n);
int strncpy_from_user(struct proc *p, char *dst, uint32_t src, uint32_t max);  /* length or -errno */
int user_span(struct proc *p, uint32_t va, uint32_t n, int write, uint8_t **at);

/* ---- proc.c: the process table ---- */
enum pstate { P_FREE, P_RUNNABLE, P_BLOCKED, P_ZOMBIE };

struct gfile;
struct proc {
	enum pstate state;
	int slot;                       /* its index in procs[] */
	int pid, ppid, pgid, sid;
	/* Credentials (cred.c, rules from <lib/cred_rules.h>): real, effective,
	 * saved and fs ids; uid is what RLIMIT_NPROC counts by.  groups: a
	 * sorted array shared after fork (NULL: none). */
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	struct guest_groups *groups;
	char comm[16];

	struct mm *mm;                  /* its memory and host space (mm.c) */

	/* The registers while it is not running, as a signal frame has them. */
	struct sigcontext regs;
	struct fpstate_32 fpu __attribute__((aligned(16)));
	int fpu_changed;                /* fpu edited by us: load it on entry */
	int fpu_clean;                  /* fpu is the state a program starts with (trap.c) */
	uint32_t orig_eax;              /* the system call being made */
	uint32_t partial;               /* how much of it is done (a pipe write; a poll, sys_poll.c) */
	struct pipe *fifo_wait;         /* a FIFO open waiting for the other end (pipe.c) */
	int fifo_flags;                 /* its flags, and the partner's opens it saw */
	uint32_t fifo_seen;
	int syscall_restartable;        /* it returned -ERESTARTSYS (signal.c) */
	int rerun;                      /* while P_BLOCKED: run the call again when woken */
	int restart;                    /* run it again when next scheduled */
	const void *wchan;              /* what it waits for while P_BLOCKED */
	uint64_t wake_at;               /* a deadline (nanosleep, poll, futex...): ns, 0 = none */
	int host_fd, host_events;       /* waiting for a host descriptor (poll) */
	struct user_desc tls[GDT_ENTRY_TLS_ENTRIES];
	int tls_changed;                /* since trap.c last installed them */
	uint32_t clear_child_tid;       /* set_tid_address: kept (no threads to tell yet) */
	struct proc *vfork_parent;      /* waiting until we exec or exit */

	/* Files: a table of max_fds slots that grows as Linux's does (32,
	 * then powers of two: select clamps nfds to it), in fd_init at first. */
	struct gfile **fd;
	uint32_t *cloexec;              /* a close-on-exec bit per slot */
	int max_fds;
	int oom_victim;          /* chosen by the OOM killer (fault.c) */
	struct gfile *fd_init[NR_OPEN_DEFAULT];
	uint32_t cloexec_init[NR_OPEN_DEFAULT / 32];
	struct { uint64_t cur, max; } rlim[16]; /* RLIMIT_*: getrlimit, setrlimit (sys_misc.c) */
	char cwd[PATH_MAX_];
	int umask;

	/* Signals (signal.c). */
	struct kernel_sigaction action[64];
	uint64_t blocked;
	struct sigqueue {               /* pending signals, and what each came with */
		uint64_t set;
		siginfo_t info[64];
		uint16_t count[64];     /* real-time signals queue: how many */
	} sig_thread, sig_process;      /* tkill, faults...; kill, SIGCHLD, timers */
	int stopped, stop_sig;          /* stopped by a signal (job control) */
	int wait_report;                /* CLD_STOPPED or CLD_CONTINUED, for wait4 */
	uint64_t saved_mask;            /* sigsuspend: the mask to go back to */
	int has_saved_mask;
	uint64_t sigwait;               /* rt_sigtimedwait: the signals it waits for */
	uint32_t futex_key;             /* futex.c: the word it waits on, 0 = none */
	struct proc *futex_owner;       /* for a private futex: whose */
	int futex_woken;
	stack_t altstack;
	struct itimer {                 /* itimer.c: ITIMER_REAL, _VIRTUAL, _PROF */
		uint64_t deadline_ns;   /* REAL: when (monotonic), 0 = off */
		uint64_t left_us;       /* VIRTUAL, PROF: CPU time left, 0 = off */
		uint32_t interval_us;
	} itimer[3];

	char exe[PATH_MAX_];            /* the program, as /proc/PID/exe says */
	unsigned utime_ticks;           /* ticks of our timer it was running at */
	uint64_t start_tick;            /* gstats.ticks when it was made (/proc/PID/stat) */
	uint64_t cutime_ticks;          /* the CPU time of its reaped children, theirs included */
	/* getrusage (sys_rusage.c): faults resolved, switches (it gave up the
	 * CPU; it was made to), its peak resident set in KiB as it exited;
	 * the same over its reaped children, theirs included. */
	uint32_t min_flt, nvcsw, nivcsw, maxrss_kb;
	uint32_t cmin_flt, cnvcsw, cnivcsw, cmaxrss_kb;
	/* prctl (sys_prctl.c): the parent-death signal, dumpable, subreaper. */
	int pdeath_signal, dumpable, child_subreaper;
	int did_exec;                   /* since fork (setpgid refuses then) */
	int exit_status;                /* as wait4 reports it */
	int exit_signal;                /* sent to the parent at exit (SIGCHLD) */
};

extern struct proc *procs[PROC_TABLE];  /* each made when first needed (proc.c) */
extern int proc_slots;          /* procs[proc_slots..] were never used: every loop
                                 * over the processes stops there */
extern struct proc *current;            /* whose registers the host thread holds; NULL at home */
struct proc *proc_alloc(void);
struct proc *proc_find(int pid);
void proc_vfork_done(struct proc *child);
void proc_free(struct proc *p);
long proc_fork(struct proc *parent, uint32_t flags, uint32_t newsp,
               uint32_t ptid, uint32_t ctid, uint32_t tls);
void proc_exit(struct proc *p, int status);     /* status as wait4 reports it */
long sys_wait4(struct proc *p, int pid, uint32_t ustatus, int options, uint32_t rusage);
long sys_waitid(struct proc *p, int idtype, int id, uint32_t infop, int options, uint32_t rusage);
struct proc *proc_create_init(void);
/* kernel.pid_max and kernel.threads-max (/proc/sys/kernel), their ranges
 * as Linux's sysctls have them. */
extern int pid_max, max_threads;
#define PID_MAX_MIN     301
#define PID_MAX_LIMIT   32768
#define THREADS_MAX_LIMIT 0x3fffffff

/* ---- procfs.c: what /proc counts, in ticks of our timer (100 a second) ---- */
struct gstats {
	uint64_t ticks, user;           /* since boot; those that found a process running */
	uint64_t ctxt, forks;           /* switches between processes; processes made */
	int last_pid;                   /* the pid given last */
	uint32_t avenrun[3];            /* load averages, Linux's fixed point (<lib/proc_text.h>) */
};
extern struct gstats gstats;
void procfs_tick(void);                 /* sched_tick: count it, and every 5 s the load */
extern char guest_hostname[65];         /* uname's nodename; /proc/sys/kernel/hostname */

/* ---- sys_misc.c: limits ---- */
void rlimits_init(struct proc *p);      /* init's: Linux's defaults */

/* ---- sched.c ---- */
long sched_block(struct proc *p, const void *wchan, int rerun);  /* returns BLOCK */
void fifo_abandon(struct proc *p);      /* pipe.c: a waiting FIFO open that will not come back */
long sched_block_host(struct proc *p, int hostfd, int events);   /* until poll says so */
void sched_wake(const void *wchan);
void sched_wake_proc(struct proc *p);
void sched_unblock(struct proc *p);
void sched_tick(int timer);
struct proc *sched_pick(void);
extern int need_resched;                        /* the timer asked for a switch */
/* p, running now, would be picked again now (the fast path: syscall.c). */
static inline int sched_continues(const struct proc *p)
{
	return p->state == P_RUNNABLE && !p->stopped && !p->restart && !need_resched;
}
void sched_start_timer(void);
uint64_t now_ns(void);
int host_wait_poll(int timeout_ms);     /* idle: -1 when nobody waits on the host */
extern char poll_wchan;                 /* sys_poll.c: poll() sleeps here */
void console_signal(int sig);           /* fileops.c: ^C from the host's tty */

/* ---- trap.c: the one way into the guest kernel ---- */
void trap_init(void);
void enter_first(void);                 /* boot: start running guest processes */
extern struct sigcontext home_regs;     /* segments and flags of our own code */

/* ---- sys_misc.c: TLS descriptors (trap.c installs them) ---- */
void tls_clear(struct user_desc *d);    /* the empty descriptor */
long tls_set(struct proc *p, struct user_desc *d);

/* ---- exec.c ---- */
long do_execve(struct proc *p, uint32_t upath, uint32_t uargv, uint32_t uenvp);
long exec_first(struct proc *p, const char *path, char *const argv[], char *const envp[]);

/* ---- syscall.c ---- */
void syscall_entry(struct proc *p);
void syscall_run(struct proc *p);
/* A call answered in the frame's registers without a switch: 1, or 0. */
int syscall_fast(struct proc *p, struct sigcontext *regs);
void log_missing(struct proc *p, const char *what, unsigned n);   /* once each */

/* ---- file.c, path.c: files (file.h has the rest) ---- */
void files_init(struct proc *p);        /* an empty table (a new slot) */
void files_init_console(struct proc *p);
void files_fork(struct proc *child, struct proc *parent);
void files_exec(struct proc *p);
void files_close_all(struct proc *p);
int path_to_host(struct proc *p, int dirfd, uint32_t upath, char *out, size_t outsz);
int guest_to_host(const char *abs, char *out, size_t outsz);
extern const char *guest_root;

/* ---- signal.c ---- */
void sig_send(struct proc *p, int sig, const siginfo_t *info);         /* to the process */
void sig_send_thread(struct proc *p, int sig, const siginfo_t *info);  /* to the thread */
int sig_dequeue(struct proc *p, uint64_t among, siginfo_t *info);
void sig_discard(struct proc *p, int sig);
void sig_force(struct proc *p, int sig, const siginfo_t *info);
int sig_pending(struct proc *p);                 /* a deliverable signal waits */
int sig_deliver(struct proc *p);                 /* before entering p; 0: it cannot run */
/* sig_deliver has nothing to do for p. */
static inline int sig_quiet(const struct proc *p)
{
	return !p->sig_thread.set && !p->sig_process.set && !p->syscall_restartable &&
	       !p->has_saved_mask;
}
void sig_fork(struct proc *child, struct proc *parent);
void sig_exec(struct proc *p);
void sig_child_exit(struct proc *child);

/* ---- itimer.c ---- */
void itimer_tick(uint64_t now);         /* every tick: ITIMER_REAL */
void itimer_charge(struct proc *p);     /* a tick found p running */

/* ---- fault.c ---- */
void fault_entry(struct proc *p, int sig, const siginfo_t *si);

/* ---- log.c ---- */
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void boot_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
extern int debug;

#endif
