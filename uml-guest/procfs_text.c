/*
 * The texts of the guest's /proc files, with the guest's own figures,
 * printed by <lib/proc_text.h> exactly as the host kernel prints its own:
 *
 *   per process   stat, statm, status (from the process table and its page
 *                 table: VmRSS is the pages present now), maps (file
 *                 names, devices and inodes asked of the host through our
 *                 own descriptor of each mapped file), cmdline, environ
 *                 (read out of the process's memory), comm, limits,
 *                 fdinfo/N, mounts, mountinfo
 *   system        stat, uptime, loadavg (gstats: our timer's ticks),
 *                 cpuinfo (cpuid), version, filesystems, meminfo, kheap
 */
#include "procfs.h"
#include "sys.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <lib/proc_text.h>
#include <uapi/resource.h>

struct gstats gstats;

#define LOAD_FREQ       (5 * 100 + 1)   /* Linux's 5 s + 1 tick */

void procfs_tick(void)
{
	if (++gstats.ticks % LOAD_FREQ)
		return;
	static const uint32_t exps[3] = { PT_LOAD_EXP_1, PT_LOAD_EXP_5, PT_LOAD_EXP_15 };
	uint32_t active = 0;
	for (int i = 0; i < proc_slots; i++)
		active += procs[i]->state == P_RUNNABLE && !procs[i]->stopped;
	for (int i = 0; i < 3; i++)
		gstats.avenrun[i] = pt_calc_load(gstats.avenrun[i], exps[i], active * 2048);
}

static char state_letter(const struct proc *t)
{
	return t->state == P_ZOMBIE ? 'Z' : t->stopped ? 'T' : t->state == P_BLOCKED ? 'S' : 'R';
}

/* The page table entry of va in mm, or 0. */
static uint32_t pte_of(struct mm *mm, uint32_t va)
{
	uint32_t *e = mm->pgdir ? pt_lookup(mm, va, 0) : NULL;
	return e && (*e & PTE_P) ? *e : 0;
}

static void fill(struct proc *t, struct ptask *p)
{
	memset(p, 0, sizeof *p);
	p->pid = t->pid, p->ppid = t->ppid, p->pgrp = t->pgid, p->sid = t->sid;
	p->tpgid = -1;
	p->threads = 1;
	p->state = state_letter(t);
	p->comm = t->comm;
	p->umask = t->umask;
	p->uid[0] = t->uid, p->uid[1] = t->euid, p->uid[2] = t->suid, p->uid[3] = t->fsuid;
	p->gid[0] = t->gid, p->gid[1] = t->egid, p->gid[2] = t->sgid, p->gid[3] = t->fsgid;
	p->ngroups = cred_groups_of(t, p->groups, 32);
	p->fdsize = t->max_fds;
	p->utime = t->utime_ticks;
	p->cutime = t->cutime_ticks;
	p->start_time = t->start_tick;
	p->rsslim = t->rlim[RLIMIT_RSS].cur > 0xFFFFFFFFull ? 0xFFFFFFFFull : t->rlim[RLIMIT_RSS].cur;
	p->exit_signal = t->exit_signal;
	p->exit_code = t->state == P_ZOMBIE ? t->exit_status : 0;
	p->sig_pending = t->sig_thread.set, p->shd_pending = t->sig_process.set;
	p->sig_blocked = t->blocked;
	for (int s = 1; s <= 64; s++) {
		uint32_t h = (uint32_t)(uintptr_t)t->action[s - 1].sa_handler;
		if (h == 1)
			p->sig_ignored |= 1ull << (s - 1);
		else if (h > 1)
			p->sig_caught |= 1ull << (s - 1);
	}
	struct mm *mm = t->state == P_ZOMBIE ? NULL : t->mm;
	if (!mm)
		return;
	p->has_mm = 1;
	p->total_vm = vma_total_pages(mm);
	p->hiwater_vm = mm->layout.hiwater_vm;
	for (struct vma *v = mm->vmas; v; v = v->next) {
		uint32_t pages = (v->end - v->start) / PAGE, present = 0;
		for (uint32_t va = v->start; va < v->end; va += PAGE)
			present += pte_of(mm, va) != 0;
		p->rss += present;
		if (v->flags & VMA_FILE)
			p->rss_file += present;
		else
			p->rss_anon += present;
		if (v->flags & VMA_STACK)
			p->stack_vm += pages;
		else if ((v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED))
			p->data_vm += pages;
		else if ((v->prot & PROT_EXEC) && !(v->prot & PROT_WRITE))
			p->exec_vm += pages;
	}
	if (p->rss > mm->layout.hiwater_rss)
		mm->layout.hiwater_rss = p->rss;
	p->hiwater_rss = mm->layout.hiwater_rss;
	uint32_t *pd = mm->pgdir ? pfn_ptr(mm->pgdir) : NULL;
	for (unsigned i = 0; pd && i < (USER_TOP >> 22); i++)
		p->pte_pages += (pd[i] & PTE_P) != 0;
	const struct mm_layout *l = &mm->layout;
	p->start_code = l->start_code, p->end_code = l->end_code;
	p->start_data = l->start_data, p->end_data = l->end_data;
	p->start_brk = mm->brk_start, p->start_stack = l->start_stack;
	p->arg_start = l->arg_start, p->arg_end = l->arg_end;
	p->env_start = l->env_start, p->env_end = l->env_end;
}

/* Our descriptor hostfd's file as a guest path: the host's name for it,
 * less the guest's root; the length, or -errno. */
static int host_fd_path(int hostfd, char *buf, int size)
{
	char link[40], target[PATH_MAX_];
	snprintf(link, sizeof link, "/proc/self/fd/%d", hostfd);
	long n = __syscall3(__NR_readlink, link, target, sizeof target - 1);
	if (n < 0)
		return n;
	target[n] = 0;
	size_t r = strcmp(guest_root, "/") ? strlen(guest_root) : 0;
	if (r && (strncmp(target, guest_root, r) || (target[r] && target[r] != '/')))
		return -ENOENT;         /* outside what the guest sees */
	return snprintf(buf, size, "%s", target[r] ? target + r : "/");
}

int proc_fd_path(struct proc *t, int fd, char *buf, int size)
{
	struct gfile *f = fd >= 0 && fd < t->max_fds ? t->fd[fd] : NULL;
	if (!f)
		return -ENOENT;
	if (f->type == F_PIPE) {
		struct stat64 st;
		pipe_fstat(f, &st);
		return snprintf(buf, size, "pipe:[%u]", (unsigned)st.st_ino);
	}
	if (f->type == F_MEM)
		return snprintf(buf, size, "/proc");
	return host_fd_path(f->hostfd, buf, size);
}

static void maps(struct ptext *o, struct proc *t)
{
	struct mm *mm = t->state == P_ZOMBIE ? NULL : t->mm;
	static char name[PATH_MAX_];
	for (struct vma *v = mm ? mm->vmas : NULL; v; v = v->next) {
		uint32_t major = 0, minor = 0, ino = 0;
		name[0] = 0;
		if (v->fm) {
			struct stat64 st;
			if (!__syscall2(__NR_fstat64, v->fm->hostfd, &st)) {
				major = (uint32_t)(st.st_dev >> 8) & 0xfff;
				minor = (uint32_t)(st.st_dev & 0xff) | (uint32_t)(st.st_dev >> 12 & 0xfff00);
				ino = (uint32_t)st.st_ino;
			}
			if (host_fd_path(v->fm->hostfd, name, sizeof name) < 0)
				name[0] = 0;
		} else if (v->flags & VMA_STACK) {
			strcpy(name, "[stack]");
		} else if ((v->flags & VMA_HEAP) || (v->start <= mm->brk_start && mm->brk_start < v->end)) {
			strcpy(name, "[heap]");
		}
		pt_maps_line(o, v->start, v->end, v->prot, v->flags & VMA_SHARED, v->fm ? v->pgoff : 0,
		             major, minor, ino, name);
	}
}

/* Bytes [from, to) of t's memory: cmdline, environ. */
static void user_range(struct ptext *o, struct proc *t, uint32_t from, uint32_t to)
{
	if (t->state == P_ZOMBIE || !t->mm || to <= from)
		return;
	if (o->len + (to - from) >= o->size) {
		o->len += to - from;    /* a bigger buffer, please */
		return;
	}
	if (copy_from_user(t, o->buf + o->len, from, to - from) == 0)
		o->len += to - from;
}

static void fdinfo(struct ptext *o, struct proc *t, int fd)
{
	struct gfile *f = fd >= 0 && fd < t->max_fds ? t->fd[fd] : NULL;
	if (!f)
		return;
	int64_t pos = f->type == F_MEM ? f->pos : 0;
	struct stat64 st;
	memset(&st, 0, sizeof st);
	if (f->type == F_HOST) {
		__syscall5(__NR__llseek, f->hostfd, 0, 0, &pos, SEEK_CUR);
		__syscall2(__NR_fstat64, f->hostfd, &st);
	} else if (f->type == F_PIPE) {
		pipe_fstat(f, &st);
	}
	int cloexec = t->cloexec[fd / 32] >> (fd % 32) & 1;
	pt_printf(o, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%u\nino:\t%u\n", (long long)pos,
	          (unsigned)(f->flags | (cloexec ? O_CLOEXEC : 0)), (unsigned)(st.st_dev & 0xff),
	          (unsigned)st.st_ino);
}

static void sys_stat(struct ptext *o)
{
	uint64_t idle = gstats.ticks - gstats.user;
	for (int i = 0; i < 2; i++)
		pt_printf(o, "%s %llu 0 0 %llu 0 0 0 0 0 0\n", i ? "cpu0" : "cpu ",
		          (unsigned long long)gstats.user, (unsigned long long)idle);
	int running = 0, blocked = 0;
	for (int i = 0; i < proc_slots; i++) {
		running += procs[i]->state == P_RUNNABLE && !procs[i]->stopped;
		blocked += 0;           /* the guest has no uninterruptible sleep */
	}
	pt_printf(o, "intr %llu %llu\nctxt %llu\nbtime %lld\nprocesses %llu\nprocs_running %d\n"
	          "procs_blocked %d\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
	          (unsigned long long)gstats.ticks, (unsigned long long)gstats.ticks,
	          (unsigned long long)gstats.ctxt, (long long)time(NULL) - (long long)(gstats.ticks / 100),
	          (unsigned long long)gstats.forks, running, blocked);
}

/* Our CPU's clock: the time stamp counter against the host's clock. */
static uint32_t cpu_mhz(void)
{
	static uint64_t tsc0, ns0;
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	uint64_t tsc = (uint64_t)hi << 32 | lo, ns = now_ns();
	if (!ns0) {
		tsc0 = tsc, ns0 = ns;
		return 0;
	}
	return ns > ns0 + 1000000 ? (uint32_t)((tsc - tsc0) * 1000 / (ns - ns0)) : 0;
}

int proc_text(int node, struct proc *t, int fd, char *buf, int size)
{
	struct ptext o = { buf, (size_t)size, 0 };
	struct ptask pt;
	switch (node) {
	case PN_MEMINFO: {
		/* Guest memory has no high part and no page cache of its own (files are the host's). */
		pt_meminfo(&o, mem_total_pages() * 4, mem_free_pages() * 4, 0, 0, 0, 0);
		break;
	}
	case PN_KHEAP:
		pt_printf(&o, "live_blocks: %lu\n", malloc_live_blocks());
		break;
	case PN_STAT_SYS:
		sys_stat(&o);
		break;
	case PN_CPUINFO:
		pt_cpuinfo(&o, cpu_mhz());
		break;
	case PN_LOADAVG: {
		int running = 0, total = 0;
		for (int i = 0; i < proc_slots; i++) {
			if (procs[i]->state == P_FREE)
				continue;
			total++;
			running += procs[i]->state == P_RUNNABLE && !procs[i]->stopped;
		}
		pt_loadavg(&o, gstats.avenrun, running, total, gstats.last_pid);
		break;
	}
	case PN_UPTIME:
		pt_seconds(&o, gstats.ticks);
		pt_printf(&o, " ");
		pt_seconds(&o, gstats.ticks - gstats.user);
		pt_printf(&o, "\n");
		break;
	case PN_VERSION:
		pt_printf(&o, "Linux version 6.1.0-uml-guest (uml-guest@altmm) (gcc, GNU ld) "
		          "#1 uml-guest, a user-mode kernel\n");
		break;
	case PN_FILESYSTEMS: {
		static const char *const names[] = { "hostfs", "proc", "pipefs" };
		pt_filesystems(&o, names, 3);
		break;
	}
	case PN_MOUNTS_SYS:
	case PN_MOUNTS:
		pt_printf(&o, "hostfs / hostfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n");
		break;
	case PN_MOUNTINFO:
		pt_printf(&o, "1 1 0:1 / / rw - hostfs hostfs rw\n2 1 0:4 / /proc rw,nosuid,nodev,noexec - proc proc rw\n");
		break;
	case PN_STAT:
		fill(t, &pt);
		pt_stat(&o, &pt);
		break;
	case PN_STATM:
		fill(t, &pt);
		pt_statm(&o, &pt);
		break;
	case PN_STATUS:
		fill(t, &pt);
		pt_status(&o, &pt);
		break;
	case PN_MAPS:
		maps(&o, t);
		break;
	case PN_CMDLINE:
		if (t->mm)
			user_range(&o, t, t->mm->layout.arg_start, t->mm->layout.arg_end);
		break;
	case PN_ENVIRON:
		if (t->mm)
			user_range(&o, t, t->mm->layout.env_start, t->mm->layout.env_end);
		break;
	case PN_COMM:
		pt_printf(&o, "%s\n", t->comm);
		break;
	case PN_LIMITS: {
		uint64_t cur[16], max[16];
		for (int i = 0; i < 16; i++)
			cur[i] = t->rlim[i].cur, max[i] = t->rlim[i].max;
		pt_limits(&o, cur, max);
		break;
	}
	case PN_FDINFO:
		fdinfo(&o, t, fd);
		break;
	}
	return (int)o.len;
}

long proc_comm_write(struct proc *p, struct proc *t, uint32_t ubuf, uint32_t n)
{
	char name[16];
	if (t != p)
		return -EINVAL;         /* Linux: a process's comm is its own to write */
	uint32_t k = n < sizeof name - 1 ? n : sizeof name - 1;
	memset(name, 0, sizeof name);
	if (copy_from_user(p, name, ubuf, k))
		return -EFAULT;
	memcpy(t->comm, name, sizeof t->comm);
	return n;
}

long proc_pagemap_read(struct proc *p, struct gfile *f, uint32_t ubuf, uint32_t n)
{
	struct proc *t = proc_find(f->proc_pid);
	if (!t || !t->mm || t->state == P_ZOMBIE)
		return 0;
	if ((f->pos & 7) || (n & 7))
		return -EINVAL;         /* whole entries only, as Linux */
	uint32_t done = 0;
	while (done < n) {
		uint64_t e[64];
		uint32_t k = 0;
		for (; k < 64 && done + k * 8 < n; k++) {
			uint32_t page = (f->pos + done) / 8 + k;
			if (page >= USER_TOP / PAGE)
				break;
			uint32_t pte = pte_of(t->mm, page * PAGE);
			/* A page of guest memory gives its frame, to root (Linux:
			 * CAP_SYS_ADMIN); a host file's page has none here. */
			e[k] = pte ? 1ull << 63 | ((pte & PTE_F) || p->euid ? 0 : pte >> PAGE_SHIFT) : 0;
		}
		if (!k)
			break;
		if (copy_to_user(p, ubuf + done, e, k * 8))
			return done ? (long)done : -EFAULT;
		done += k * 8;
	}
	f->pos += done;
	return done;
}
