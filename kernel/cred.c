/*
 * Credentials: the get*id and set*id calls, in their 32-bit forms and the
 * old 16-bit ones, with Linux's rules (kernel/sys.c, kernel/groups.c,
 * kernel/uid16.c in Linux 6.1).  <kernel/cred.h> says what is kept and
 * how "capable" is decided here (euid 0 holds every capability).
 *
 * The rules, shortly:
 *   - root (CAP_SETUID / CAP_SETGID: euid 0) may set any id to anything;
 *   - anyone else may only move ids among its real, effective and saved
 *     ids (setreuid's real id: among real and effective only);
 *   - the fs id follows the effective id on every change but setfsuid's;
 *   - an id of -1 means "leave it" where Linux says so, and is EINVAL
 *     for setuid, setgid and in a setgroups list.
 * A call that fails changes nothing.
 *
 * The 16-bit calls take and give old_uid_t (unsigned 16 bits): 0xffff
 * means -1, and an id above 65535 reads as OVERFLOW_ID (65534).
 */
#include <kernel/cred.h>
#include <lib/cred_rules.h>
#include <kernel/heap.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>

#define NOID ID_NONE

bool cred_capable(const struct task *t) { return !t || t->euid == 0; }
bool cred_fs_capable(void) { return !current || current->fsuid == 0; }

bool in_group_p(uint32_t gid)
{
	if (!current || gid == current->fsgid)
		return true;
	const struct group_info *g = current->groups;
	if (!g)
		return false;
	return rule_in_list(g->gid, g->ngroups, gid);
}

static void groups_put(struct group_info *g)
{
	if (g && --g->refcount == 0)
		kfree(g);
}

/* Real, effective, saved and fs ids of one kind, as cred_rules.h wants. */
static void ids_of(struct task *t, bool gid, uint32_t *out[4])
{
	out[ID_R] = gid ? &t->gid : &t->uid;
	out[ID_E] = gid ? &t->egid : &t->euid;
	out[ID_S] = gid ? &t->sgid : &t->suid;
	out[ID_FS] = gid ? &t->fsgid : &t->fsuid;
}

void cred_fork(struct task *child, const struct task *parent)
{
	child->uid = parent->uid, child->euid = parent->euid;
	child->suid = parent->suid, child->fsuid = parent->fsuid;
	child->gid = parent->gid, child->egid = parent->egid;
	child->sgid = parent->sgid, child->fsgid = parent->fsgid;
	child->groups = parent->groups;
	if (child->groups)
		child->groups->refcount++;
}

void cred_free(struct task *t)
{
	groups_put(t->groups);
	t->groups = 0;
}

/* Linux's commit_creds: a process whose effective or fs ids changed is
 * no longer dumpable (fs.suid_dumpable, 0) and forgets its parent-death
 * signal. */
static void after_change(const uint32_t before[4])
{
	if (before[0] != current->euid || before[1] != current->egid ||
	    before[2] != current->fsuid || before[3] != current->fsgid) {
		current->dumpable = 0;
		current->pdeath_signal = 0;
	}
}
#define IDS_NOW { current->euid, current->egid, current->fsuid, current->fsgid }

void cred_exec(uint32_t mode, uint32_t file_uid, uint32_t file_gid)
{
	uint32_t *u[4], *g[4], before[4] = IDS_NOW;
	ids_of(current, false, u);
	ids_of(current, true, g);
	rule_exec(u, g, mode, file_uid, file_gid);
	current->dumpable = 1;		/* a new program: dumpable, unless set-id */
	after_change(before);
}

/* --- reading them --------------------------------------------------------- */


static long sys_getuid32(void) { return current->uid; }
static long sys_geteuid32(void) { return current->euid; }
static long sys_getgid32(void) { return current->gid; }
static long sys_getegid32(void) { return current->egid; }
SYSCALL(getuid32, sys_getuid32);
SYSCALL(geteuid32, sys_geteuid32);
SYSCALL(getgid32, sys_getgid32);
SYSCALL(getegid32, sys_getegid32);
static long sys_getuid16(void) { return id_to16(current->uid); }
static long sys_geteuid16(void) { return id_to16(current->euid); }
static long sys_getgid16(void) { return id_to16(current->gid); }
static long sys_getegid16(void) { return id_to16(current->egid); }
SYSCALL(getuid, sys_getuid16);
SYSCALL(geteuid, sys_geteuid16);
SYSCALL(getgid, sys_getgid16);
SYSCALL(getegid, sys_getegid16);

/* getresuid/getresgid: three stores in order; the first that faults is
 * EFAULT, and the ones before it stay written (as Linux's put_user). */
static long put_three(void *a, void *b, void *c, uint32_t x, uint32_t y, uint32_t z, bool wide)
{
	void *p[3] = { a, b, c };
	uint32_t v[3] = { x, y, z };
	for (int i = 0; i < 3; i++) {
		uint16_t s = (uint16_t)id_to16(v[i]);
		if (copy_to_user(p[i], wide ? (void *)&v[i] : (void *)&s, wide ? 4 : 2))
			return -EFAULT;
	}
	return 0;
}

static long sys_getresuid32(uint32_t *r, uint32_t *e, uint32_t *s)
{
	return put_three(r, e, s, current->uid, current->euid, current->suid, true);
}
static long sys_getresgid32(uint32_t *r, uint32_t *e, uint32_t *s)
{
	return put_three(r, e, s, current->gid, current->egid, current->sgid, true);
}
static long sys_getresuid16(uint16_t *r, uint16_t *e, uint16_t *s)
{
	return put_three(r, e, s, current->uid, current->euid, current->suid, false);
}
static long sys_getresgid16(uint16_t *r, uint16_t *e, uint16_t *s)
{
	return put_three(r, e, s, current->gid, current->egid, current->sgid, false);
}
SYSCALL(getresuid32, sys_getresuid32);
SYSCALL(getresgid32, sys_getresgid32);
SYSCALL(getresuid, sys_getresuid16);
SYSCALL(getresgid, sys_getresgid16);

/* --- changing them -------------------------------------------------------- */

/* The ids one call changes; the rules are include/lib/cred_rules.h's, the
 * same for uids (CAP_SETUID) and gids (CAP_SETGID): both are euid 0. */
static long do_setid(bool gid, uint32_t id)
{
	uint32_t *v[4], before[4] = IDS_NOW;
	ids_of(current, gid, v);
	long r = rule_setid(v, cred_capable(current), id);
	after_change(before);
	return r;
}
static long do_setreid(bool gid, uint32_t r, uint32_t e)
{
	uint32_t *v[4], before[4] = IDS_NOW;
	ids_of(current, gid, v);
	long ret = rule_setreid(v, cred_capable(current), r, e);
	after_change(before);
	return ret;
}
static long do_setresid(bool gid, uint32_t r, uint32_t e, uint32_t s)
{
	uint32_t *v[4], before[4] = IDS_NOW;
	ids_of(current, gid, v);
	long ret = rule_setresid(v, cred_capable(current), r, e, s);
	after_change(before);
	return ret;
}
static long do_setfsid(bool gid, uint32_t id)
{
	uint32_t *v[4], before[4] = IDS_NOW;
	ids_of(current, gid, v);
	long r = rule_setfsid(v, cred_capable(current), id);
	after_change(before);
	return r;
}

static long sys_setuid32(uint32_t id) { return do_setid(false, id); }
static long sys_setgid32(uint32_t id) { return do_setid(true, id); }
static long sys_setreuid32(uint32_t r, uint32_t e) { return do_setreid(false, r, e); }
static long sys_setregid32(uint32_t r, uint32_t e) { return do_setreid(true, r, e); }
static long sys_setresuid32(uint32_t r, uint32_t e, uint32_t s) { return do_setresid(false, r, e, s); }
static long sys_setresgid32(uint32_t r, uint32_t e, uint32_t s) { return do_setresid(true, r, e, s); }
static long sys_setfsuid32(uint32_t id) { return do_setfsid(false, id); }
static long sys_setfsgid32(uint32_t id) { return do_setfsid(true, id); }
SYSCALL(setuid32, sys_setuid32);
SYSCALL(setgid32, sys_setgid32);
SYSCALL(setreuid32, sys_setreuid32);
SYSCALL(setregid32, sys_setregid32);
SYSCALL(setresuid32, sys_setresuid32);
SYSCALL(setresgid32, sys_setresgid32);
SYSCALL(setfsuid32, sys_setfsuid32);
SYSCALL(setfsgid32, sys_setfsgid32);

static long sys_setuid16(uint32_t id) { return do_setid(false, id_from16(id)); }
static long sys_setgid16(uint32_t id) { return do_setid(true, id_from16(id)); }
static long sys_setreuid16(uint32_t r, uint32_t e) { return do_setreid(false, id_from16(r), id_from16(e)); }
static long sys_setregid16(uint32_t r, uint32_t e) { return do_setreid(true, id_from16(r), id_from16(e)); }
static long sys_setresuid16(uint32_t r, uint32_t e, uint32_t s)
{
	return do_setresid(false, id_from16(r), id_from16(e), id_from16(s));
}
static long sys_setresgid16(uint32_t r, uint32_t e, uint32_t s)
{
	return do_setresid(true, id_from16(r), id_from16(e), id_from16(s));
}
/* Linux's setfsuid16 returns the old fs id unconverted (uid16.c). */
static long sys_setfsuid16(uint32_t id) { return do_setfsid(false, id_from16(id)); }
static long sys_setfsgid16(uint32_t id) { return do_setfsid(true, id_from16(id)); }
SYSCALL(setuid, sys_setuid16);
SYSCALL(setgid, sys_setgid16);
SYSCALL(setreuid, sys_setreuid16);
SYSCALL(setregid, sys_setregid16);
SYSCALL(setresuid, sys_setresuid16);
SYSCALL(setresgid, sys_setresgid16);
SYSCALL(setfsuid, sys_setfsuid16);
SYSCALL(setfsgid, sys_setfsgid16);

/* --- supplementary groups ------------------------------------------------- */

static long do_getgroups(int32_t size, void *list, bool wide)
{
	if (size < 0)
		return -EINVAL;
	const struct group_info *g = current->groups;
	uint32_t n = g ? g->ngroups : 0;
	if (!size)
		return n;			/* only the count: list is not touched */
	if (n > (uint32_t)size)
		return -EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		uint16_t s = (uint16_t)id_to16(g->gid[i]);
		if (copy_to_user((char *)list + i * (wide ? 4 : 2),
				 wide ? (const void *)&g->gid[i] : (const void *)&s, wide ? 4 : 2))
			return -EFAULT;
	}
	return n;
}

/* setgroups: EPERM (not root), EINVAL (more than NGROUPS_MAX, or -1 in the
 * list), ENOMEM, EFAULT, in Linux's order; the list is kept sorted. */
static long do_setgroups(int32_t size, const void *list, bool wide)
{
	if (!cred_capable(current))
		return -EPERM;
	if ((uint32_t)size > NGROUPS_MAX)
		return -EINVAL;
	uint32_t n = (uint32_t)size;
	struct group_info *g = kmalloc(sizeof *g + n * sizeof(uint32_t));
	if (!g)
		return -ENOMEM;
	g->refcount = 1;
	g->ngroups = n;
	long err = 0;
	if (wide) {
		if (n && copy_from_user(g->gid, list, n * 4))
			err = -EFAULT;
		for (uint32_t i = 0; !err && i < n; i++)
			if (g->gid[i] == NOID)
				err = -EINVAL;
	} else {
		/* 16-bit entries: read into the top half, widen upwards. */
		uint16_t *s = (uint16_t *)g->gid + n;
		if (n && copy_from_user(s, list, n * 2))
			err = -EFAULT;
		for (uint32_t i = 0; !err && i < n; i++)
			if ((g->gid[i] = id_from16(s[i])) == NOID)
				err = -EINVAL;
	}
	if (err) {
		kfree(g);
		return err;
	}
	rule_sort_ids(g->gid, n);
	groups_put(current->groups);
	current->groups = g;
	return 0;
}

static long sys_getgroups32(int32_t size, uint32_t *list) { return do_getgroups(size, list, true); }
static long sys_setgroups32(int32_t size, const uint32_t *list) { return do_setgroups(size, list, true); }
static long sys_getgroups16(int32_t size, uint16_t *list) { return do_getgroups(size, list, false); }
static long sys_setgroups16(int32_t size, const uint16_t *list) { return do_setgroups(size, list, false); }
SYSCALL(getgroups32, sys_getgroups32);
SYSCALL(setgroups32, sys_setgroups32);
SYSCALL(getgroups, sys_getgroups16);
SYSCALL(setgroups, sys_setgroups16);
