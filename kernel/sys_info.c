/*
 * Small system calls about the process and the system (the ids are in
 * kernel/cred.c): process groups and sessions,
 * uname, resource limits, getrandom, set_tid_address, sched_yield, reboot.
 */
#include <kernel/altmm.h>
#include <kernel/mm.h>
#include <kernel/heap.h>
#include <kernel/machine.h>
#include <kernel/printk.h>
#include <kernel/procfs.h>
#include <kernel/random.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <kernel/vfs.h>
#include <uapi/random.h>
#include <uapi/reboot.h>
#include <uapi/resource.h>
#include <uapi/sysinfo.h>
#include <uapi/utsname.h>
#include <kernel/arch.h>
#include <kernel/pmm.h>
#include <kernel/stats.h>

#define RLIMIT_COUNT 16

static long sys_getpid(void) { return current->pid; }
SYSCALL(getpid, sys_getpid);
SYSCALL(gettid, sys_getpid);	/* one thread per process */

static long sys_getppid(void) { return current->parent ? current->parent->pid : 0; }
SYSCALL(getppid, sys_getppid);

/* --- process groups and sessions ----------------------------------------- */

static long sys_getpgid(int pid)
{
	struct task *t = pid ? task_find(pid) : current;
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	return t->pgid;
}
SYSCALL(getpgid, sys_getpgid);

static long sys_getpgrp(void) { return current->pgid; }
SYSCALL(getpgrp, sys_getpgrp);

static long sys_getsid(int pid)
{
	struct task *t = pid ? task_find(pid) : current;
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	return t->sid;
}
SYSCALL(getsid, sys_getsid);

static long sys_setpgid(int pid, int pgid)
{
	/* Linux's order: defaults first, then the checks. */
	if (!pid)
		pid = current->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	struct task *t = task_find(pid);
	if (!t || (t != current && t->parent != current))
		return -ESRCH;
	if (t->sid != current->sid)
		return -EPERM;
	if (t != current && t->exec_done)
		return -EACCES;	/* a child that has run a program is its own */
	if (t->pid == t->sid)
		return -EPERM;	/* a session leader stays in its group */
	if (pgid != t->pid) {	/* joining: the group must exist in our session */
		bool found = false;
		for (struct task *o = task_list(); o; o = o->all_next)
			if (o->pgid == pgid && o->sid == current->sid && o->state != TASK_ZOMBIE)
				found = true;
		if (!found)
			return -EPERM;
	}
	t->pgid = pgid;
	return 0;
}
SYSCALL(setpgid, sys_setpgid);

static long sys_setsid(void)
{
	for (struct task *o = task_list(); o; o = o->all_next)
		if (o->pgid == current->pid)
			return -EPERM;	/* already a group leader */
	current->sid = current->pgid = current->pid;
	return current->sid;
}
SYSCALL(setsid, sys_setsid);

/* --- uname ------------------------------------------------------------------ */

char uts_hostname[UTS_HOSTNAME_MAX + 1] = "altmm";

static long sys_uname(struct new_utsname __user *u)
{
	struct new_utsname n;
	memset(&n, 0, sizeof n);
	/* Linux's name and a Linux-like release, so C libraries accept us; our name in version. */
	strlcpy(n.sysname, "Linux", sizeof n.sysname);
	strlcpy(n.nodename, uts_hostname, sizeof n.nodename);
	strlcpy(n.release, "6.1.0-altmm", sizeof n.release);
	/* A kernel built without altmm says so: its tests skip the altmm ones. */
	strlcpy(n.version, ALTMM ? "#1 altmm kernel 0.1" : "#1 altmm kernel 0.1 (ALTMM=0)", sizeof n.version);
	strlcpy(n.machine, "i686", sizeof n.machine);
	strlcpy(n.domainname, "(none)", sizeof n.domainname);
	return copy_to_user(u, &n, sizeof n) ? -EFAULT : 0;
}
SYSCALL(uname, sys_uname);

/* --- sysinfo: what free(1) and uptime(1) read ------------------------------- */

static long sys_sysinfo(struct linux_sysinfo __user *u)
{
	struct linux_sysinfo s;
	memset(&s, 0, sizeof s);
	uint64_t ticks = timer_ticks();
	s.uptime = (int32_t)((ticks + TIMER_HZ - 1) / TIMER_HZ);	/* rounded up, as Linux */
	for (int i = 0; i < 3; i++)
		s.loads[i] = kstats.avenrun[i] << (SI_LOAD_SHIFT - LOAD_FSHIFT);
	for (struct task *t = task_list(); t; t = t->all_next)
		s.procs++;
	/* Linux's totalram counts high memory too; the high part is repeated in totalhigh. */
	sysinfo_set_memory(&s, pmm_total_pages(), pmm_free_pages(), pmm_high_total_pages(),
			   pmm_high_free_pages());
	return copy_to_user(u, &s, sizeof s) ? -EFAULT : 0;
}
SYSCALL(sysinfo, sys_sysinfo);

/* --- resource limits --------------------------------------------------------- */

/* init's limits, which every process inherits: Linux's defaults.  Its
 * fork_init computes threads-max from the RAM first and gives init half
 * of it as RLIMIT_NPROC; so do we (main.c calls this as init is made). */
void rlimits_init(struct task *t)
{
	task_limits_init();
	for (int i = 0; i < RLIMIT_COUNT; i++)
		t->rlimits[i].cur = t->rlimits[i].max = ~0ull;
	t->rlimits[RLIMIT_NPROC].cur = t->rlimits[RLIMIT_NPROC].max = (uint64_t)max_threads / 2;
	t->rlimits[RLIMIT_STACK].cur = 8 << 20;
	t->rlimits[RLIMIT_NOFILE].cur = 1024;	/* Linux's INR_OPEN_CUR and INR_OPEN_MAX */
	t->rlimits[RLIMIT_NOFILE].max = 4096;
	t->rlimits[RLIMIT_CORE].cur = 0;
}

static uint32_t clamp32(uint64_t v) { return v > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)v; }

static long sys_ugetrlimit(unsigned resource, struct rlimit __user *ur)
{
	if (resource >= RLIMIT_COUNT)
		return -EINVAL;
	struct rlimit r = { clamp32(current->rlimits[resource].cur), clamp32(current->rlimits[resource].max) };
	return copy_to_user(ur, &r, sizeof r) ? -EFAULT : 0;
}
SYSCALL(ugetrlimit, sys_ugetrlimit);

/* The old getrlimit reports "infinity" as 0x7fffffff. */
static long sys_old_getrlimit(unsigned resource, struct rlimit __user *ur)
{
	if (resource >= RLIMIT_COUNT)
		return -EINVAL;
	struct rlimit r = { clamp32(current->rlimits[resource].cur), clamp32(current->rlimits[resource].max) };
	if (r.rlim_cur > 0x7FFFFFFF)
		r.rlim_cur = 0x7FFFFFFF;
	if (r.rlim_max > 0x7FFFFFFF)
		r.rlim_max = 0x7FFFFFFF;
	return copy_to_user(ur, &r, sizeof r) ? -EFAULT : 0;
}
SYSCALL(getrlimit, sys_old_getrlimit);

/* Linux's do_prlimit: raising a hard limit needs CAP_SYS_RESOURCE (which
 * root has, and everyone is root for now), and RLIMIT_NOFILE's cannot go
 * past fs.nr_open at all. */
static long set_limit(struct task *t, unsigned resource, uint64_t cur, uint64_t max)
{
	if (cur > max)
		return -EINVAL;
	if (resource == RLIMIT_NOFILE && max > NR_OPEN_SYSCTL)
		return -EPERM;
	if (max > t->rlimits[resource].max && !task_capable_resource(current))
		return -EPERM;
	t->rlimits[resource].cur = cur;
	t->rlimits[resource].max = max;
	if (resource == RLIMIT_STACK && t->mm)
		mm_set_stack_limit(t->mm, cur);	/* the next stack fault obeys it */
	return 0;
}

static uint64_t widen(uint32_t v) { return v == 0xFFFFFFFFu ? ~0ull : v; }

static long sys_setrlimit(unsigned resource, const struct rlimit __user *ur)
{
	struct rlimit r;
	if (copy_from_user(&r, ur, sizeof r))
		return -EFAULT;	/* Linux copies first, then checks the resource */
	if (resource >= RLIMIT_COUNT)
		return -EINVAL;
	return set_limit(current, resource, widen(r.rlim_cur), widen(r.rlim_max));
}
SYSCALL(setrlimit, sys_setrlimit);

/* A 64-bit limit as a 32-bit kernel keeps it (Linux's rlim64_to_rlim):
 * anything from 0xffffffff up is "no limit". */
static uint64_t narrow(uint64_t v) { return v >= 0xFFFFFFFFull ? ~0ull : v; }

static long sys_prlimit64(int pid, unsigned resource, const struct rlimit64 __user *unew,
			  struct rlimit64 __user *uold)
{
	/* Linux's order: the new limits are read, then the process found, then
	 * the resource checked. */
	struct rlimit64 new;
	if (unew && copy_from_user(&new, unew, sizeof new))
		return -EFAULT;
	struct task *t = pid ? task_find(pid) : current;
	if (!t)
		return -ESRCH;
	if (resource >= RLIMIT_COUNT)
		return -EINVAL;
	struct rlimit64 old = { t->rlimits[resource].cur, t->rlimits[resource].max };
	if (unew) {
		long err = set_limit(t, resource, narrow(new.rlim_cur), narrow(new.rlim_max));
		if (err)
			return err;
	}
	if (uold && copy_to_user(uold, &old, sizeof old))
		return -EFAULT;
	return 0;
}
SYSCALL(prlimit64, sys_prlimit64);

/* --- the rest ------------------------------------------------------------------- */

static long sys_getrandom(void __user *ubuf, uint32_t len, uint32_t flags)
{
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	uint8_t chunk[64];
	uint32_t done = 0;
	while (done < len) {
		uint32_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
		random_bytes(chunk, n);
		if (copy_to_user((uint8_t *)ubuf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}
SYSCALL(getrandom, sys_getrandom);

static long sys_set_tid_address(int __user *tidptr)
{
	current->clear_child_tid = (uint32_t)tidptr;
	return current->pid;
}
SYSCALL(set_tid_address, sys_set_tid_address);

static long sys_sched_yield(void)
{
	yield();
	return 0;
}
SYSCALL(sched_yield, sys_sched_yield);

/* Only init's power-off and restart requests mean anything here: both end the machine. */
static long sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, void __user *arg)
{
	(void)arg;
	if (magic1 != LINUX_REBOOT_MAGIC1 || (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
					       magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_RESTART:
		printk("reboot: %s requested by %s[%d]\n",
		       cmd == LINUX_REBOOT_CMD_RESTART ? "restart" : "power off", current->comm, current->pid);
		machine_exit(EXIT_SUCCESS_CODE);
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}
SYSCALL(reboot, sys_reboot);
