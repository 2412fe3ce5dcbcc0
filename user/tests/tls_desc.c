/*
 * Which descriptors set_thread_area accepts: Linux's rules (tls_desc_okay
 * in arch/x86/kernel/tls.c), exactly.
 *
 *   - the "empty" descriptor (read-exec-only and not-present, all else 0)
 *     and the all-zero one both clear the slot;
 *   - otherwise only present, 32-bit data segments (contents 0 or 1, the
 *     expand-down kind) are allowed: a code segment (contents 2), the
 *     reserved contents 3, a 16-bit segment or a not-present one is
 *     EINVAL.  16-bit segments are the dangerous ones: a 16-bit stack
 *     segment makes iret leave the high half of the kernel's stack pointer
 *     in esp (the "espfix" leak); not-present DPL 3 ones and code in the
 *     TLS slots are surface nobody needs;
 *   - a refused descriptor leaves the slot as it was;
 *   - only the seven flag bits of i386's struct user_desc count: higher
 *     bits of the flags word are ignored;
 *   - get_thread_area reads back what was set (an empty slot reads as
 *     read-exec-only and not present).
 */
#include "check.h"
#include <stdint.h>
#include <uapi/ldt.h>
#include <uapi/unistd.h>

static long set(struct user_desc *d) { return raw_syscall6(__NR_set_thread_area, (long)d, 0, 0, 0, 0, 0); }
static long get(struct user_desc *d) { return raw_syscall6(__NR_get_thread_area, (long)d, 0, 0, 0, 0, 0); }

#define FLAT (UD_SEG_32BIT | UD_LIMIT_IN_PAGES)
#define EMPTY_FLAGS (UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT)

static void expect_slot(uint32_t slot, uint32_t base, uint32_t limit, uint32_t flags)
{
	struct user_desc d = { slot, 0xdead, 0xbeef, 0xffff };
	CHECK_EQ(get(&d), 0);
	CHECK_EQ(d.entry_number, slot);
	CHECK_EQ(d.base_addr, base);
	CHECK_EQ(d.limit, limit);
	CHECK_EQ(d.flags, flags);
}

int main(void)
{
	const uint32_t slot = GDT_ENTRY_TLS_MIN + 1;
	struct user_desc good = { slot, 0x12345000, 0xfffff, FLAT };
	CHECK_EQ(set(&good), 0);
	expect_slot(slot, 0x12345000, 0xfffff, FLAT);

	static const uint32_t refused[] = {
		FLAT | 2 << UD_CONTENTS_SHIFT,                  /* code */
		FLAT | 2 << UD_CONTENTS_SHIFT | UD_READ_EXEC_ONLY,
		FLAT | 3 << UD_CONTENTS_SHIFT,                  /* conforming code */
		UD_LIMIT_IN_PAGES,                              /* 16-bit data */
		UD_LIMIT_IN_PAGES | 1 << UD_CONTENTS_SHIFT,     /* 16-bit, expand-down */
		FLAT | UD_SEG_NOT_PRESENT,                      /* not present */
		UD_SEG_NOT_PRESENT,                             /* not present, 16-bit */
	};
	for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		struct user_desc d = { slot, 0x1000, 0xfff, refused[i] };
		printf("flags %#x\n", refused[i]);
		CHECK_EQ(set(&d), -EINVAL);
		expect_slot(slot, 0x12345000, 0xfffff, FLAT);   /* unchanged */
	}

	/* Expand-down 32-bit data is a data segment: allowed. */
	struct user_desc down = { slot, 0x2000, 0x10, UD_SEG_32BIT | 1 << UD_CONTENTS_SHIFT | UD_USEABLE };
	CHECK_EQ(set(&down), 0);
	expect_slot(slot, 0x2000, 0x10, UD_SEG_32BIT | 1 << UD_CONTENTS_SHIFT | UD_USEABLE);

	/* Bits above the seven flags are not part of i386's struct user_desc. */
	struct user_desc high = { slot, 0x3000, 0xfffff, FLAT | 0xffffff00 };
	CHECK_EQ(set(&high), 0);
	expect_slot(slot, 0x3000, 0xfffff, FLAT);

	/* The empty descriptor clears, with stray high bits too. */
	struct user_desc empty = { slot, 0, 0, EMPTY_FLAGS | 0x100 };
	CHECK_EQ(set(&empty), 0);
	expect_slot(slot, 0, 0, EMPTY_FLAGS);

	/* So does the all-zero one (what many programs pass to mean "none"). */
	CHECK_EQ(set(&good), 0);
	struct user_desc zero = { slot, 0, 0, 0 };
	CHECK_EQ(set(&zero), 0);
	expect_slot(slot, 0, 0, EMPTY_FLAGS);
	return 0;
}
