/*
 * The files of /proc/PID that describe the process itself: stat, statm,
 * status, maps, cmdline, environ, comm, limits, pagemap.
 *
 * Each gathers the task's figures into a struct ptask (<lib/proc_text.h>)
 * and prints it in Linux's format with the same functions the guest
 * kernel uses.  The figures are counted, not remembered: VmRSS is the
 * pages present in the page tables now, VmSize the pages the VMAs cover,
 * the times are the ticks kernel/stats.c charged to the task.
 */
#include <kernel/cred.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <uapi/resource.h>
#include <uapi/signal.h>
#include "procfs_int.h"

void proc_task_ids(struct task *t, uint32_t uid[4], uint32_t gid[4], uint32_t groups[32], int *ngroups)
{
	/* Real, effective, saved and fs ids, as Linux's status prints them;
	 * the first 32 supplementary groups. */
	uid[0] = t->uid, uid[1] = t->euid, uid[2] = t->suid, uid[3] = t->fsuid;
	gid[0] = t->gid, gid[1] = t->egid, gid[2] = t->sgid, gid[3] = t->fsgid;
	*ngroups = 0;
	for (uint32_t i = 0; t->groups && i < t->groups->ngroups && i < 32; i++)
		groups[(*ngroups)++] = t->groups->gid[i];
}

static char state_letter(struct task *t)
{
	switch (t->state) {
	case TASK_ZOMBIE: return 'Z';
	case TASK_STOPPED: return 'T';
	case TASK_SLEEPING_HARD: return 'D';
	case TASK_SLEEPING: return 'S';
	default: return 'R';
	}
}

/* The memory figures of mm, by walking its VMAs and page tables. */
static void fill_mm(struct mm *mm, struct ptask *p)
{
	p->has_mm = 1;
	p->total_vm = mm_total_vm(mm);
	p->hiwater_vm = mm->hiwater_vm;
	for (struct vma *v = mm->vmas; v; v = v->next) {
		uint32_t pages = (v->end - v->start) / PAGE_SIZE, present = 0;
		for (uint32_t va = v->start; va < v->end; va += PAGE_SIZE)
			present += mm_pte(mm, va) != 0;
		p->rss += present;
		if (v->inode)
			p->rss_file += present;
		else
			p->rss_anon += present;
		/* Linux's data_vm, stack_vm and exec_vm (mm/mmap.c, vm_stat_account). */
		if (v->flags & VMA_STACK)
			p->stack_vm += pages;
		else if ((v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED))
			p->data_vm += pages;
		else if ((v->prot & PROT_EXEC) && !(v->prot & PROT_WRITE))
			p->exec_vm += pages;
	}
	if (p->rss > mm->hiwater_rss)
		mm->hiwater_rss = p->rss;
	p->hiwater_rss = mm->hiwater_rss;
	p->pte_pages = mm_table_pages(mm);
	p->start_code = mm->start_code, p->end_code = mm->end_code;
	p->start_data = mm->start_data, p->end_data = mm->end_data;
	p->start_brk = mm->brk_start, p->start_stack = mm->start_stack;
	p->arg_start = mm->arg_start, p->arg_end = mm->arg_end;
	p->env_start = mm->env_start, p->env_end = mm->env_end;
}

static void fill(struct task *t, struct ptask *p)
{
	memset(p, 0, sizeof *p);
	p->pid = t->pid;
	p->ppid = t->parent ? t->parent->pid : 0;
	p->pgrp = t->pgid;
	p->sid = t->sid;
	p->tpgid = -1;
	p->threads = 1;
	p->state = state_letter(t);
	p->comm = t->comm;
	p->umask = t->umask;
	proc_task_ids(t, p->uid, p->gid, p->groups, &p->ngroups);
	p->fdsize = files_max_fds(t->files);
	p->utime = t->utime, p->stime = t->stime;
	p->cutime = t->cutime, p->cstime = t->cstime;
	p->start_time = t->start_time;
	p->rsslim = t->rlimits[RLIMIT_RSS].cur > 0xFFFFFFFFull ? 0xFFFFFFFFull : t->rlimits[RLIMIT_RSS].cur;
	p->exit_signal = t->exit_signal;
	p->exit_code = t->state == TASK_ZOMBIE ? t->exit_status : 0;
	p->sig_pending = t->sig.pending;
	p->shd_pending = t->sig.shared_pending;
	p->sig_blocked = t->sig.blocked;
	for (int s = 1; s <= NSIG; s++) {
		uint32_t h = t->sig.action[s - 1].handler;
		if (h == 1)
			p->sig_ignored |= 1ull << (s - 1);
		else if (h > 1)
			p->sig_caught |= 1ull << (s - 1);
	}
	p->nvcsw = t->nvcsw, p->nivcsw = t->nivcsw;
	if (t->mm && t->state != TASK_ZOMBIE)
		fill_mm(t->mm, p);
}

int proc_show_stat(struct task *t, char *buf, size_t size)
{
	struct ptask p;
	struct ptext o = { buf, size, 0 };
	fill(t, &p);
	pt_stat(&o, &p);
	return (int)o.len;
}

int proc_show_statm(struct task *t, char *buf, size_t size)
{
	struct ptask p;
	struct ptext o = { buf, size, 0 };
	fill(t, &p);
	pt_statm(&o, &p);
	return (int)o.len;
}

int proc_show_status(struct task *t, char *buf, size_t size)
{
	struct ptask p;
	struct ptext o = { buf, size, 0 };
	fill(t, &p);
	pt_status(&o, &p);
	return (int)o.len;
}

int proc_show_maps(struct task *t, char *buf, size_t size)
{
	struct ptext o = { buf, size, 0 };
	struct mm *mm = t->state == TASK_ZOMBIE ? 0 : t->mm;
	char *name = kmalloc(PATH_MAX);
	if (!name)
		return -ENOMEM;
	for (struct vma *v = mm ? mm->vmas : 0; v; v = v->next) {
		uint32_t major = 0, minor = 0, ino = 0;
		name[0] = 0;
		if (v->inode) {
			minor = v->inode->dev, ino = v->inode->ino;
			if (proc_file_path(v->inode, name, PATH_MAX) < 0)
				name[0] = 0;
		} else if (v->flags & VMA_STACK) {
			strlcpy(name, "[stack]", PATH_MAX);
		} else if (v->flags & VMA_HEAP || (v->start <= mm->brk_start && mm->brk_start < v->end)) {
			strlcpy(name, "[heap]", PATH_MAX);
		}
		pt_maps_line(&o, v->start, v->end, (int)v->prot, v->flags & VMA_SHARED,
			     v->inode ? v->pgoff : 0, major, minor, ino, name);
	}
	kfree(name);
	return (int)o.len;
}

/* Bytes [from, to) of t's memory: what cmdline and environ show. */
static int show_range(struct task *t, uint32_t from, uint32_t to, char *buf, size_t size)
{
	if (t->state == TASK_ZOMBIE || !t->mm || to <= from)
		return 0;
	size_t n = to - from;
	if (n >= size)
		return (int)n;		/* a bigger buffer, please */
	return mm_read(t->mm, from, buf, n) ? 0 : (int)n;
}

int proc_show_cmdline(struct task *t, char *buf, size_t size)
{
	return t->mm ? show_range(t, t->mm->arg_start, t->mm->arg_end, buf, size) : 0;
}

int proc_show_environ(struct task *t, char *buf, size_t size)
{
	return t->mm ? show_range(t, t->mm->env_start, t->mm->env_end, buf, size) : 0;
}

int proc_show_limits(struct task *t, char *buf, size_t size)
{
	struct ptext o = { buf, size, 0 };
	uint64_t cur[16], max[16];
	for (int i = 0; i < 16; i++)
		cur[i] = t->rlimits[i].cur, max[i] = t->rlimits[i].max;
	pt_limits(&o, cur, max);
	return (int)o.len;
}

int proc_show_comm(struct task *t, char *buf, size_t size)
{
	return snprintf(buf, size, "%s\n", t->comm);
}

long proc_store_comm(struct task *t, const char *buf, size_t n)
{
	if (t != current)
		return -EINVAL;		/* Linux: only within the thread group */
	size_t k = n < TASK_COMM_LEN - 1 ? n : TASK_COMM_LEN - 1;
	memset(t->comm, 0, sizeof t->comm);
	memcpy(t->comm, buf, k);	/* a newline stays part of the name, as in Linux */
	return (long)n;
}

/* --- pagemap: 8 bytes per page of the address space ----------------------------------- */

#define PM_PRESENT	(1ull << 63)

/* What an open pagemap reads: the space, and whether frame numbers are
 * shown, which Linux decides at open by the opener's CAP_SYS_ADMIN. */
struct pagemap_view {
	struct mm *mm;
	bool show_pfn;
};

static long pagemap_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	struct pagemap_view *view = f->priv;
	struct mm *mm = view->mm;
	if ((*pos & 7) || (n & 7))
		return -EINVAL;		/* Linux reads whole entries only */
	uint64_t *out = buf;
	size_t done = 0;
	for (; done < n / 8; done++) {
		uint64_t page = *pos / 8 + done;
		if (page >= USER_END / PAGE_SIZE)
			break;
		uint32_t pte = mm_pte(mm, (uint32_t)page * PAGE_SIZE);
		/* Present pages give their frame number (bits 0-54) to an
		 * opener with CAP_SYS_ADMIN (euid 0), 0 to others, as Linux. */
		out[done] = pte ? PM_PRESENT | (view->show_pfn ? pte >> 12 : 0) : 0;
	}
	*pos += done * 8;
	return (long)(done * 8);
}

static void pagemap_release(struct file *f)
{
	struct pagemap_view *view = f->priv;
	if (view) {
		mm_put(view->mm);
		kfree(view);
	}
}

static const struct file_ops pagemap_fops = { .read = pagemap_read, .release = pagemap_release };

int proc_open_pagemap(struct file *f, struct task *t)
{
	if (!t || !t->mm || t->state == TASK_ZOMBIE)
		return -ESRCH;
	struct pagemap_view *view = kmalloc(sizeof *view);
	if (!view)
		return -ENOMEM;
	mm_get(t->mm);
	view->mm = t->mm;
	view->show_pfn = cred_capable(current);
	f->priv = view;
	f->ops = &pagemap_fops;
	return 0;
}
