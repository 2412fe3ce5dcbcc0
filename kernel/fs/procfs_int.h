/*
 * Inside /proc: what procfs.c (the directories and the open/read/write
 * plumbing) shares with the files' makers: procfs_pid.c (a process's
 * files), procfs_info.c (the system's), procfs_fd.c (fd/ and fdinfo/).
 * Every "show" prints its text into buf (size bytes) and returns the
 * length as snprintf does (procfs.c retries with a bigger buffer when
 * the text did not fit), or -errno.
 */
#ifndef KERNEL_FS_PROCFS_INT_H
#define KERNEL_FS_PROCFS_INT_H

#include <stddef.h>
#include <stdint.h>
#include <kernel/printk.h>
#include <lib/proc_text.h>

struct file;
struct inode;
struct task;

typedef int (*proc_show_fn)(struct task *t, char *buf, size_t size);

/* procfs_pid.c: /proc/PID/... */
int proc_show_stat(struct task *t, char *buf, size_t size);
int proc_show_statm(struct task *t, char *buf, size_t size);
int proc_show_status(struct task *t, char *buf, size_t size);
int proc_show_maps(struct task *t, char *buf, size_t size);
int proc_show_cmdline(struct task *t, char *buf, size_t size);
int proc_show_environ(struct task *t, char *buf, size_t size);
int proc_show_limits(struct task *t, char *buf, size_t size);
int proc_show_comm(struct task *t, char *buf, size_t size);
/* A write to comm: as Linux, up to 15 bytes become the name, the whole
 * count is said to be written; only the process itself may (EINVAL). */
long proc_store_comm(struct task *t, const char *buf, size_t n);
int proc_open_pagemap(struct file *f, struct task *t);
/* What task t's Uid and Gid lines say (real, effective, saved, fs), and
 * its supplementary groups (Groups:, up to 32 of them). */
void proc_task_ids(struct task *t, uint32_t uid[4], uint32_t gid[4], uint32_t groups[32], int *ngroups);

/* procfs_info.c: /proc/stat, cpuinfo, loadavg, version, filesystems,
 * uptime, mounts, mountinfo. */
int proc_show_sys_stat(struct task *t, char *buf, size_t size);
int proc_show_cpuinfo(struct task *t, char *buf, size_t size);
int proc_show_loadavg(struct task *t, char *buf, size_t size);
int proc_show_version(struct task *t, char *buf, size_t size);
int proc_show_filesystems(struct task *t, char *buf, size_t size);
int proc_show_uptime(struct task *t, char *buf, size_t size);
int proc_show_mounts(struct task *t, char *buf, size_t size);
int proc_show_mountinfo(struct task *t, char *buf, size_t size);

/* procfs_fd.c: the fd/ and fdinfo/ directories of a <pid> directory. */
struct inode *procfs_fd_dir(struct inode *pid_dir, uint32_t ino);
struct inode *procfs_fdinfo_dir(struct inode *pid_dir, uint32_t ino);
/* The path an open file's inode has ("/bin/sh", "pipe:[3]"), as fd/ links
 * and maps say; the length, or -errno. */
int proc_file_path(struct inode *inode, char *buf, size_t size);

/* procfs.c: the pid a <pid> directory (or a file in it) stands for. */
int procfs_inode_pid(struct inode *inode);
/* procfs.c: give an inode of /proc/<pid> (pid 0: of /proc) its owner. */
void procfs_set_owner(struct inode *inode, int pid);

#endif
