/*
 * struct user_desc: the argument of set_thread_area (243), get_thread_area
 * (244) and modify_ldt (123), and clone's tls with CLONE_SETTLS.
 *
 * Linux declares the flags as C bitfields; bitfield order is up to the
 * compiler, so here they are explicit masks on one 32-bit word (i386 GCC
 * puts the first bitfield in bit 0, which is what these masks say).
 *
 * set_thread_area: entry_number == -1 asks the kernel to pick a free TLS
 * slot in the GDT and write its index back into entry_number.
 */
#ifndef UAPI_LDT_H
#define UAPI_LDT_H

#include <stdint.h>

struct user_desc {
	uint32_t entry_number;  /* GDT index, or -1 (0xffffffff) for "any free" */
	uint32_t base_addr;     /* segment base */
	uint32_t limit;         /* segment limit (in pages if LIMIT_IN_PAGES) */
	uint32_t flags;         /* UD_* bits below */
};

#define UD_SEG_32BIT            0x01  /* 32-bit segment (D/B bit) */
#define UD_CONTENTS_MASK        0x06  /* 2 bits: MODIFY_LDT_CONTENTS_* << 1 */
#define UD_CONTENTS_SHIFT       1
#define UD_READ_EXEC_ONLY       0x08  /* data: read-only; code: execute-only */
#define UD_LIMIT_IN_PAGES       0x10  /* G bit: limit counts 4 KiB pages */
#define UD_SEG_NOT_PRESENT      0x20  /* P bit clear */
#define UD_USEABLE              0x40  /* the AVL bit */

#define MODIFY_LDT_CONTENTS_DATA    0
#define MODIFY_LDT_CONTENTS_STACK   1
#define MODIFY_LDT_CONTENTS_CODE    2

/* The GDT slots Linux i386 offers to set_thread_area: 6, 7 and 8. */
#define GDT_ENTRY_TLS_MIN   6
#define GDT_ENTRY_TLS_ENTRIES 3

#endif
