/*
 * Permission checks on files, as Linux 6.1 makes them (fs/namei.c's
 * generic_permission, may_delete, may_create; fs/attr.c's chown rules;
 * fs/inode.c's inode_init_owner).  Who asks:
 *
 *   path walk (namei.c)   search (x) on every directory it looks a name up in
 *   open (open.c)         r / w on the file for the access mode and O_TRUNC;
 *                         w+x on the directory to create a name in it
 *   mkdir, mknod, symlink, link, unlink, rmdir, rename (dirops.c)
 *                         w+x on the directory, the sticky rule for removals
 *   execve (exec.c)       x on the file
 *   access, faccessat     the same checks with the real ids (stat.c)
 *   chmod, chown (attr.c) owner or root
 *   write, truncate       clear set-user-id and set-group-id when not root
 *
 * Every check uses the caller's fs ids (current->fsuid, fsgid) and its
 * supplementary groups; "root" is fsuid 0, which holds the file
 * capabilities (<kernel/cred.h>).
 */
#include <kernel/cred.h>
#include <kernel/fs.h>
#include <kernel/task.h>
#include <lib/cred_rules.h>
#include <uapi/stat.h>

/* The rule itself (one class decides; root's override) is
 * include/lib/cred_rules.h's, shared with the guest kernel. */
int inode_permission(const struct inode *inode, int mask)
{
	if (inode->iops && inode->iops->permission)
		return inode->iops->permission(inode, mask);
	return inode_generic_permission(inode, mask);
}

int inode_generic_permission(const struct inode *inode, int mask)
{
	bool owner = current && current->fsuid == inode->uid;
	bool group = !owner && in_group_p(inode->gid);
	return rule_permission(inode->mode, owner, group, cred_fs_capable(), mask);
}

int may_create_in(const struct inode *dir)
{
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

bool inode_owner_or_capable(const struct inode *inode)
{
	return !current || current->fsuid == inode->uid || cred_fs_capable();
}

int may_delete(const struct inode *dir, const struct inode *victim, bool isdir)
{
	int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	/* Sticky directory (/tmp): only the file's owner, the directory's
	 * owner or root may remove or rename a name in it. */
	if ((dir->mode & S_ISVTX) && current && current->fsuid != victim->uid &&
	    current->fsuid != dir->uid && !cred_fs_capable())
		return -EPERM;
	if (isdir && !S_ISDIR(victim->mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(victim->mode))
		return -EISDIR;
	return 0;
}

uint32_t inode_init_owner(struct inode *inode, const struct inode *dir, uint32_t mode)
{
	inode->uid = current ? current->fsuid : 0;
	if (dir && (dir->mode & S_ISGID)) {
		/* A set-group-id directory gives its group, and its bit to
		 * new directories; a new set-group-id executable keeps the
		 * bit only if the creator is in that group (or root). */
		inode->gid = dir->gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
		else if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
			 !in_group_p(dir->gid) && !cred_fs_capable())
			mode &= ~S_ISGID;
	} else {
		inode->gid = current ? current->fsgid : 0;
	}
	return mode;
}

void file_remove_privs(struct inode *inode)
{
	uint32_t kill = 0;
	if (inode->mode & S_ISUID)
		kill |= S_ISUID;
	if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		kill |= S_ISGID;	/* without group x it is only a locking mark */
	if (kill && S_ISREG(inode->mode) && !cred_fs_capable())
		inode->mode &= ~kill;
}

int check_chmod(const struct inode *inode, uint32_t *mode)
{
	if (!inode_owner_or_capable(inode))
		return -EPERM;
	/* Not in the file's group: no set-group-id (unless root). */
	if ((*mode & S_ISGID) && !in_group_p(inode->gid) && !cred_fs_capable())
		*mode &= ~S_ISGID;
	return 0;
}

int check_chown(const struct inode *inode, uint32_t uid, uint32_t gid)
{
	if (cred_fs_capable())
		return 0;
	bool owner = current->fsuid == inode->uid;
	/* Only root gives a file away; the owner may "change" it to itself. */
	if (uid != (uint32_t)-1 && !(owner && uid == inode->uid))
		return -EPERM;
	/* The owner may pick any group it is in (or keep the file's). */
	if (gid != (uint32_t)-1 && !(owner && (gid == inode->gid || in_group_p(gid))))
		return -EPERM;
	return 0;
}
