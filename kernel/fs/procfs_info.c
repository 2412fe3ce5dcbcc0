/*
 * The files of /proc that describe the whole system: stat, cpuinfo,
 * loadavg, uptime, version, filesystems, mounts and mountinfo, in Linux's
 * formats (<lib/proc_text.h> has the parts the guest kernel shares).
 * The counts come from kernel/stats.c, which the timer interrupt feeds.
 */
#include <kernel/arch.h>
#include <kernel/fs.h>
#include <kernel/stats.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include "procfs_int.h"

/* Seconds since 1970 at boot: /proc/stat's btime. */
static uint32_t boot_seconds(void)
{
	static uint32_t btime;
	if (!btime)
		btime = fs_time() - (uint32_t)(timer_ticks() / TIMER_HZ);
	return btime;
}

int proc_show_sys_stat(struct task *t, char *buf, size_t size)
{
	(void)t;
	struct ptext o = { buf, size, 0 };
	/* Ticks are USER_HZ already (both 100); one CPU, so "cpu" and "cpu0" agree. */
	for (int i = 0; i < 2; i++)
		pt_printf(&o, "%s %llu 0 %llu %llu 0 0 0 0 0 0\n", i ? "cpu0" : "cpu ",
			  (unsigned long long)kstats.user, (unsigned long long)kstats.system,
			  (unsigned long long)kstats.idle);
	uint64_t total = 0;
	for (int i = 0; i < 16; i++)
		total += kstats.irqs[i];
	pt_printf(&o, "intr %llu", (unsigned long long)total);
	for (int i = 0; i < 16; i++)
		pt_printf(&o, " %llu", (unsigned long long)kstats.irqs[i]);
	pt_printf(&o, "\nctxt %llu\nbtime %u\nprocesses %llu\nprocs_running %d\nprocs_blocked %d\n"
		  "softirq 0 0 0 0 0 0 0 0 0 0 0\n", (unsigned long long)kstats.ctxt, boot_seconds(),
		  (unsigned long long)kstats.forks, stats_nr_running(), stats_nr_blocked());
	return (int)o.len;
}

int proc_show_cpuinfo(struct task *t, char *buf, size_t size)
{
	(void)t;
	struct ptext o = { buf, size, 0 };
	pt_cpuinfo(&o, stats_cpu_mhz());
	return (int)o.len;
}

int proc_show_loadavg(struct task *t, char *buf, size_t size)
{
	(void)t;
	struct ptext o = { buf, size, 0 };
	int total = 0;
	for (struct task *p = task_list(); p; p = p->all_next)
		total++;
	pt_loadavg(&o, kstats.avenrun, stats_nr_running(), total, task_last_pid());
	return (int)o.len;
}

int proc_show_uptime(struct task *t, char *buf, size_t size)
{
	(void)t;
	struct ptext o = { buf, size, 0 };
	pt_seconds(&o, timer_ticks());
	pt_printf(&o, " ");
	pt_seconds(&o, kstats.idle);
	pt_printf(&o, "\n");
	return (int)o.len;
}

int proc_show_version(struct task *t, char *buf, size_t size)
{
	(void)t;
	/* Linux's linux_banner: "Linux version RELEASE (BUILDER) (COMPILER) VERSION",
	 * with uname's release and version. */
	return snprintf(buf, size, "Linux version 6.1.0-altmm (altmm@altmm) (gcc, GNU ld) %s\n",
			ALTMM ? "#1 altmm kernel 0.1" : "#1 altmm kernel 0.1 (ALTMM=0)");
}

int proc_show_filesystems(struct task *t, char *buf, size_t size)
{
	(void)t;
	static const char *const names[] = { "ramfs", "proc", "pipefs" };
	struct ptext o = { buf, size, 0 };
	pt_filesystems(&o, names, 3);
	return (int)o.len;
}

/* The root is called "ramfs" rather than Linux's "rootfs", which df and
 * friends skip on purpose. */
int proc_show_mounts(struct task *t, char *buf, size_t size)
{
	(void)t;
	return snprintf(buf, size, "ramfs / ramfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n");
}

/* Linux's mountinfo: id, parent id, major:minor, root, mount point,
 * options, "-", type, source, super block options. */
int proc_show_mountinfo(struct task *t, char *buf, size_t size)
{
	(void)t;
	return snprintf(buf, size, "1 1 0:%u / / rw - ramfs ramfs rw\n"
			"2 1 0:%u / /proc rw,nosuid,nodev,noexec - proc proc rw\n",
			FS_DEV_RAMFS, FS_DEV_PROC);
}
