/*
 * Linux's rules for changing credentials and for file permission, for the
 * kernel (kernel/cred.c, kernel/fs/permission.c) and the guest kernel
 * (uml-guest/cred.c, uml-guest/perm.c): static inline functions on plain
 * numbers, so that both apply exactly the same rules.  docs/10 explains
 * them.
 *
 * The ids of one kind (user or group) are four numbers: real, effective,
 * saved, fs, reached through v[ID_R..ID_FS]; cap says whether the caller
 * holds CAP_SETUID (or CAP_SETGID): effective uid 0.  Each function
 * changes nothing when it fails.
 */
#ifndef LIB_CRED_RULES_H
#define LIB_CRED_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include <uapi/errno.h>

#define ID_NONE		((uint32_t)-1)
enum { ID_R, ID_E, ID_S, ID_FS };

/* 16-bit calls: the low 16 bits of the argument, 0xffff meaning -1; and
 * ids above 65535 reported as the overflow id 65534. */
static inline uint32_t id_from16(uint32_t arg) { arg &= 0xffff; return arg == 0xffff ? ID_NONE : arg; }
static inline uint32_t id_to16(uint32_t id) { return id > 0xffff ? 65534 : id; }

/* setuid: root sets all three; others only the effective id, to the real or saved. */
static inline long rule_setid(uint32_t *v[4], bool cap, uint32_t id)
{
	if (id == ID_NONE)
		return -EINVAL;
	if (cap)
		*v[ID_R] = *v[ID_S] = id;
	else if (id != *v[ID_R] && id != *v[ID_S])
		return -EPERM;
	*v[ID_E] = *v[ID_FS] = id;
	return 0;
}

/* setreuid: real to real or effective, effective to any of the three; the
 * saved id follows when the real one is set or the effective one moves off
 * the old real id. */
static inline long rule_setreid(uint32_t *v[4], bool cap, uint32_t r, uint32_t e)
{
	if (r != ID_NONE && r != *v[ID_R] && r != *v[ID_E] && !cap)
		return -EPERM;
	if (e != ID_NONE && e != *v[ID_R] && e != *v[ID_E] && e != *v[ID_S] && !cap)
		return -EPERM;
	uint32_t old_r = *v[ID_R];
	if (r != ID_NONE)
		*v[ID_R] = r;
	if (e != ID_NONE)
		*v[ID_E] = e;
	if (r != ID_NONE || (e != ID_NONE && e != old_r))
		*v[ID_S] = *v[ID_E];
	*v[ID_FS] = *v[ID_E];
	return 0;
}

/* setresuid: each to any of the three (root: anything). */
static inline long rule_setresid(uint32_t *v[4], bool cap, uint32_t r, uint32_t e, uint32_t s)
{
	uint32_t want[3] = { r, e, s };
	if (!cap)
		for (int i = 0; i < 3; i++)
			if (want[i] != ID_NONE && want[i] != *v[ID_R] && want[i] != *v[ID_E] &&
			    want[i] != *v[ID_S])
				return -EPERM;
	for (int i = 0; i < 3; i++)
		if (want[i] != ID_NONE)
			*v[i] = want[i];
	*v[ID_FS] = *v[ID_E];
	return 0;
}

/* setfsuid: returns the old fs id always; changes it to one of the four
 * ids, or to anything for root. */
static inline long rule_setfsid(uint32_t *v[4], bool cap, uint32_t id)
{
	uint32_t old = *v[ID_FS];
	if (id != ID_NONE && (id == *v[ID_R] || id == *v[ID_E] || id == *v[ID_S] || id == old || cap))
		*v[ID_FS] = id;
	return old;
}

/* execve: a set-user-id file's owner becomes the effective uid, a
 * set-group-id file's group (with group x) the effective gid; then the
 * saved ids are the effective ones and the fs ids follow. */
static inline void rule_exec(uint32_t *u[4], uint32_t *g[4], uint32_t mode, uint32_t fuid,
			     uint32_t fgid)
{
	if (mode & 04000)
		*u[ID_E] = fuid;
	if ((mode & 02010) == 02010)
		*g[ID_E] = fgid;
	*u[ID_S] = *u[ID_FS] = *u[ID_E];
	*g[ID_S] = *g[ID_FS] = *g[ID_E];
}

/* Sort a group list (Linux keeps it sorted, duplicates too); shell sort:
 * no recursion, fine for 65536 entries. */
static inline void rule_sort_ids(uint32_t *a, uint32_t n)
{
	for (uint32_t gap = n / 2; gap; gap /= 2)
		for (uint32_t i = gap; i < n; i++)
			for (uint32_t j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
				uint32_t x = a[j];
				a[j] = a[j - gap];
				a[j - gap] = x;
			}
}

/* Is gid in the sorted list? */
static inline bool rule_in_list(const uint32_t *a, uint32_t n, uint32_t gid)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (a[mid] == gid)
			return true;
		if (a[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * Linux's generic_permission: may a caller do mask (4 read, 2 write,
 * 1 execute/search) to a file of this mode?  One class decides: the
 * owner's bits if is_owner, else the group's if in_group, else others';
 * then root (fs_root) may read and write anything, search any directory,
 * and execute what has some x bit.  0 or -EACCES.
 */
static inline int rule_permission(uint32_t mode, bool is_owner, bool in_group, bool fs_root, int mask)
{
	uint32_t bits = is_owner ? mode >> 6 : in_group ? mode >> 3 : mode;
	mask &= 7;
	if (!(mask & ~bits & 7))
		return 0;
	if (!fs_root)
		return -EACCES;
	if ((mode & 0170000) == 0040000 || !(mask & 1) || (mode & 0111))
		return 0;
	return -EACCES;
}

#endif
