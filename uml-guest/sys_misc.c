/*
 * The small system calls of guest processes: who am I, what time is it,
 * sleeping, TLS, limits, exit, and turning the guest off.
 */
#include "uml.h"
#include "sys.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <uapi/reboot.h>
#include <uapi/resource.h>
#include <uapi/sysinfo.h>
#include <uapi/time.h>
#include <uapi/utsname.h>
#include <uapi/wait.h>

long sys_exit(struct proc *p, int code)
{
	proc_exit(p, W_EXITCODE(code, 0));
	return 0;                               /* nobody reads it */
}

long sys_uname(struct proc *p, uint32_t ubuf)
{
	struct new_utsname u;
	memset(&u, 0, sizeof u);
	strcpy(u.sysname, "Linux");
	strcpy(u.nodename, guest_hostname);
	strcpy(u.release, "6.1.0-uml-guest");
	/* Not "altmm": inside the guest it is Linux's ABI that programs see. */
	strcpy(u.version, "#1 uml-guest, a user-mode kernel");
	strcpy(u.machine, "i686");
	strcpy(u.domainname, "(none)");
	return copy_to_user(p, ubuf, &u, sizeof u);
}

/* sysinfo: the guest's uptime, load, memory and process count (free, uptime). */
long sys_sysinfo(struct proc *p, uint32_t ubuf)
{
	struct linux_sysinfo s;
	memset(&s, 0, sizeof s);
	s.uptime = (int32_t)((gstats.ticks + 99) / 100);
	for (int i = 0; i < 3; i++)
		s.loads[i] = gstats.avenrun[i] << (SI_LOAD_SHIFT - 11);
	for (int i = 0; i < proc_slots; i++)
		s.procs += procs[i]->state != P_FREE;
	sysinfo_set_memory(&s, mem_total_pages(), mem_free_pages(), 0, 0);
	return copy_to_user(p, ubuf, &s, sizeof s);
}

long sys_setpgid(struct proc *p, int pid, int pgid)
{
	struct proc *t = pid ? proc_find(pid) : p;
	if (pgid < 0 || pid < 0)
		return -EINVAL;
	if (!t || (t != p && t->ppid != p->pid))
		return -ESRCH;
	if (t != p && t->did_exec)
		return -EACCES;                 /* a child that has exec'd is its own */
	if (t->sid != p->sid || t->pid == t->sid)
		return -EPERM;
	if (!pgid)
		pgid = t->pid;
	int exists = pgid == t->pid;            /* a new group of its own, or one in the session */
	for (int i = 0; i < proc_slots && !exists; i++)
		exists = procs[i]->state != P_FREE && procs[i]->pgid == pgid && procs[i]->sid == p->sid;
	if (!exists)
		return -EPERM;
	t->pgid = pgid;
	return 0;
}

long sys_getpgid(struct proc *p, int pid)
{
	struct proc *t = pid ? proc_find(pid) : p;
	return t ? t->pgid : -ESRCH;
}

long sys_getsid(struct proc *p, int pid)
{
	struct proc *t = pid ? proc_find(pid) : p;
	return t ? t->sid : -ESRCH;
}

long sys_setsid(struct proc *p)
{
	for (int i = 0; i < proc_slots; i++)
		if (procs[i]->state != P_FREE && procs[i]->pgid == p->pid)
			return -EPERM;          /* already a group leader */
	p->sid = p->pgid = p->pid;
	return p->sid;
}

long sys_umask(struct proc *p, int mask)
{
	int old = p->umask;
	p->umask = mask & 0777;
	return old;
}

/* ---- Time ---- */

/* nanosleep and clock_nanosleep: block until a monotonic deadline
 * (p->wake_at, checked at each tick of our timer). */
static long sleep_until(struct proc *p, uint32_t urem, int time64)
{
	uint64_t now = now_ns();
	if (now >= p->wake_at) {
		p->wake_at = 0;
		return 0;
	}
	if (sig_pending(p)) {
		uint64_t left = p->wake_at - now;
		p->wake_at = 0;
		if (urem && time64) {
			struct kernel_timespec64 ts = { left / 1000000000u, left % 1000000000u };
			copy_to_user(p, urem, &ts, sizeof ts);
		} else if (urem) {
			struct timespec ts = { left / 1000000000u, left % 1000000000u };
			copy_to_user(p, urem, &ts, sizeof ts);
		}
		return -EINTR;
	}
	return sched_block(p, &p->wake_at, 1);
}

long sys_clock_nanosleep(struct proc *p, int clk, int flags, uint32_t ureq, uint32_t urem, int time64)
{
	if (!p->wake_at) {                      /* the first run: read the request */
		int64_t sec;
		long nsec;
		if (time64) {
			struct kernel_timespec64 ts;
			if (copy_from_user(p, &ts, ureq, sizeof ts))
				return -EFAULT;
			sec = ts.tv_sec;
			nsec = ts.tv_nsec;
		} else {
			struct timespec ts;
			if (copy_from_user(p, &ts, ureq, sizeof ts))
				return -EFAULT;
			sec = ts.tv_sec;
			nsec = ts.tv_nsec;
		}
		if (sec < 0 || nsec < 0 || nsec >= 1000000000)
			return -EINVAL;
		if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
			return -EINVAL;
		int64_t ns = sec * 1000000000 + nsec;
		if (flags & 1) {                /* TIMER_ABSTIME: a time on clock clk */
			struct kernel_timespec64 now;
			__syscall2(__NR_clock_gettime64, clk, &now);
			ns -= now.tv_sec * 1000000000 + now.tv_nsec;
			urem = 0;
		}
		if (ns <= 0)
			return 0;
		p->wake_at = now_ns() + ns;
	}
	return sleep_until(p, urem, time64);
}

long sys_nanosleep(struct proc *p, uint32_t ureq, uint32_t urem)
{
	return sys_clock_nanosleep(p, CLOCK_MONOTONIC, 0, ureq, urem, 0);
}

/* The clocks are the host's: ask it, and copy the answer out. */
long sys_clock_gettime(struct proc *p, int nr, int clk, uint32_t uts)
{
	uint8_t ts[16];
	long r = __syscall2(nr, clk, ts);
	if (r < 0 || !uts)
		return r;
	return copy_to_user(p, uts, ts, nr == __NR_clock_gettime64 || nr == __NR_clock_getres_time64
	                                ? 16 : 8);
}

long sys_gettimeofday(struct proc *p, uint32_t utv, uint32_t utz)
{
	struct timeval tv;
	long r = __syscall2(__NR_gettimeofday, &tv, 0);
	if (!r && utv)
		r = copy_to_user(p, utv, &tv, sizeof tv);
	if (!r && utz)
		r = clear_user(p, utz, 8);
	return r;
}

long sys_time(struct proc *p, uint32_t ut)
{
	int32_t t = __syscall1(__NR_time, 0);
	if (ut && copy_to_user(p, ut, &t, sizeof t))
		return -EFAULT;
	return t;
}

long sys_getrandom(struct proc *p, uint32_t ubuf, uint32_t n, int flags)
{
	uint8_t *at;
	int len = n ? user_span(p, ubuf, n, 1, &at) : 0;
	if (len < 0)
		return len;
	return len ? __syscall3(__NR_getrandom, at, len, flags) : 0;
}

/* ---- TLS: set_thread_area's descriptors, installed on the host when
 * the process is entered (trap.c, switch_tls) ---- */

void tls_clear(struct user_desc *d)
{
	memset(d, 0, sizeof *d);
	d->flags = UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT;
}

/* The seven flag bits of i386's struct user_desc; the rest is padding. */
#define UD_FLAGS_MASK 0x7f

/* The two descriptors that clear a slot (Linux: LDT_empty, LDT_zero). */
static int tls_empty(const struct user_desc *d)
{
	uint32_t f = d->flags & UD_FLAGS_MASK;
	return !d->base_addr && !d->limit && (!f || f == (UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT));
}

/* Anything else must be a present 32-bit data segment, as the host (and
 * Linux) allow: no code, no 16-bit segment, nothing not present. */
static int tls_allowed(const struct user_desc *d)
{
	uint32_t contents = (d->flags & UD_CONTENTS_MASK) >> UD_CONTENTS_SHIFT;
	return (d->flags & UD_SEG_32BIT) && contents <= MODIFY_LDT_CONTENTS_STACK &&
	       !(d->flags & UD_SEG_NOT_PRESENT);
}

long tls_set(struct proc *p, struct user_desc *d)
{
	if (d->entry_number == 0xffffffffu) {
		for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES && d->entry_number == 0xffffffffu; i++)
			if (tls_empty(&p->tls[i]))
				d->entry_number = GDT_ENTRY_TLS_MIN + i;
		if (d->entry_number == 0xffffffffu)
			return -ESRCH;
	}
	uint32_t i = d->entry_number - GDT_ENTRY_TLS_MIN;
	if (i >= GDT_ENTRY_TLS_ENTRIES || (!tls_empty(d) && !tls_allowed(d)))
		return -EINVAL;
	p->tls_changed = 1;
	p->tls[i] = *d;
	p->tls[i].entry_number = 0;             /* compared by content in switch_tls */
	p->tls[i].flags &= UD_FLAGS_MASK;
	if (tls_empty(d))
		tls_clear(&p->tls[i]);
	return 0;
}

long sys_set_thread_area(struct proc *p, uint32_t udesc)
{
	struct user_desc d;
	if (copy_from_user(p, &d, udesc, sizeof d))
		return -EFAULT;
	long r = tls_set(p, &d);
	if (!r)
		r = copy_to_user(p, udesc, &d.entry_number, sizeof d.entry_number);
	return r;
}

long sys_get_thread_area(struct proc *p, uint32_t udesc)
{
	struct user_desc d;
	if (copy_from_user(p, &d, udesc, sizeof d))
		return -EFAULT;
	uint32_t i = d.entry_number - GDT_ENTRY_TLS_MIN;
	if (i >= GDT_ENTRY_TLS_ENTRIES)
		return -EINVAL;
	uint32_t n = d.entry_number;
	d = p->tls[i];
	d.entry_number = n;
	return copy_to_user(p, udesc, &d, sizeof d);
}

/* ---- Limits ---- */

/*
 * Resource limits, per process and inherited, as Linux keeps them.  init
 * starts with Linux's defaults, RLIMIT_NPROC being half of threads-max as
 * Linux's fork_init makes it.  Every guest process is root, so it may
 * raise a hard limit (CAP_SYS_RESOURCE), only not RLIMIT_NOFILE's past
 * fs.nr_open.  Enforced: RLIMIT_NOFILE (file.c) and RLIMIT_NPROC (proc.c).
 */
void rlimits_init(struct proc *p)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i].cur = p->rlim[i].max = RLIM64_INFINITY;
	p->rlim[RLIMIT_STACK].cur = STACK_SIZE;
	p->rlim[RLIMIT_CORE].cur = 0;
	p->rlim[RLIMIT_NOFILE].cur = 1024;      /* Linux's INR_OPEN_CUR, INR_OPEN_MAX */
	p->rlim[RLIMIT_NOFILE].max = 4096;
	p->rlim[RLIMIT_NPROC].cur = p->rlim[RLIMIT_NPROC].max = (uint64_t)max_threads / 2;
}

/* Linux's do_prlimit, the new limits already read (NULL: none). */
static long do_prlimit(struct proc *t, unsigned res, const struct rlimit64 *new, struct rlimit64 *old)
{
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (new && res == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_SYSCTL)
		return -EPERM;
	if (old) {
		old->rlim_cur = t->rlim[res].cur;
		old->rlim_max = t->rlim[res].max;
	}
	if (new) {
		t->rlim[res].cur = new->rlim_cur;
		t->rlim[res].max = new->rlim_max;
		if (res == RLIMIT_STACK && t->mm)
			mm_set_stack_limit(t->mm, new->rlim_cur);      /* the next stack fault obeys it */
	}
	return 0;
}

/* A 64-bit limit as 32-bit Linux keeps it: from 0xffffffff up, none. */
static uint64_t narrow(uint64_t v) { return v >= RLIM_INFINITY ? RLIM64_INFINITY : v; }
static uint64_t widen(uint32_t v) { return v == RLIM_INFINITY ? RLIM64_INFINITY : v; }

long sys_prlimit64(struct proc *p, int pid, int res, uint32_t unew, uint32_t uold)
{
	struct rlimit64 new, old;
	if (unew && copy_from_user(p, &new, unew, sizeof new))
		return -EFAULT;
	struct proc *t = pid ? proc_find(pid) : p;
	if (!t)
		return -ESRCH;
	new.rlim_cur = narrow(new.rlim_cur);
	new.rlim_max = narrow(new.rlim_max);
	long r = do_prlimit(t, (unsigned)res, unew ? &new : NULL, &old);
	if (r == 0 && uold && copy_to_user(p, uold, &old, sizeof old))
		return -EFAULT;
	return r;
}

long sys_setrlimit(struct proc *p, int res, uint32_t unew)
{
	struct rlimit r;
	if (copy_from_user(p, &r, unew, sizeof r))
		return -EFAULT;
	struct rlimit64 new = { widen(r.rlim_cur), widen(r.rlim_max) };
	return do_prlimit(p, (unsigned)res, &new, NULL);
}

static uint32_t clamp32(uint64_t v) { return v > RLIM_INFINITY ? RLIM_INFINITY : (uint32_t)v; }

/* ugetrlimit (191); old is the old getrlimit (76), which reports
 * anything above 0x7fffffff as that. */
long sys_ugetrlimit(struct proc *p, int res, uint32_t uold, int old)
{
	struct rlimit64 l;
	long err = do_prlimit(p, (unsigned)res, NULL, &l);
	if (err)
		return err;
	struct rlimit r = { clamp32(l.rlim_cur), clamp32(l.rlim_max) };
	if (old) {
		if (r.rlim_cur > 0x7fffffff)
			r.rlim_cur = 0x7fffffff;
		if (r.rlim_max > 0x7fffffff)
			r.rlim_max = 0x7fffffff;
	}
	return copy_to_user(p, uold, &r, sizeof r) ? -EFAULT : 0;
}

/* reboot(2) from inside: the guest ends; we exit, the host goes on. */
long sys_reboot(struct proc *p, uint32_t magic1, uint32_t magic2, uint32_t cmd)
{
	(void)p;
	if (magic1 != LINUX_REBOOT_MAGIC1 || (magic2 != LINUX_REBOOT_MAGIC2 &&
	    magic2 != LINUX_REBOOT_MAGIC2A && magic2 != LINUX_REBOOT_MAGIC2B &&
	    magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	if (cmd != LINUX_REBOOT_CMD_POWER_OFF && cmd != LINUX_REBOOT_CMD_HALT &&
	    cmd != LINUX_REBOOT_CMD_RESTART)
		return cmd == LINUX_REBOOT_CMD_CAD_ON || cmd == LINUX_REBOOT_CMD_CAD_OFF ? 0 : -EINVAL;
	klog("the guest powers off");
	fflush(NULL);
	_exit(0);
}
