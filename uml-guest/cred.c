/*
 * Credentials of guest processes: the same ids and calls as the host
 * kernel's (kernel/cred.c), with the same rules (<lib/cred_rules.h>):
 * real, effective, saved and fs user and group ids, and supplementary
 * groups, 16-bit and 32-bit calls.  The guest's init is root.  These are
 * the guest's own: on the host, the whole guest is one process of
 * whoever ran uml (root, normally); perm.c checks guest ids against the
 * owners and modes of host files before a call is forwarded.
 *
 * Groups: a sorted array of exactly the size setgroups asked for (at
 * most NGROUPS_MAX, 65536, as Linux), shared by fork (refcounted).
 */
#include "sys.h"
#include <lib/cred_rules.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#define NGROUPS_MAX 65536

struct guest_groups {
	int refcount;
	uint32_t n;
	uint32_t gid[];
};

static void ids_of(struct proc *p, int gid, uint32_t *v[4])
{
	v[ID_R] = gid ? &p->gid : &p->uid;
	v[ID_E] = gid ? &p->egid : &p->euid;
	v[ID_S] = gid ? &p->sgid : &p->suid;
	v[ID_FS] = gid ? &p->fsgid : &p->fsuid;
}

void cred_fork(struct proc *c, const struct proc *parent)
{
	c->uid = parent->uid, c->euid = parent->euid, c->suid = parent->suid, c->fsuid = parent->fsuid;
	c->gid = parent->gid, c->egid = parent->egid, c->sgid = parent->sgid, c->fsgid = parent->fsgid;
	c->groups = parent->groups;
	if (c->groups)
		c->groups->refcount++;
}

void cred_free(struct proc *p)
{
	if (p->groups && --p->groups->refcount == 0)
		free(p->groups);
	p->groups = NULL;
}

int cred_in_group(const struct proc *p, uint32_t gid)
{
	return gid == p->fsgid || (p->groups && rule_in_list(p->groups->gid, p->groups->n, gid));
}

/* As the host's (kernel/cred.c): changed effective or fs ids make the
 * process not dumpable and forget its parent-death signal. */
static void after_change(struct proc *p, const uint32_t before[4])
{
	if (before[0] != p->euid || before[1] != p->egid || before[2] != p->fsuid || before[3] != p->fsgid) {
		p->dumpable = 0;
		p->pdeath_signal = 0;
	}
}

void cred_exec(struct proc *p, uint32_t mode, uint32_t fuid, uint32_t fgid)
{
	uint32_t *u[4], *g[4], before[4] = { p->euid, p->egid, p->fsuid, p->fsgid };
	ids_of(p, 0, u);
	ids_of(p, 1, g);
	rule_exec(u, g, mode, fuid, fgid);
	p->dumpable = 1;
	after_change(p, before);
}

long cred_get(const struct proc *p, uint32_t nr)
{
	switch (nr) {
	case __NR_getuid32:     return p->uid;
	case __NR_geteuid32:    return p->euid;
	case __NR_getgid32:     return p->gid;
	case __NR_getegid32:    return p->egid;
	case __NR_getuid:       return id_to16(p->uid);
	case __NR_geteuid:      return id_to16(p->euid);
	case __NR_getgid:       return id_to16(p->gid);
	default:                return id_to16(p->egid);
	}
}

/* getresuid and friends: three stores, the first bad one EFAULT. */
static long put_three(struct proc *p, const uint32_t *ptr, uint32_t *const v[4], int wide)
{
	for (int i = 0; i < 3; i++) {
		uint32_t x = *v[i];
		uint16_t s = (uint16_t)id_to16(x);
		if (copy_to_user(p, ptr[i], wide ? (const void *)&x : (const void *)&s, wide ? 4 : 2))
			return -EFAULT;
	}
	return 0;
}

static long getgroups(struct proc *p, int32_t size, uint32_t list, int wide)
{
	if (size < 0)
		return -EINVAL;
	uint32_t n = p->groups ? p->groups->n : 0;
	if (!size)
		return n;
	if (n > (uint32_t)size)
		return -EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x = p->groups->gid[i];
		uint16_t s = (uint16_t)id_to16(x);
		if (copy_to_user(p, list + i * (wide ? 4 : 2), wide ? (const void *)&x : (const void *)&s,
		                 wide ? 4 : 2))
			return -EFAULT;
	}
	return n;
}

static long setgroups(struct proc *p, int32_t size, uint32_t list, int wide)
{
	if (p->euid != 0)
		return -EPERM;
	if ((uint32_t)size > NGROUPS_MAX)
		return -EINVAL;
	uint32_t n = (uint32_t)size;
	struct guest_groups *g = malloc(sizeof *g + n * sizeof(uint32_t) + 4);
	if (!g)
		return -ENOMEM;
	g->refcount = 1;
	g->n = n;
	long err = 0;
	if (wide) {
		if (n && copy_from_user(p, g->gid, list, n * 4))
			err = -EFAULT;
		for (uint32_t i = 0; !err && i < n; i++)
			if (g->gid[i] == ID_NONE)
				err = -EINVAL;
	} else {
		uint16_t *s = (uint16_t *)g->gid + n;   /* the top half; widened upwards */
		if (n && copy_from_user(p, s, list, n * 2))
			err = -EFAULT;
		for (uint32_t i = 0; !err && i < n; i++)
			if ((g->gid[i] = id_from16(s[i])) == ID_NONE)
				err = -EINVAL;
	}
	if (err) {
		free(g);
		return err;
	}
	rule_sort_ids(g->gid, n);
	cred_free(p);
	p->groups = g;
	return 0;
}

static long cred_call(struct proc *p, uint32_t nr, uint32_t a, uint32_t b, uint32_t c);

/* Every set*id, getres*id and *groups call, by number. */
long sys_cred(struct proc *p, uint32_t nr, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t before[4] = { p->euid, p->egid, p->fsuid, p->fsgid };
	long r = cred_call(p, nr, a, b, c);
	after_change(p, before);
	return r;
}

static long cred_call(struct proc *p, uint32_t nr, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t *v[4];
	int gid = nr == __NR_setgid || nr == __NR_setgid32 || nr == __NR_setregid ||
	          nr == __NR_setregid32 || nr == __NR_setresgid || nr == __NR_setresgid32 ||
	          nr == __NR_getresgid || nr == __NR_getresgid32 || nr == __NR_setfsgid ||
	          nr == __NR_setfsgid32;
	ids_of(p, gid, v);
	int cap = p->euid == 0;
	uint32_t ptr[3] = { a, b, c };
	switch (nr) {
	case __NR_setuid32: case __NR_setgid32:         return rule_setid(v, cap, a);
	case __NR_setuid: case __NR_setgid:             return rule_setid(v, cap, id_from16(a));
	case __NR_setreuid32: case __NR_setregid32:     return rule_setreid(v, cap, a, b);
	case __NR_setreuid: case __NR_setregid:
		return rule_setreid(v, cap, id_from16(a), id_from16(b));
	case __NR_setresuid32: case __NR_setresgid32:   return rule_setresid(v, cap, a, b, c);
	case __NR_setresuid: case __NR_setresgid:
		return rule_setresid(v, cap, id_from16(a), id_from16(b), id_from16(c));
	case __NR_setfsuid32: case __NR_setfsgid32:     return rule_setfsid(v, cap, a);
	case __NR_setfsuid: case __NR_setfsgid:         return rule_setfsid(v, cap, id_from16(a));
	case __NR_getresuid32: case __NR_getresgid32:   return put_three(p, ptr, v, 1);
	case __NR_getresuid: case __NR_getresgid:       return put_three(p, ptr, v, 0);
	case __NR_getgroups32:  return getgroups(p, (int32_t)a, b, 1);
	case __NR_getgroups:    return getgroups(p, (int32_t)a, b, 0);
	case __NR_setgroups32:  return setgroups(p, (int32_t)a, b, 1);
	case __NR_setgroups:    return setgroups(p, (int32_t)a, b, 0);
	default:                return -ENOSYS;
	}
}

int cred_groups_of(const struct proc *p, uint32_t *out, int max)
{
	int n = 0;
	for (uint32_t i = 0; p->groups && i < p->groups->n && n < max; i++)
		out[n++] = p->groups->gid[i];
	return n;
}
