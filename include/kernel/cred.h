/*
 * Credentials: who a task is (kernel/cred.c), and what that lets it do.
 *
 * As Linux keeps them: the real, effective and saved user and group ids,
 * the fs ids (what file permission checks use; they follow the effective
 * ids unless setfsuid/setfsgid set them), and the supplementary groups.
 * The fields live in struct task (uid is the real uid); the groups are a
 * sorted, reference-counted array shared by the tasks a fork made, until
 * one of them calls setgroups.
 *
 * Capabilities.  This kernel has none as objects: a task with effective
 * uid 0 holds all of them, one without none.  Linux also drops the file
 * capabilities (CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
 * CAP_FOWNER, CAP_FSETID, CAP_MKNOD) when the fsuid leaves 0 and raises
 * them when it comes back, so "may override file permissions" is exactly
 * fsuid == 0: cred_fs_capable.
 */
#ifndef KERNEL_CRED_H
#define KERNEL_CRED_H

#include <stdbool.h>
#include <stdint.h>

#define NGROUPS_MAX	65536	/* supplementary groups, as Linux */
#define OVERFLOW_ID	65534	/* what a 16-bit call reports for an id above 65535 */

struct task;
struct inode;

struct group_info {
	int refcount;
	uint32_t ngroups;
	uint32_t gid[];			/* sorted ascending (duplicates kept, as Linux) */
};

/* Linux's CAP_SETUID, CAP_SETGID, CAP_SYS_RESOURCE...: euid 0.
 * t NULL (the kernel itself): yes. */
bool cred_capable(const struct task *t);
/* The file capabilities (override rwx, chown, keep set-id bits): fsuid 0. */
bool cred_fs_capable(void);
/* Is gid the caller's fsgid or one of its supplementary groups? */
bool in_group_p(uint32_t gid);

/* fork: the child gets the parent's ids and shares its groups. */
void cred_fork(struct task *child, const struct task *parent);
/* exit: drop the groups. */
void cred_free(struct task *t);
/* execve past the point of no return: a set-user-id file makes its owner
 * the effective and saved uid (set-group-id with group execute: its group
 * the effective and saved gid); otherwise the saved ids become the
 * effective ones.  The fs ids follow the effective ids. */
void cred_exec(uint32_t mode, uint32_t file_uid, uint32_t file_gid);

#endif
