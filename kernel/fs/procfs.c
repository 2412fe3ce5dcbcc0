/*
 * /proc: a read-only file system whose files are made up on the spot.
 *
 * Nothing here is stored.  Looking up a name builds a fresh inode that
 * only says what it stands for (which entry, which pid); opening a file
 * runs its "show" function, which prints the kernel's state into a
 * buffer with snprintf; read() then serves that snapshot.  So reading
 * /proc/meminfo twice gives two snapshots, and the inodes vanish again
 * with their last reference.
 *
 *   /proc/meminfo        memory, in Linux's format (programs parse it)
 *   /proc/kheap          the kernel heap's counts (this kernel's own: leak checks)
 *   /proc/self           a symlink to the caller's <pid>
 *   /proc/sys            the sysctls (kernel/fs/procfs_sys.c)
 *   /proc/stat, cpuinfo, loadavg, uptime, version, filesystems, mounts
 *                        the system (kernel/fs/procfs_info.c)
 *   /proc/<pid>/stat, statm, status, maps, cmdline, environ, comm, limits,
 *                pagemap the process (kernel/fs/procfs_pid.c)
 *   /proc/<pid>/fd/, fdinfo/  its descriptors (kernel/fs/procfs_fd.c)
 *   /proc/<pid>/exe, cwd, root  symlinks to its program and directories
 *   /proc/<pid>/mounts, mountinfo  the same as /proc/mounts (what /etc/mtab links to)
 * and whatever other subsystems add with proc_register (<kernel/procfs.h>).
 */
#include <kernel/arch.h>
#include <kernel/fs.h>
#include <kernel/heap.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/procfs.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "procfs_int.h"

#define MAX_HOOKS	8
#define PID_INO(pid)	(0x10000u + ((uint32_t)(pid) << 5))	/* <pid> dir; its files follow */
#define PID_POS		0x10000u	/* readdir positions of <pid> dirs: PID_POS + pid */

/* An entry of a /proc directory: shown, linked, or opened by a hook. */
struct proc_entry {
	const char *name;
	uint32_t mode;
	int (*show)(struct task *t, char *buf, size_t size);	/* regular files */
	long (*store)(struct task *t, const char *buf, size_t n);	/* writable ones */
	int (*link)(struct task *t, char *buf, size_t size);	/* symlinks */
	proc_open_fn open;					/* hooks */
	struct inode *(*dir)(struct inode *parent, uint32_t ino);	/* subtrees (/proc/sys) */
};

/* What a /proc inode stands for. */
struct proc_node {
	const struct proc_entry *entry;	/* NULL for the root and <pid> dirs */
	int pid;			/* 0 outside <pid> dirs */
};

static struct proc_entry root_hooks[MAX_HOOKS], pid_hooks[MAX_HOOKS];
static const struct inode_ops root_iops, pid_iops, file_iops, link_iops;
static const struct file_ops file_fops, dir_fops;

/* --- the generated files ------------------------------------------------------------ */

int proc_meminfo_format(char *buf, size_t size, const struct meminfo *m)
{
	struct ptext o = { buf, size, 0 };
	pt_meminfo(&o, m->total, m->free, m->cached, m->slab, m->high_total, m->high_free);
	return (int)o.len;
}

static int show_meminfo(struct task *t, char *buf, size_t size)
{
	(void)t;
	/* MemFree and Slab are read together, with nothing allocated in
	 * between, so their sum only moves when a page really leaks: the heap
	 * grows by taking free pages, and never gives them back. */
	struct heap_stats hs;
	heap_get_stats(&hs);
	struct meminfo m = {
		.total = pmm_total_pages() * 4, .free = pmm_free_pages() * 4,
		.cached = ramfs_data_pages() * 4, .slab = hs.pages * 4,
		.high_total = pmm_high_total_pages() * 4, .high_free = pmm_high_free_pages() * 4,
	};
	return proc_meminfo_format(buf, size, &m);
}

/* Live blocks and bytes of kmalloc: what a leak check compares, since a
 * leaked object stays inside the heap's pages, which meminfo's Slab
 * counts whether they hold live blocks or not. */
static int show_kheap(struct task *t, char *buf, size_t size)
{
	(void)t;
	struct heap_stats hs;
	heap_get_stats(&hs);
	return snprintf(buf, size, "pages: %u\nlive_blocks: %u\nused_bytes: %u\nfree_blocks: %u\n",
			hs.pages, hs.live_blocks, hs.used_bytes, hs.free_blocks);
}

/* --- the symlinks ------------------------------------------------------------------------ */

static int link_self(struct task *t, char *buf, size_t size)
{
	(void)t;
	return current ? snprintf(buf, size, "%d", current->pid) : -ENOENT;
}

static int link_exe(struct task *t, char *buf, size_t size)
{
	return t->exe_path ? snprintf(buf, size, "%s", t->exe_path) : -ENOENT;
}

static int link_cwd(struct task *t, char *buf, size_t size)
{
	return dir_path(t->cwd ? t->cwd : fs_root(), buf, size);
}

/* /proc/mounts is Linux's symlink to the reader's own mounts. */
static int link_mounts(struct task *t, char *buf, size_t size)
{
	(void)t;
	return snprintf(buf, size, "self/mounts");
}

static int link_root(struct task *t, char *buf, size_t size)
{
	(void)t;
	return snprintf(buf, size, "/");	/* no chroot: everyone's root is the root */
}

#define SHOW(name, fn)	{ name, S_IFREG | 0444, fn, 0, 0, 0, 0 }
#define LINK(name, fn)	{ name, S_IFLNK | 0777, 0, 0, fn, 0, 0 }
#define DIR(name, fn)	{ name, S_IFDIR | 0555, 0, 0, 0, 0, fn }
static const struct proc_entry root_entries[] = {
	SHOW("meminfo", show_meminfo), SHOW("kheap", show_kheap),
	SHOW("uptime", proc_show_uptime), LINK("mounts", link_mounts),
	LINK("self", link_self), DIR("sys", procfs_sys_root),
	SHOW("stat", proc_show_sys_stat), SHOW("cpuinfo", proc_show_cpuinfo),
	SHOW("loadavg", proc_show_loadavg), SHOW("version", proc_show_version),
	SHOW("filesystems", proc_show_filesystems),
};
static const struct proc_entry pid_entries[] = {
	SHOW("stat", proc_show_stat), SHOW("statm", proc_show_statm),
	SHOW("status", proc_show_status), SHOW("maps", proc_show_maps),
	SHOW("cmdline", proc_show_cmdline), { "environ", S_IFREG | 0400, proc_show_environ, 0, 0, 0, 0 },
	{ "comm", S_IFREG | 0644, proc_show_comm, proc_store_comm, 0, 0, 0 },
	LINK("exe", link_exe), LINK("cwd", link_cwd), LINK("root", link_root),
	DIR("fd", procfs_fd_dir), DIR("fdinfo", procfs_fdinfo_dir),
	SHOW("limits", proc_show_limits), SHOW("mounts", proc_show_mounts),
	SHOW("mountinfo", proc_show_mountinfo),
	{ "pagemap", S_IFREG | 0400, 0, 0, 0, proc_open_pagemap, 0 },
};
#define N_ROOT	(sizeof root_entries / sizeof root_entries[0])
#define N_PID	(sizeof pid_entries / sizeof pid_entries[0])

static int add_hook(struct proc_entry *table, const char *name, uint32_t mode, proc_open_fn open)
{
	for (int i = 0; i < MAX_HOOKS; i++) {
		if (!table[i].name) {
			table[i] = (struct proc_entry){ name, mode, 0, 0, 0, open, 0 };
			return 0;
		}
	}
	return -ENOSPC;
}

int proc_register(const char *name, uint32_t mode, proc_open_fn open)
{
	return add_hook(root_hooks, name, mode, open);
}

int proc_register_pid(const char *name, uint32_t mode, proc_open_fn open)
{
	return add_hook(pid_hooks, name, mode, open);
}

int procfs_inode_pid(struct inode *inode)
{
	return ((struct proc_node *)inode->priv)->pid;
}

/* --- inodes ------------------------------------------------------------------------------- */

/* /proc/<pid>/...: the task's effective ids, as Linux's task_dump_owner;
 * but an undumpable task's (or a zombie's) files are root's, all but the
 * world-readable directories, so that a process that was root cannot
 * open what it could read then (environ, pagemap) once it is not.  The
 * inode is made at each lookup, so the owner is always the current one. */
void procfs_set_owner(struct inode *inode, int pid)
{
	struct task *t = pid ? task_find(pid) : 0;
	if (t && (inode->mode == (S_IFDIR | 0555) || (t->dumpable && t->mm))) {
		inode->uid = t->euid;
		inode->gid = t->egid;
	} else {
		inode->uid = inode->gid = 0;
	}
}

static struct inode *proc_inode(uint32_t mode, uint32_t ino, const struct proc_entry *e, int pid,
				struct inode *parent)
{
	const struct inode_ops *iops = S_ISLNK(mode) ? &link_iops : S_ISDIR(mode) ?
				       (pid ? &pid_iops : &root_iops) : &file_iops;
	struct inode *inode = inode_alloc(FS_DEV_PROC, mode, iops, S_ISDIR(mode) ? &dir_fops : &file_fops);
	struct proc_node *node = kmalloc(sizeof *node);
	if (!inode || !node) {
		kfree(node);
		if (inode)
			inode->iops = 0;	/* nothing of ours to release yet */
		inode_put(inode);
		return 0;
	}
	node->entry = e;
	node->pid = pid;
	procfs_set_owner(inode, pid);
	inode->priv = node;
	inode->ino = ino;
	inode->nlink = S_ISDIR(mode) ? 2 : 1;
	if (parent) {
		inode_get(parent);
		inode->parent = parent;
	}
	return inode;
}

static struct proc_node *node_of(struct inode *i) { return i->priv; }

static void proc_release(struct inode *inode)
{
	kfree(inode->priv);
}

struct inode *procfs_new_root(struct inode *parent)
{
	return proc_inode(S_IFDIR | 0555, 1, 0, 0, parent);
}

/* Find name among a table of n entries (some possibly unused hooks). */
static int find_entry(const struct proc_entry *t, unsigned n, const char *name, size_t len)
{
	for (unsigned i = 0; i < n; i++)
		if (t[i].name && strlen(t[i].name) == len && memcmp(t[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static int parse_pid(const char *name, size_t len)
{
	int pid = 0;
	if (len == 0 || len > 9 || name[0] == '0')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid;
}

/* An entry of a table (fixed, then hooks) as an inode. */
static int entry_inode(struct inode *dir, const char *name, size_t len, int pid, struct inode **out)
{
	const struct proc_entry *fixed = pid ? pid_entries : root_entries, *hooks = pid ? pid_hooks : root_hooks;
	unsigned nfixed = pid ? N_PID : N_ROOT;
	uint32_t base = pid ? PID_INO(pid) + 1 : 2;
	const struct proc_entry *e = 0;
	uint32_t ino = 0;
	int i = find_entry(fixed, nfixed, name, len);
	if (i >= 0) {
		e = &fixed[i];
		ino = base + (uint32_t)i;
	} else if ((i = find_entry(hooks, MAX_HOOKS, name, len)) >= 0) {
		e = &hooks[i];
		ino = base + nfixed + (uint32_t)i;
	} else {
		return -ENOENT;
	}
	*out = e->dir ? e->dir(dir, ino) : proc_inode(e->mode, ino, e, pid, 0);
	return *out ? 0 : -ENOMEM;
}

static int root_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	int pid = parse_pid(name, len);
	if (pid < 0)
		return entry_inode(dir, name, len, 0, out);
	if (!task_find(pid))
		return -ENOENT;
	*out = proc_inode(S_IFDIR | 0555, PID_INO(pid), 0, pid, dir);
	return *out ? 0 : -ENOMEM;
}

static int pid_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	if (!task_find(node_of(dir)->pid))
		return -ENOENT;		/* the process is gone */
	return entry_inode(dir, name, len, node_of(dir)->pid, out);
}

/* List the fixed entries and hooks at positions 2.. */
static int list_entries(const struct proc_entry *fixed, unsigned nfixed, const struct proc_entry *hooks,
			uint32_t base, uint64_t *pos,
			int (*emit)(void *, const char *, size_t, uint32_t, uint32_t, uint64_t), void *ctx)
{
	for (unsigned i = (unsigned)*pos - 2; i < nfixed + MAX_HOOKS; i++) {
		const struct proc_entry *e = i < nfixed ? &fixed[i] : &hooks[i - nfixed];
		if (e->name && emit(ctx, e->name, strlen(e->name), base + i, e->mode, i + 3))
			return 1;
		*pos = i + 3;
	}
	return 0;
}

static int root_readdir(struct inode *dir, uint64_t *pos,
			int (*emit)(void *, const char *, size_t, uint32_t, uint32_t, uint64_t), void *ctx)
{
	(void)dir;
	if (*pos < PID_POS) {
		if (list_entries(root_entries, N_ROOT, root_hooks, 2, pos, emit, ctx))
			return 0;
		*pos = PID_POS;
	}
	/* Then the processes, in pid order: each step finds the next pid. */
	for (;;) {
		int next = -1;
		for (struct task *t = task_list(); t; t = t->all_next)
			if (t->pid >= (int)(*pos - PID_POS) && (next < 0 || t->pid < next))
				next = t->pid;
		if (next < 0)
			return 0;
		char name[12];
		int len = snprintf(name, sizeof name, "%d", next);
		if (emit(ctx, name, (size_t)len, PID_INO(next), S_IFDIR, PID_POS + (uint64_t)next + 1))
			return 0;
		*pos = PID_POS + (uint64_t)next + 1;
	}
}

static int pid_readdir(struct inode *dir, uint64_t *pos,
		       int (*emit)(void *, const char *, size_t, uint32_t, uint32_t, uint64_t), void *ctx)
{
	list_entries(pid_entries, N_PID, pid_hooks, PID_INO(node_of(dir)->pid) + 1, pos, emit, ctx);
	return 0;
}

/* --- files and links -------------------------------------------------------------------- */

struct proc_buf {
	char *data;
	size_t len;
};

/* The task a node speaks of: the current one outside <pid> dirs. */
static struct task *node_task(struct proc_node *n)
{
	return n->pid ? task_find(n->pid) : current;
}

static int proc_open(struct inode *inode, struct file *f)
{
	struct proc_node *n = node_of(inode);
	struct task *t = node_task(n);
	if (n->pid && !t)
		return -ESRCH;
	if (n->entry->open)
		return n->entry->open(f, n->pid ? t : 0);
	/* Print into a buffer, bigger until the whole text fits. */
	for (size_t size = 1024; size <= 1u << 20; size *= 2) {	/* maps of many areas need more */
		struct proc_buf *b = kmalloc(sizeof *b);
		char *data = kmalloc(size);
		int len = b && data ? n->entry->show(t, data, size) : -ENOMEM;
		if (len >= 0 && (size_t)len < size) {
			b->data = data;
			b->len = (size_t)len;
			f->priv = b;
			return 0;
		}
		kfree(b);
		kfree(data);
		if (len < 0)
			return len;
	}
	return -ENOMEM;
}

static long proc_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	struct proc_buf *b = f->priv;
	if (*pos >= b->len)
		return 0;
	if (n > b->len - *pos)
		n = (size_t)(b->len - *pos);
	memcpy(buf, b->data + *pos, n);
	*pos += n;
	return (long)n;
}

static long proc_write(struct file *f, const void *buf, size_t n, uint64_t *pos)
{
	(void)pos;
	struct proc_node *node = node_of(f->inode);
	struct task *t = node_task(node);
	if (!node->entry->store)
		return -EIO;	/* opening for writing works (as root on Linux); writing does not */
	return t ? node->entry->store(t, buf, n) : -ESRCH;
}

static void proc_file_release(struct file *f)
{
	struct proc_buf *b = f->priv;
	if (b) {
		kfree(b->data);
		kfree(b);
	}
}

static int proc_readlink(struct inode *inode, char *buf, size_t size)
{
	struct proc_node *n = node_of(inode);
	struct task *t = node_task(n);
	if (!t)
		return -ENOENT;
	return n->entry->link(t, buf, size);
}

static long dir_read(struct file *f, void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EISDIR;
}

/* Linux's /proc answers any new name with ENOENT (its lookup never makes
 * a "negative" entry to create at), so mkdir, creat, symlink there do too. */
static int no_create(struct inode *dir, const char *name, size_t len, uint32_t mode,
		     uint32_t rdev, const char *target, struct inode **out)
{
	(void)dir, (void)name, (void)len, (void)mode, (void)rdev, (void)target, (void)out;
	return -ENOENT;
}

static const struct inode_ops root_iops = {
	.lookup = root_lookup, .readdir = root_readdir, .create = no_create, .release = proc_release,
};
static const struct inode_ops pid_iops = {
	.lookup = pid_lookup, .readdir = pid_readdir, .create = no_create, .release = proc_release,
};
static const struct inode_ops file_iops = { .open = proc_open, .release = proc_release };
static const struct inode_ops link_iops = { .readlink = proc_readlink, .release = proc_release };
static const struct file_ops file_fops = {
	.read = proc_read, .write = proc_write, .release = proc_file_release,
};
static const struct file_ops dir_fops = { .read = dir_read };
