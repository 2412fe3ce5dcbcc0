/*
 * Permission checks of the guest (docs/07): its processes have their own
 * ids (cred.c), but the guest runs on the host as one process, normally
 * root's, so the host would let every guest process do anything.  The
 * guest therefore checks, before it forwards a call, what Linux would
 * check, against the owner, group and mode the host's stat of the file
 * reports: host owners are guest owners, one to one (uid 1000 on the host
 * is uid 1000 in the guest).  The rules are the host kernel's
 * (<lib/cred_rules.h>).
 *
 * A process whose fs uid is 0 is root and passes every check but
 * "execute needs an x bit", which the host makes for it too; so root's
 * calls cost nothing extra.  One difference from Linux, only for
 * non-root processes: a write does not clear set-id bits.
 *
 * These functions are meant to be called by any call that forwards a path
 * (chown and the rest can call guest_path_permission and friends).
 */
#include "sys.h"
#include <lib/cred_rules.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

int guest_permission(struct proc *p, const struct stat64 *st, int mask)
{
	int owner = p->fsuid == st->st_uid;
	int group = !owner && cred_in_group(p, st->st_gid);
	return rule_permission(st->st_mode, owner, group, p->fsuid == 0, mask);
}

/* The check on a host path: 0 when the file is not there (the host then
 * says why), or when allowed; -EACCES. */
int guest_path_permission(struct proc *p, const char *host, int mask, int follow)
{
	struct stat64 st;
	if (__syscall2(follow ? __NR_stat64 : __NR_lstat64, host, &st))
		return 0;
	return guest_permission(p, &st, mask);
}

static int stat_guest(const char *abs, struct stat64 *st, int follow)
{
	static char host[PATH_MAX_ + 256];
	if (guest_to_host(abs, host, sizeof host))
		return -ENAMETOOLONG;
	return __syscall2(follow ? __NR_stat64 : __NR_lstat64, host, st);
}

/* The directory holding abs's last name, into dir. */
static void parent_of(const char *abs, char *dir, size_t size)
{
	snprintf(dir, size, "%s", abs);
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = 0;
	while (n > 0 && dir[n - 1] != '/')
		n--;
	dir[n > 1 ? n - 1 : 1] = 0;
}

/*
 * Linux's walk on the path as written, from the directory cur (a guest
 * path, changed in place to where the walk gets): before each name (".",
 * ".." too) the directory it is looked up in must be searchable; a
 * symlink on the way (and at the end with follow) is walked in its turn
 * from its directory.  1: stop checking, the host will fail the call
 * (something missing, not a directory, too many links).
 */
static int walk(struct proc *p, char *cur, size_t size, const char *path, int follow, int *links)
{
	static char target[PATH_MAX_], host[PATH_MAX_ + 256];
	struct stat64 st;
	if (path[0] == '/')
		snprintf(cur, size, "/");
	for (const char *s = path; *s; ) {
		while (*s == '/')
			s++;
		const char *name = s;
		while (*s && *s != '/')
			s++;
		size_t n = s - name;
		if (!n)
			break;
		const char *r = s;
		while (*r == '/')
			r++;
		int last = !*r, slash = *s == '/';
		if (stat_guest(cur, &st, 1) || !S_ISDIR(st.st_mode))
			return 1;
		int err = guest_permission(p, &st, 1);
		if (err)
			return err;
		size_t len = strlen(cur);
		if (n == 1 && name[0] == '.')
			continue;
		if (n == 2 && name[0] == '.' && name[1] == '.') {
			while (len > 1 && cur[len - 1] != '/')
				len--;
			cur[len > 1 ? len - 1 : 1] = 0;
			continue;
		}
		if (len + n + 2 > size)
			return 1;
		snprintf(cur + len, size - len, "%s%.*s", len > 1 ? "/" : "", (int)n, name);
		if ((last && !slash && !follow) || stat_guest(cur, &st, 0) || !S_ISLNK(st.st_mode))
			continue;
		if (++*links > 40 || guest_to_host(cur, host, sizeof host))
			return 1;
		int t = __syscall3(__NR_readlink, host, target, sizeof target - 1);
		if (t <= 0)
			return 1;
		target[t] = 0;
		cur[len > 1 ? len : 1] = 0;     /* back to the link's directory */
		static char copy[PATH_MAX_];
		memcpy(copy, target, t + 1);    /* target is reused by the inner walk */
		err = walk(p, cur, size, copy, 1, links);
		if (err)
			return err;
	}
	return 0;
}

int guest_walk_check(struct proc *p, const char *base, const char *path, int follow)
{
	if (p->fsuid == 0)
		return 0;                       /* root searches every directory */
	static char cur[PATH_MAX_ + 2];
	snprintf(cur, sizeof cur, "%s", base[0] ? base : "/");
	int links = 0;
	int err = walk(p, cur, sizeof cur, path, follow, &links);
	return err < 0 ? err : 0;
}

int guest_may_create(struct proc *p, const char *abs)
{
	if (p->fsuid == 0)
		return 0;
	static char dir[PATH_MAX_];
	struct stat64 st;
	if (!stat_guest(abs, &st, 0))
		return 0;                       /* there already: EEXIST comes first */
	parent_of(abs, dir, sizeof dir);
	if (stat_guest(dir, &st, 1))
		return 0;
	return guest_permission(p, &st, 3);
}

int guest_may_delete(struct proc *p, const char *abs, int isdir)
{
	(void)isdir;                            /* the types: the host's errors are the same */
	if (p->fsuid == 0)
		return 0;
	static char dir[PATH_MAX_];
	struct stat64 st, d;
	if (stat_guest(abs, &st, 0))
		return 0;                       /* ENOENT first, from the host */
	parent_of(abs, dir, sizeof dir);
	if (stat_guest(dir, &d, 1))
		return 0;
	int err = guest_permission(p, &d, 3);
	if (!err && (d.st_mode & S_ISVTX) && p->fsuid != st.st_uid && p->fsuid != d.st_uid)
		err = -EPERM;                   /* sticky directory */
	return err;
}

/* A file the guest just made on the host belongs to host root: give it
 * the creator's fs ids (the group: a set-group-id directory's, which the
 * host already gave). */
void guest_own_new(struct proc *p, const char *host, const char *abs)
{
	if (p->fsuid == 0 && p->fsgid == 0)
		return;
	static char dir[PATH_MAX_];
	struct stat64 d;
	parent_of(abs, dir, sizeof dir);
	uint32_t gid = p->fsgid;
	if (!stat_guest(dir, &d, 1) && (d.st_mode & S_ISGID))
		gid = d.st_gid;
	__syscall3(__NR_lchown32, host, p->fsuid, gid);
}

/* chmod: the owner or root, else EPERM; a non-root caller outside the
 * file's group loses S_ISGID from *mode. */
int guest_may_chmod_stat(struct proc *p, const struct stat64 *st, long *mode)
{
	if (p->fsuid == 0)
		return 0;
	if (p->fsuid != st->st_uid)
		return -EPERM;
	if ((*mode & S_ISGID) && !cred_in_group(p, st->st_gid))
		*mode &= ~S_ISGID;
	return 0;
}

int guest_may_chmod(struct proc *p, const char *host, long *mode)
{
	struct stat64 st;
	if (p->fsuid == 0 || __syscall2(__NR_stat64, host, &st))
		return 0;
	return guest_may_chmod_stat(p, &st, mode);
}

/* chown: only root gives a file away; the owner may set the group to
 * one of its own.  -1: unchanged.  (Set-id clearing is the host's: it
 * clears them on every chown, as Linux 6.1.) */
int guest_may_chown(struct proc *p, const struct stat64 *st, uint32_t uid, uint32_t gid)
{
	if (p->fsuid == 0)
		return 0;
	int owner = p->fsuid == st->st_uid;
	if (uid != ID_NONE && !(owner && uid == st->st_uid))
		return -EPERM;
	if (gid != ID_NONE && !(owner && (gid == st->st_gid || cred_in_group(p, gid))))
		return -EPERM;
	if (!owner && (st->st_mode & (S_ISUID | S_ISGID)) && !S_ISDIR(st->st_mode))
		return -EPERM;                  /* clearing them is a mode change */
	return 0;
}

int guest_parent_differs(const char *a, const char *b)
{
	static char da[PATH_MAX_], db[PATH_MAX_];
	parent_of(a, da, sizeof da);
	parent_of(b, db, sizeof db);
	return strcmp(da, db) != 0;
}

/* A write or truncate by a non-root guest process clears S_ISUID, and
 * S_ISGID with group x, of a regular file (the host would not: the guest
 * is root there).  The file: hostfd, or path when hostfd < 0.  An fstat
 * per write, for non-root processes only. */
void guest_remove_privs(struct proc *p, int hostfd, const char *path)
{
	struct stat64 st;
	if (p->fsuid == 0)
		return;
	if (hostfd >= 0 ? __syscall2(__NR_fstat64, hostfd, &st) : __syscall2(__NR_stat64, path, &st))
		return;
	uint32_t kill = (st.st_mode & S_ISUID) |
	                ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) ? S_ISGID : 0);
	if (!kill || !S_ISREG(st.st_mode))
		return;
	uint32_t mode = st.st_mode & 07777 & ~kill;
	if (hostfd >= 0)
		__syscall2(__NR_fchmod, hostfd, mode);
	else
		__syscall2(__NR_chmod, path, mode);
}
