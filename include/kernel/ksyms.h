/*
 * The kernel's own symbol table, for symbolic backtraces.  tools/gensyms.py
 * generates it from the first link and the second link embeds it.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stdint.h>

/* Name of the function containing addr and its offset in it; NULL if unknown. */
const char *ksyms_lookup(uint32_t addr, uint32_t *offset);
/* Address of a named function, 0 if not found. */
uint32_t ksyms_address(const char *name);
/* Print "[<addr>] name+0xoff" lines for the frame-pointer chain starting at ebp. */
void backtrace_from(uint32_t eip, uint32_t ebp);

#endif
