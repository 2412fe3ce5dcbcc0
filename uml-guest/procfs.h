/*
 * Inside the guest's /proc: the nodes procfs.c finds by path, and the
 * texts procfs_text.c makes of them (in Linux's formats, with
 * <lib/proc_text.h>, the same code the host kernel prints with).
 */
#ifndef UML_PROCFS_H
#define UML_PROCFS_H

#include "file.h"

enum pnode {
	/* directories and links */
	PN_ROOT, PN_SELF, PN_PID, PN_FD_DIR, PN_FDINFO_DIR, PN_FD_LINK, PN_EXE, PN_CWD, PN_ROOTLINK,
	PN_SYS, PN_SYS_FS, PN_SYS_KERNEL, PN_SYS_VM,
	/* the system's files */
	PN_MEMINFO, PN_KHEAP, PN_STAT_SYS, PN_CPUINFO, PN_LOADAVG, PN_UPTIME, PN_VERSION,
	PN_FILESYSTEMS, PN_MOUNTS_SYS,
	/* a process's files */
	PN_STAT, PN_STATM, PN_STATUS, PN_MAPS, PN_CMDLINE, PN_ENVIRON, PN_COMM, PN_LIMITS,
	PN_MOUNTS, PN_MOUNTINFO, PN_PAGEMAP, PN_FDINFO,
	PN_SYSCTL,              /* + the index of the sysctl */
};

/* The text of file node of process t (descriptor fd for fdinfo) into buf,
 * as snprintf: the length it needs, which may be size or more. */
int proc_text(int node, struct proc *t, int fd, char *buf, int size);
/* What a descriptor of t names, as fd/N links say: "/tmp/x", "pipe:[5]";
 * the length, or -errno. */
int proc_fd_path(struct proc *t, int fd, char *buf, int size);
/* A process's comm written (only by itself: -EINVAL otherwise). */
long proc_comm_write(struct proc *p, struct proc *t, uint32_t ubuf, uint32_t n);
/* pagemap's 8-byte entries from f->pos on. */
long proc_pagemap_read(struct proc *p, struct gfile *f, uint32_t ubuf, uint32_t n);

#endif
