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
 * calls cost nothing extra.  Differences from Linux, all of them only for
 * non-root processes: the walk checks the directories of the cleaned
 * guest path (".." already removed, a symlink's own directories not
 * checked), and a write does not clear set-id bits.
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

int guest_walk_check(struct proc *p, const char *abs)
{
	if (p->fsuid == 0)
		return 0;                       /* root searches every directory */
	static char dir[PATH_MAX_];
	struct stat64 st;
	size_t len = strlen(abs);
	for (size_t i = 0; i < len; i++) {
		if (abs[i] != '/' || i + 1 >= len || abs[i + 1] == '/')
			continue;               /* a name follows this slash: search its directory */
		memcpy(dir, abs, i ? i : 1);
		dir[i ? i : 1] = 0;
		if (stat_guest(dir, &st, 1) || !S_ISDIR(st.st_mode))
			return 0;               /* the host gives ENOENT or ENOTDIR */
		int err = guest_permission(p, &st, 1);
		if (err)
			return err;
	}
	return 0;
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
