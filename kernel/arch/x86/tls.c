/*
 * Thread-local storage descriptors: set_thread_area and get_thread_area.
 *
 * glibc keeps a pointer to its thread control block in %gs.  It asks the
 * kernel, through set_thread_area, for a GDT descriptor whose base is that
 * block; Linux i386 offers GDT slots 6, 7 and 8 for this.  Each task has
 * its own three slots, which the scheduler writes into the GDT when the
 * task runs (tls_load), so %gs means the same thing to a task whenever it
 * runs.
 */
#include <kernel/arch.h>
#include <kernel/fpu.h>
#include <kernel/string.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>
#include <uapi/ldt.h>

void gdt_set_raw(int index, uint32_t low, uint32_t high);

void tls_load(struct task *t)
{
	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		gdt_set_raw(GDT_ENTRY_TLS_MIN + i, t->tls_entries[i][0], t->tls_entries[i][1]);
}

/* The seven flag bits of i386's struct user_desc (Linux declares them as
 * bitfields; the rest of the word is padding, and ignored). */
#define UD_FLAGS_MASK 0x7F

/* The descriptors that clear a slot, as Linux reads them: its "empty" one
 * (LDT_empty) and the all-zero one many programs pass (LDT_zero). */
static int desc_is_empty(const struct user_desc *u)
{
	uint32_t f = u->flags & UD_FLAGS_MASK;
	return u->base_addr == 0 && u->limit == 0 &&
	       (f == (UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT) || f == 0);
}

/*
 * What else a TLS slot may hold (Linux's tls_desc_okay): present, 32-bit
 * data segments only.  A 16-bit one would be a 16-bit stack segment to
 * anyone who loads it into %ss, and an iret to one leaves the high half
 * of the kernel's stack pointer in esp; code and not-present segments
 * have no use here and only widen what the return paths must survive.
 */
static int desc_is_allowed(const struct user_desc *u)
{
	uint32_t contents = (u->flags & UD_CONTENTS_MASK) >> UD_CONTENTS_SHIFT;
	return (u->flags & UD_SEG_32BIT) && contents <= MODIFY_LDT_CONTENTS_STACK &&
	       !(u->flags & UD_SEG_NOT_PRESENT);
}

/* Encode a user_desc as the two words of a GDT descriptor (DPL 3). */
static void encode(const struct user_desc *u, uint32_t *low, uint32_t *high)
{
	uint32_t f = u->flags;
	uint32_t contents = (f & UD_CONTENTS_MASK) >> UD_CONTENTS_SHIFT;
	*low = (u->base_addr & 0xFFFF) << 16 | (u->limit & 0xFFFF);
	*high = (u->base_addr & 0xFF000000) | ((u->base_addr >> 16) & 0xFF) | (u->limit & 0xF0000)
		| ((f & UD_READ_EXEC_ONLY) ? 0 : 1u << 9)	/* writable data / readable code */
		| contents << 10				/* expand-down or code */
		| ((f & UD_SEG_NOT_PRESENT) ? 0 : 1u << 15)	/* present */
		| ((f & UD_USEABLE) ? 1u << 20 : 0)
		| ((f & UD_SEG_32BIT) ? 1u << 22 : 0)
		| ((f & UD_LIMIT_IN_PAGES) ? 1u << 23 : 0)
		| 0x7000;					/* S=1 (code/data), DPL 3 */
}

int tls_set(struct task *t, const struct user_desc *u, uint32_t *chosen)
{
	uint32_t idx = u->entry_number;
	if (idx == 0xFFFFFFFFu) {
		for (idx = GDT_ENTRY_TLS_MIN; idx < GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES; idx++)
			if (!(t->tls_entries[idx - GDT_ENTRY_TLS_MIN][1] & (1u << 15)))
				break;
		if (idx == GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
			return -ESRCH;
	}
	if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
		return -EINVAL;
	bool empty = desc_is_empty(u);
	if (!empty && !desc_is_allowed(u))
		return -EINVAL;
	uint32_t *slot = t->tls_entries[idx - GDT_ENTRY_TLS_MIN];
	if (empty)
		slot[0] = slot[1] = 0;
	else
		encode(u, &slot[0], &slot[1]);
	*chosen = idx;
	if (t == current)
		tls_load(t);
	return 0;
}

static long sys_set_thread_area(struct user_desc __user *uinfo)
{
	struct user_desc u;
	if (copy_from_user(&u, uinfo, sizeof u))
		return -EFAULT;
	uint32_t idx;
	int err = tls_set(current, &u, &idx);
	if (err)
		return err;
	if (u.entry_number == 0xFFFFFFFFu && copy_to_user(&uinfo->entry_number, &idx, sizeof idx))
		return -EFAULT;
	return 0;
}
SYSCALL(set_thread_area, sys_set_thread_area);

static long sys_get_thread_area(struct user_desc __user *uinfo)
{
	struct user_desc u;
	if (copy_from_user(&u, uinfo, sizeof u))
		return -EFAULT;
	uint32_t idx = u.entry_number;
	if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
		return -EINVAL;
	const uint32_t *d = current->tls_entries[idx - GDT_ENTRY_TLS_MIN];
	u.base_addr = (d[0] >> 16) | (d[1] & 0xFF) << 16 | (d[1] & 0xFF000000);
	u.limit = (d[0] & 0xFFFF) | (d[1] & 0xF0000);
	u.flags = ((d[1] >> 22) & 1 ? UD_SEG_32BIT : 0)
		| ((d[1] >> 10) & 3) << UD_CONTENTS_SHIFT
		| ((d[1] >> 9) & 1 ? 0 : UD_READ_EXEC_ONLY)
		| ((d[1] >> 23) & 1 ? UD_LIMIT_IN_PAGES : 0)
		| ((d[1] >> 15) & 1 ? 0 : UD_SEG_NOT_PRESENT)
		| ((d[1] >> 20) & 1 ? UD_USEABLE : 0);
	return copy_to_user(uinfo, &u, sizeof u) ? -EFAULT : 0;
}
SYSCALL(get_thread_area, sys_get_thread_area);
