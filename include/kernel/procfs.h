/*
 * /proc (kernel/fs/procfs.c): files generated on open from the kernel's
 * state, plus hooks for other subsystems to add their own entries.
 */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

#include <stddef.h>
#include <stdint.h>

struct file;
struct inode;
struct task;

/*
 * Add an entry whose open() another subsystem implements, for example
 * the altmm issue's /proc/new-mm (proc_register) and /proc/<pid>/mm
 * (proc_register_pid).  mode is S_IFREG | permissions.  open fills in
 * f->ops and f->priv (f->flags is set, f->inode is the /proc inode) and
 * returns 0 or -errno; task is the <pid> directory's task (NULL for a
 * top-level entry); it is alive during the call, take what you need.
 * Call at boot, before anything opens /proc.  0, or -ENOSPC (table full).
 */
typedef int (*proc_open_fn)(struct file *f, struct task *task);
int proc_register(const char *name, uint32_t mode, proc_open_fn open);
int proc_register_pid(const char *name, uint32_t mode, proc_open_fn open);

/* uname's nodename, which /proc/sys/kernel/hostname reads and writes
 * (kernel/sys_info.c). */
#define UTS_HOSTNAME_MAX	64
extern char uts_hostname[UTS_HOSTNAME_MAX + 1];

/* /proc/sys, a directory of /proc (kernel/fs/procfs_sys.c). */
struct inode *procfs_sys_root(struct inode *parent, uint32_t ino);

/* The root of /proc, mounted at parent/proc by vfs_init. */
struct inode *procfs_new_root(struct inode *parent);

/* What /proc/meminfo reports, in KiB. */
struct meminfo {
	uint32_t total, free, cached, slab;
	uint32_t high_total, high_free;		/* the part of total and free above the direct map */
};
/* /proc/meminfo's text, for the self-test: length, as snprintf. */
int proc_meminfo_format(char *buf, size_t size, const struct meminfo *m);

#endif
