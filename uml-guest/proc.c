/*
 * Processes: the table, fork, exit and wait4.
 *
 * A guest process is a slot of procs[]: its registers while it does not
 * run, its page table and areas, its host space (a descriptor from
 * /proc/new-mm), its files and signals.  There are no per-process kernel
 * stacks: a process that is not running is entirely described by its
 * slot, so any process can be forked, woken or killed from any other's
 * system call, and one that exits simply stops being entered.
 */
#include "uml.h"
#include "sys.h"
#include <stdio.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>
#include <altmm.h>
#include <uapi/resource.h>
#include <uapi/sched.h>
#include <uapi/wait.h>

/* Slots are made as the processes there are at once first need them, and
 * kept for reuse: the number of processes is bounded by threads-max (from
 * the guest's memory, as Linux's), by the guest's memory itself (each
 * process's page tables live there: fork fails with ENOMEM without it)
 * and by the pids there are, not by the table. */
struct proc *procs[PROC_TABLE];
int proc_slots;

/*
 * The limits on processes, as Linux has them (and the host kernel,
 * kernel/task.c): kernel.pid_max (pids are below it), kernel.threads-max
 * (processes that may exist, zombies included) and RLIMIT_NPROC (those of
 * one real user, root exempt).  threads-max is computed from the guest's
 * RAM as Linux computes it (a process per 64 KiB: 4096 in 256 MiB).
 */
#define RESERVED_PIDS   300             /* after wrapping, pids start again here */
#define MIN_THREADS     20
int pid_max = PID_MAX_LIMIT;
int max_threads = MIN_THREADS;
static int pid_cursor;                  /* one past the last pid given */

void proc_limits_init(void)
{
	uint64_t threads = (uint64_t)mem_total_pages() * PAGE / (8192 * 8);    /* THREAD_SIZE * 8 */
	if (threads > PROC_TABLE)
		threads = PROC_TABLE;
	max_threads = threads < MIN_THREADS ? MIN_THREADS : (int)threads;
}

struct proc *proc_find(int pid)
{
	for (int i = 0; i < proc_slots; i++)
		if (procs[i]->state != P_FREE && procs[i]->pid == pid)
			return procs[i];
	return NULL;
}

/* Is n some process's pid, process group or session (zombies too)? */
static int pid_in_use(int n)
{
	for (int i = 0; i < proc_slots; i++) {
		struct proc *t = procs[i];
		if (t->state != P_FREE && (t->pid == n || t->pgid == n || t->sid == n))
			return 1;
	}
	return 0;
}

/* Linux's pid allocation: the first number from the cursor up to
 * pid_max that no process uses as pid, group or session; then again from
 * the start, which is RESERVED_PIDS once the numbers have gone past it.
 * -EAGAIN when none is free. */
static int alloc_pid(void)
{
	int start = pid_cursor > RESERVED_PIDS ? RESERVED_PIDS : 1;
	int from = pid_cursor < start ? start : pid_cursor;
	for (int pass = 0; pass < 2; pass++) {
		for (int n = from; n < pid_max; n++) {
			if (!pid_in_use(n)) {
				pid_cursor = n + 1;
				return n;
			}
		}
		if (from == start)
			break;
		from = start;
	}
	return -EAGAIN;
}

/* Tasks there are now, zombies included. */
static int nr_procs(void)
{
	int n = 0;
	for (int i = 0; i < proc_slots; i++)
		n += procs[i]->state != P_FREE;
	return n;
}

/* May parent fork: RLIMIT_NPROC and threads-max, as Linux's copy_process. */
static long fork_allowed(struct proc *parent)
{
	uint64_t nproc = parent->rlim[RLIMIT_NPROC].cur;
	if (parent->uid != 0 && parent->euid != 0 && nproc != RLIM64_INFINITY) {
		uint64_t mine = 0;
		for (int i = 0; i < proc_slots; i++)
			mine += procs[i]->state != P_FREE && procs[i]->uid == parent->uid;
		if (mine >= nproc)
			return -EAGAIN;
	}
	return nr_procs() >= max_threads ? -EAGAIN : 0;
}

/* A new slot, for good: taken from chunks we map for the purpose (not
 * malloc's heap, whose live blocks /proc/kheap counts as leaks), which
 * cost the host memory only as slots are used. */
static struct proc *slot_new(void)
{
	enum { CHUNK = 64 };
	static struct proc *chunk;
	static int used = CHUNK;
	if (used == CHUNK) {
		void *m = mmap(NULL, CHUNK * sizeof *chunk, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m == MAP_FAILED)
			return NULL;
		chunk = m;
		used = 0;
	}
	return &chunk[used++];
}

/* A free slot, cleared, with a fresh pid (and no memory yet); NULL when
 * the table is full or no pid is free. */
struct proc *proc_alloc(void)
{
	struct proc *p = NULL;
	for (int i = 0; i < proc_slots && !p; i++)
		if (procs[i]->state == P_FREE)
			p = procs[i];
	int pid = alloc_pid();
	if (pid < 0)
		return NULL;
	if (!p) {
		if (proc_slots == PROC_TABLE || !(p = slot_new()))
			return NULL;
		procs[proc_slots++] = p;
		p->slot = proc_slots - 1;
	}
	int slot = p->slot;
	memset(p, 0, sizeof *p);
	p->slot = slot;
	p->pid = pid;
	p->start_tick = gstats.ticks;
	gstats.forks++;
	gstats.last_pid = pid;
	files_init(p);
	p->host_fd = -1;
	p->state = P_RUNNABLE;
	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		tls_clear(&p->tls[i]);
	p->tls_changed = 1;                     /* the slot may have been the last owner's */
	return p;
}

struct proc *proc_create_init(void)
{
	proc_limits_init();
	struct proc *p = proc_alloc();
	if (!p)
		boot_fail("no memory for init");
	p->pgid = p->sid = p->pid;
	strcpy(p->cwd, "/");
	p->umask = 022;
	p->exit_signal = 0;                     /* init has no parent to tell (Linux: 0 too) */
	rlimits_init(p);
	files_init_console(p);
	return p;
}

/*
 * fork, vfork and clone(SIGCHLD...): a new process with a copy-on-write
 * copy of the parent's memory (mm_fork), its registers (eax = 0 in the
 * child), files, signal actions and TLS.  A vfork child (CLONE_VM |
 * CLONE_VFORK) runs in the parent's very memory instead, while the
 * parent sleeps until the child execs or exits.  Threads (CLONE_VM
 * alone) are not in this guest yet.
 */
long proc_fork(struct proc *parent, uint32_t flags, uint32_t newsp,
               uint32_t ptid, uint32_t ctid, uint32_t tls)
{
	if ((flags & (CLONE_THREAD | CLONE_SIGHAND)) || (flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM) {
		log_missing(parent, "clone with flags", flags);
		return -ENOSYS;                 /* threads: not in this guest */
	}
	struct user_desc tls_desc;
	if ((flags & CLONE_SETTLS) && copy_from_user(parent, &tls_desc, tls, sizeof tls_desc))
		return -EFAULT;
	long err = fork_allowed(parent);
	if (err)
		return err;
	struct proc *c = proc_alloc();
	if (!c)
		return -EAGAIN;
	memcpy(c->tls, parent->tls, sizeof c->tls);
	if (flags & CLONE_SETTLS) {     /* refused: no child (as on Linux), nothing to undo */
		err = tls_set(c, &tls_desc);
		if (err < 0) {
			c->state = P_FREE;
			return err;
		}
	}
	if (flags & CLONE_VM) {
		c->mm = parent->mm;
		c->mm->refs++;
	} else if (!(c->mm = mm_fork(parent->mm))) {
		c->state = P_FREE;
		return -ENOMEM;
	}
	c->ppid = parent->pid;
	c->pgid = parent->pgid;
	c->sid = parent->sid;
	cred_fork(c, parent);
	c->dumpable = parent->dumpable;         /* no parent-death signal, no subreaper */
	c->pdeath_signal = c->child_subreaper = 0;
	memcpy(c->rlim, parent->rlim, sizeof c->rlim);
	memcpy(c->comm, parent->comm, sizeof c->comm);
	c->regs = parent->regs;
	c->regs.eax = 0;
	if (newsp)
		c->regs.esp = newsp;
	c->fpu = parent->fpu;
	c->fpu_changed = 1;
	c->fpu_clean = parent->fpu_clean;
	memcpy(c->cwd, parent->cwd, sizeof c->cwd);
	memcpy(c->exe, parent->exe, sizeof c->exe);
	c->umask = parent->umask;
	c->exit_signal = flags & 0xff;
	files_fork(c, parent);
	sig_fork(c, parent);

	int pid = c->pid;
	if (flags & CLONE_PARENT_SETTID)
		copy_to_user(parent, ptid, &pid, sizeof pid);
	if (flags & CLONE_CHILD_SETTID)
		copy_to_user(c, ctid, &pid, sizeof pid);
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = ctid;
	if (flags & CLONE_VFORK) {
		c->vfork_parent = parent;
		parent->regs.eax = pid;         /* the result, already: no re-run */
		return sched_block(parent, &c->vfork_parent, 0);
	}
	return pid;
}

/* A vfork child has exec'd or exited: its parent goes on. */
void proc_vfork_done(struct proc *c)
{
	if (c->vfork_parent) {
		sched_wake(&c->vfork_parent);
		c->vfork_parent = NULL;
	}
}

/* The guest's life ends with its init, as a kernel's does. */
static void shutdown(int status)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (WIFSIGNALED(status))
		klog("init killed by signal %d", WTERMSIG(status));
	else if (debug)
		klog("init exited with status %d", code);
	fflush(NULL);
	_exit(code);
}

/* p ends, with a status word as wait4 will report it. */
void proc_exit(struct proc *p, int status)
{
	if (p->pid == 1)
		shutdown(status);
	fifo_abandon(p);                /* a FIFO open it was waiting in (pipe.c) */
	files_close_all(p);
	rusage_exit(p);                 /* its peak resident set, before the space goes */
	mm_put(p->mm);
	p->mm = NULL;
	proc_vfork_done(p);
	p->exit_status = status;
	p->state = P_ZOMBIE;
	p->wchan = NULL;
	p->wake_at = 0;
	/* Orphans go to the nearest ancestor that asked for them
	 * (PR_SET_CHILD_SUBREAPER), else to init, and tell it with SIGCHLD. */
	struct proc *reaper = proc_find(1);
	for (struct proc *a = proc_find(p->ppid); a && a->pid != 1; a = proc_find(a->ppid))
		if (a->child_subreaper && a->state != P_ZOMBIE) {
			reaper = a;
			break;
		}
	for (int i = 0; i < proc_slots; i++) {
		struct proc *c = procs[i];
		if (c->state != P_FREE && c->ppid == p->pid) {
			c->ppid = reaper->pid;
			c->exit_signal = SIGCHLD;
			if (c->state == P_ZOMBIE)
				sched_wake(reaper);
			else if (c->pdeath_signal) {    /* prctl(PR_SET_PDEATHSIG) */
				siginfo_t info = { .si_signo = c->pdeath_signal, .si_code = SI_USER,
				                   .si_pid = p->pid, .si_uid = p->uid };
				sig_send(c, c->pdeath_signal, &info);
			}
		}
	}
	if (p == current)
		current = NULL;
	sig_child_exit(p);              /* SIGCHLD, and wakes a waiting parent */
}

void proc_free(struct proc *p)
{
	cred_free(p);
	p->state = P_FREE;
}

/* Which children a wait is for: P_ALL, P_PID id, or P_PGID id. */
static int wait_matches(struct proc *parent, struct proc *c, int idtype, int id)
{
	if (c->state == P_FREE || c->ppid != parent->pid)
		return 0;
	return idtype == P_ALL || (idtype == P_PID ? c->pid == id : c->pgid == id);
}

/* What a wait found: wait4's status word, waitid's code and status. */
struct wait_found {
	int pid, status, code, info;
	uint32_t uid;
	struct rusage ru;
};

/*
 * The wait of wait4 and waitid, as the host's (kernel/exit.c): a zombie
 * (only with WEXITED: without it, no child at all), a stop (WSTOPPED) or
 * a continue (WCONTINUED) to report, the report used up unless WNOWAIT.
 * 1 with *r, 0 (WNOHANG: nothing yet), or -errno; blocks otherwise.
 */
static long do_wait(struct proc *p, int idtype, int id, int options, struct wait_found *r)
{
	int found = 0;
	int keep = options & WNOWAIT;
	for (int i = 0; i < proc_slots; i++) {
		struct proc *c = procs[i];
		if (!wait_matches(p, c, idtype, id) || (c->state == P_ZOMBIE && !(options & WEXITED)))
			continue;
		found = 1;
		r->pid = c->pid;
		r->uid = c->uid;
		if (c->state == P_ZOMBIE) {
			r->status = c->exit_status;
			int sig = r->status & 0x7f;
			r->code = !sig ? CLD_EXITED : r->status & WCOREFLAG ? CLD_DUMPED : CLD_KILLED;
			r->info = !sig ? (r->status >> 8) & 0xff : sig;
			if (!keep) {
				p->cutime_ticks += c->utime_ticks + c->cutime_ticks;   /* /proc/PID/stat's cutime */
				rusage_reap(p, c, &r->ru);
				proc_free(c);
				return 1;
			}
		} else if ((options & WSTOPPED) && c->wait_report == CLD_STOPPED) {
			r->status = W_STOPCODE(c->stop_sig);
			r->code = CLD_STOPPED;
			r->info = c->stop_sig;
		} else if ((options & WCONTINUED) && c->wait_report == CLD_CONTINUED) {
			r->status = W_CONTINUED;
			r->code = CLD_CONTINUED;
			r->info = SIGCONT;
		} else {
			continue;
		}
		if (!keep)
			c->wait_report = 0;
		rusage_both(c, &r->ru);
		return 1;
	}
	if (!found)
		return -ECHILD;
	if (options & WNOHANG)
		return 0;
	if (sig_pending(p))
		return -ERESTARTSYS;
	return sched_block(p, p, 1);
}

long sys_wait4(struct proc *p, int pid, uint32_t ustatus, int options, uint32_t rusage)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == -2147483647 - 1)
		return -ESRCH;                  /* as Linux: -INT_MIN is no process group */
	struct wait_found r;
	long err = do_wait(p, pid > 0 ? P_PID : pid == -1 ? P_ALL : P_PGID,
	                   pid > 0 ? pid : pid == 0 ? p->pgid : -pid, options | WEXITED, &r);
	if (err <= 0 || err == BLOCK)
		return err;
	/* As Linux: the report is used up (a zombie reaped, a stop or
	 * continue told) even when the copies below fault. */
	if (ustatus && copy_to_user(p, ustatus, &r.status, 4))
		return -EFAULT;
	if (rusage && copy_to_user(p, rusage, &r.ru, sizeof r.ru))
		return -EFAULT;
	return r.pid;
}

/* waitid: the host's checks and answers (kernel/exit.c, sys_waitid). */
long sys_waitid(struct proc *p, int idtype, int id, uint32_t infop, int options, uint32_t rusage)
{
	enum { P_PIDFD_ = 3 };
	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if ((idtype == P_PID && id <= 0) || (idtype == P_PGID && id < 0) || (idtype == P_PIDFD_ && id < 0))
		return -EINVAL;
	if (idtype == P_PIDFD_)
		return -EBADF;                  /* no pidfds here */
	if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID)
		return -EINVAL;
	if (idtype == P_PGID && id == 0)
		id = p->pgid;
	struct wait_found r;
	long err = do_wait(p, idtype, id, options, &r);
	if (err == BLOCK || err == -ERESTARTSYS)
		return err;                     /* blocked (it runs again when woken), or interrupted */
	if (err > 0 && rusage && copy_to_user(p, rusage, &r.ru, sizeof r.ru))
		return -EFAULT;
	if (!infop)
		return err > 0 ? 0 : err;
	int32_t info[6] = { 0 };
	if (err > 0) {
		info[0] = SIGCHLD, info[2] = r.code, info[3] = r.pid;
		info[4] = (int32_t)r.uid, info[5] = r.info;
	}
	if (copy_to_user(p, infop, info, sizeof info))
		return -EFAULT;
	return err > 0 ? 0 : err;
}
