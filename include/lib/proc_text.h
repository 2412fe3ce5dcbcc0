/*
 * The text of /proc files in Linux 6.1's exact formats, for both kernels:
 * the host (kernel/fs/procfs_*.c) and the guest (uml-guest/procfs.c) fill
 * in the same structures with their own figures and print them with
 * these functions, so the two cannot drift apart.  Static inline, as
 * <lib/sysctl_text.h>; include it after a declaration of snprintf.
 *
 * Each function appends to a struct ptext (a buffer, its size, the length
 * so far); like snprintf, the length keeps counting past the end, so the
 * caller sees that the text did not fit and tries a bigger buffer.
 */
#ifndef LIB_PROC_TEXT_H
#define LIB_PROC_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct ptext {
	char *buf;
	size_t size, len;
};

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

static inline void __attribute__((format(printf, 2, 3))) pt_printf(struct ptext *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->len < o->size ? o->buf + o->len : 0, o->len < o->size ? o->size - o->len : 0,
			  fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

/* What /proc/PID/stat, status and statm say of a process.  Memory in
 * pages; times in clock ticks (USER_HZ, 100 a second). */
struct ptask {
	int pid, ppid, pgrp, sid, tty_nr, tpgid, threads, exit_signal, exit_code;
	char state;			/* R S D T Z */
	const char *comm;
	uint32_t umask;
	uint32_t uid[4], gid[4];	/* real, effective, saved, fs */
	int fdsize;			/* descriptor table slots */
	int ngroups;			/* supplementary groups (Groups:), at most 32 shown */
	uint32_t groups[32];
	uint64_t utime, stime, cutime, cstime, start_time;
	int has_mm;			/* zombies have none: their memory figures are 0 */
	uint32_t total_vm, hiwater_vm, hiwater_rss, rss, rss_anon, rss_file, data_vm, stack_vm, exec_vm, pte_pages;
	uint32_t start_code, end_code, start_data, end_data, start_brk, start_stack;
	uint32_t arg_start, arg_end, env_start, env_end;
	uint64_t sig_pending, shd_pending, sig_blocked, sig_ignored, sig_caught;
	uint64_t rsslim;
	uint32_t nvcsw, nivcsw;
};

static inline const char *pt_state_name(char s)
{
	switch (s) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 'Z': return "Z (zombie)";
	default: return "X (dead)";
	}
}

/* /proc/PID/stat: Linux's 52 fields on one line (fs/proc/array.c). */
static inline void pt_stat(struct ptext *o, const struct ptask *t)
{
	int m = t->has_mm;
	pt_printf(o, "%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu %llu %llu %llu %llu %d %d %d 0 %llu "
		  "%lu %u %llu %u %u %u 0 0 %lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 %u %u %u %u %u %u %u %d\n",
		  t->pid, t->comm, t->state, t->ppid, t->pgrp, t->sid, t->tty_nr, t->tpgid,
		  0u /* Linux's PF_* flags: none of them apply here */,
		  0ul, 0ul, 0ul, 0ul,
		  (unsigned long long)t->utime, (unsigned long long)t->stime,
		  (unsigned long long)t->cutime, (unsigned long long)t->cstime,
		  20, 0, t->threads, (unsigned long long)t->start_time,
		  (unsigned long)(m ? t->total_vm * 4096ul : 0), m ? t->rss : 0,
		  (unsigned long long)t->rsslim,
		  m ? t->start_code : 0, m ? t->end_code : 0, m ? t->start_stack : 0,
		  (unsigned long)t->sig_pending | (unsigned long)t->shd_pending,
		  (unsigned long)t->sig_blocked, (unsigned long)t->sig_ignored,
		  (unsigned long)t->sig_caught, t->exit_signal,
		  m ? t->start_data : 0, m ? t->end_data : 0, m ? t->start_brk : 0,
		  m ? t->arg_start : 0, m ? t->arg_end : 0, m ? t->env_start : 0, m ? t->env_end : 0,
		  t->exit_code);
}

/* Linux's "Name:\t   1234 kB" lines: the number right-aligned in 8 columns. */
static inline void pt_kb(struct ptext *o, const char *name, uint32_t pages)
{
	pt_printf(o, "%s:\t%8u kB\n", name, pages * 4);
}

/* /proc/PID/status, Linux 6.1's lines in its order (fs/proc/array.c,
 * task_mem in fs/proc/task_mmu.c), without the speculation lines. */
static inline void pt_status(struct ptext *o, const struct ptask *t)
{
	pt_printf(o, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
		  "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t",
		  t->comm, t->umask, pt_state_name(t->state), t->pid, t->pid, t->ppid,
		  t->uid[0], t->uid[1], t->uid[2], t->uid[3], t->gid[0], t->gid[1], t->gid[2], t->gid[3],
		  t->fdsize);
	/* "0 4 27 " or nothing, and then a space all the same (Linux's
	 * trailing space, which it keeps for the tools that expect it). */
	for (int i = 0; i < t->ngroups && i < 32; i++)
		pt_printf(o, i ? " %u" : "%u", t->groups[i]);
	pt_printf(o, " \nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", t->pid, t->pid, t->pgrp,
		  t->sid);
	if (t->has_mm) {
		uint32_t peak = t->hiwater_vm > t->total_vm ? t->hiwater_vm : t->total_vm;
		uint32_t text = ((t->end_code + 4095) & ~4095u) - (t->start_code & ~4095u);
		text = t->end_code ? text / 4096 : 0;
		pt_kb(o, "VmPeak", peak);
		pt_kb(o, "VmSize", t->total_vm);
		pt_kb(o, "VmLck", 0);
		pt_kb(o, "VmPin", 0);
		pt_kb(o, "VmHWM", t->hiwater_rss > t->rss ? t->hiwater_rss : t->rss);
		pt_kb(o, "VmRSS", t->rss);
		pt_printf(o, "RssAnon:\t%8u kB\nRssFile:\t%8u kB\nRssShmem:\t%8u kB\n",
			  t->rss_anon * 4, t->rss_file * 4, 0u);
		pt_kb(o, "VmData", t->data_vm);
		pt_kb(o, "VmStk", t->stack_vm);
		pt_kb(o, "VmExe", text);
		pt_kb(o, "VmLib", t->exec_vm > text ? t->exec_vm - text : 0);
		pt_kb(o, "VmPTE", t->pte_pages);
		pt_kb(o, "VmSwap", 0);
		pt_printf(o, "CoreDumping:\t0\nTHP_enabled:\t1\n");
	}
	pt_printf(o, "Threads:\t%d\nSigQ:\t0/%u\n"
		  "SigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n"
		  "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"
		  "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n"
		  "Seccomp_filters:\t0\nCpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\n"
		  "Mems_allowed_list:\t0\nvoluntary_ctxt_switches:\t%u\nnonvoluntary_ctxt_switches:\t%u\n",
		  t->threads, 7645u, (unsigned long long)t->sig_pending, (unsigned long long)t->shd_pending,
		  (unsigned long long)t->sig_blocked, (unsigned long long)t->sig_ignored,
		  (unsigned long long)t->sig_caught, t->nvcsw, t->nivcsw);
}

/* /proc/PID/statm: size resident shared text lib data dt, in pages. */
static inline void pt_statm(struct ptext *o, const struct ptask *t)
{
	if (!t->has_mm) {
		pt_printf(o, "0 0 0 0 0 0 0\n");
		return;
	}
	uint32_t text = t->end_code ? (((t->end_code + 4095) & ~4095u) - (t->start_code & ~4095u)) / 4096 : 0;
	pt_printf(o, "%u %u %u %u 0 %u 0\n", t->total_vm, t->rss, t->rss_file, text,
		  t->data_vm + t->stack_vm);
}

/* /proc/PID/limits: Linux's table (fs/proc/base.c, proc_pid_limits). */
static inline void pt_limits(struct ptext *o, const uint64_t cur[16], const uint64_t max[16])
{
	static const struct { const char *name, *unit; } lim[16] = {
		{ "Max cpu time", "seconds" }, { "Max file size", "bytes" },
		{ "Max data size", "bytes" }, { "Max stack size", "bytes" },
		{ "Max core file size", "bytes" }, { "Max resident set", "bytes" },
		{ "Max processes", "processes" }, { "Max open files", "files" },
		{ "Max locked memory", "bytes" }, { "Max address space", "bytes" },
		{ "Max file locks", "locks" }, { "Max pending signals", "signals" },
		{ "Max msgqueue size", "bytes" }, { "Max nice priority", 0 },
		{ "Max realtime priority", 0 }, { "Max realtime timeout", "us" },
	};
	pt_printf(o, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < 16; i++) {
		pt_printf(o, "%-25s ", lim[i].name);
		if (cur[i] >= 0xFFFFFFFFull)	/* Linux's RLIM_INFINITY (an unsigned long) */
			pt_printf(o, "%-20s ", "unlimited");
		else
			pt_printf(o, "%-20llu ", (unsigned long long)cur[i]);
		if (max[i] >= 0xFFFFFFFFull)
			pt_printf(o, "%-20s ", "unlimited");
		else
			pt_printf(o, "%-20llu ", (unsigned long long)max[i]);
		if (lim[i].unit)
			pt_printf(o, "%-10s\n", lim[i].unit);
		else
			pt_printf(o, "\n");
	}
}

/* One line of /proc/PID/maps: Linux pads what comes before the name to
 * 25 + 6 * sizeof(void *) - 1 = 48 columns, then a space, then the name
 * (none: the line ends after the inode and its space). */
static inline void pt_maps_line(struct ptext *o, uint32_t start, uint32_t end, int prot, int shared,
				uint32_t pgoff, uint32_t major, uint32_t minor, uint32_t ino,
				const char *name)
{
	size_t at = o->len;
	pt_printf(o, "%08x-%08x %c%c%c%c %08llx %02x:%02x %u ", start, end, prot & 1 ? 'r' : '-',
		  prot & 2 ? 'w' : '-', prot & 4 ? 'x' : '-', shared ? 's' : 'p',
		  (unsigned long long)pgoff * 4096, major, minor, ino);
	if (name && *name) {
		while (o->len - at < 48)
			pt_printf(o, " ");
		pt_printf(o, " %s", name);
	}
	pt_printf(o, "\n");
}

/* /proc/loadavg: "0.12 0.05 0.01 1/42 1234", from Linux's fixed point
 * (11 bits of fraction), rounded to hundredths as Linux's LOAD_INT/FRAC. */
static inline void pt_loadavg(struct ptext *o, const uint32_t avenrun[3], int running, int total,
			      int last_pid)
{
	for (int i = 0; i < 3; i++) {
		uint32_t a = avenrun[i] + (1u << 11) / 200;	/* + FIXED_1/200: round */
		pt_printf(o, "%u.%02u ", a >> 11, ((a & ((1u << 11) - 1)) * 100) >> 11);
	}
	pt_printf(o, "%d/%d %d\n", running, total, last_pid);
}

/* Linux's calc_load: one 5-second step of a load average, fixed point
 * with 11 bits of fraction; exp is 2048 * e^(-5 s / period): 1884, 2014
 * and 2037 for 1, 5 and 15 minutes; active = runnable tasks * 2048. */
#define PT_LOAD_EXP_1	1884
#define PT_LOAD_EXP_5	2014
#define PT_LOAD_EXP_15	2037
static inline uint32_t pt_calc_load(uint32_t load, uint32_t exp, uint32_t active)
{
	uint32_t newload = load * exp + active * (2048 - exp);
	if (active >= load)
		newload += 2048 - 1;	/* round up while rising, as Linux */
	return newload / 2048;
}

/* /proc/meminfo, in KiB: Linux prints each line as a 16-character label
 * and the value right-aligned in 8 columns ("MemTotal:         123456 kB").
 * The High and Low lines are those of an i386 kernel with high memory, as
 * Debian's is; what neither kernel has (swap, page cache states) is 0. */
static inline void pt_meminfo(struct ptext *o, uint32_t total, uint32_t free, uint32_t cached,
			      uint32_t slab, uint32_t high_total, uint32_t high_free)
{
	const struct { const char *label; uint32_t kb; } lines[] = {
		{ "MemTotal:", total }, { "MemFree:", free }, { "MemAvailable:", free },
		{ "Buffers:", 0 }, { "Cached:", cached }, { "SwapCached:", 0 },
		{ "Active:", 0 }, { "Inactive:", 0 },
		{ "HighTotal:", high_total }, { "HighFree:", high_free },
		{ "LowTotal:", total - high_total }, { "LowFree:", free - high_free },
		{ "SwapTotal:", 0 }, { "SwapFree:", 0 },
		{ "Dirty:", 0 }, { "Writeback:", 0 }, { "AnonPages:", 0 }, { "Mapped:", 0 },
		{ "Shmem:", 0 }, { "Slab:", slab }, { "SReclaimable:", 0 },
		{ "SUnreclaim:", slab }, { "PageTables:", 0 }, { "CommitLimit:", total / 2 },
		{ "Committed_AS:", 0 },
	};
	for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++)
		pt_printf(o, "%-16s%8u kB\n", lines[i].label, lines[i].kb);
}

/* "12.34" seconds from clock ticks (100 a second). */
static inline void pt_seconds(struct ptext *o, uint64_t ticks)
{
	pt_printf(o, "%llu.%02u", (unsigned long long)(ticks / 100), (unsigned)(ticks % 100));
}

/* The processor, as cpuid describes it. */
static inline void pt_cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

/* /proc/cpuinfo for one CPU, Linux's x86 lines (arch/x86/kernel/cpu/proc.c)
 * with the flags of cpuid leaf 1's edx and ecx. */
static inline void pt_cpuinfo(struct ptext *o, uint32_t mhz)
{
	static const char *const edx_flags[32] = {
		"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", 0, "sep",
		"mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", 0, "dts", "acpi",
		"mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
	};
	static const char *const ecx_flags[32] = {
		"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2",
		"ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", 0, "pcid", "dca", "sse4_1",
		"sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", 0,
		"avx", "f16c", "rdrand", "hypervisor",
	};
	uint32_t r[4], vendor[4] = { 0 }, brand[13] = { 0 };
	pt_cpuid(0, r);
	vendor[0] = r[1], vendor[1] = r[3], vendor[2] = r[2];
	uint32_t max_leaf = r[0];
	uint32_t sig[4] = { 0 };
	if (max_leaf >= 1)
		pt_cpuid(1, sig);
	pt_cpuid(0x80000000u, r);
	if (r[0] >= 0x80000004u)
		for (uint32_t i = 0; i < 3; i++)
			pt_cpuid(0x80000002u + i, brand + 4 * i);
	const char *model_name = (const char *)brand;
	while (*model_name == ' ')
		model_name++;
	uint32_t family = (sig[0] >> 8) & 15, model = (sig[0] >> 4) & 15;
	if (family == 15)
		family += (sig[0] >> 20) & 0xff;
	if (family >= 6)
		model += ((sig[0] >> 16) & 15) << 4;
	pt_printf(o, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
		  "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %u.000\ncache size\t: 0 KB\n"
		  "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\napicid\t\t: 0\n"
		  "initial apicid\t: 0\nfdiv_bug\t: no\nf00f_bug\t: no\ncoma_bug\t: no\nfpu\t\t: yes\n"
		  "fpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\nflags\t\t:",
		  (const char *)vendor, family, model, *model_name ? model_name : "unknown",
		  sig[0] & 15, mhz, max_leaf);
	for (int i = 0; i < 32; i++)
		if (edx_flags[i] && (sig[3] >> i & 1))
			pt_printf(o, " %s", edx_flags[i]);
	for (int i = 0; i < 32; i++)
		if (ecx_flags[i] && (sig[2] >> i & 1))
			pt_printf(o, " %s", ecx_flags[i]);
	pt_printf(o, "\nbogomips\t: %u.00\nclflush size\t: %u\ncache_alignment\t: %u\n"
		  "address sizes\t: 36 bits physical, 32 bits virtual\npower management:\n\n",
		  mhz * 2, ((sig[1] >> 8) & 0xff) * 8, ((sig[1] >> 8) & 0xff) * 8);
}

/* /proc/filesystems: Linux's "nodev\tname" lines for what each kernel has. */
static inline void pt_filesystems(struct ptext *o, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		pt_printf(o, "nodev\t%s\n", names[i]);
}

#endif
