/*
 * Formatted output (kernel/printk.c) and panic (kernel/panic.c).
 *
 * Formats: %d %i %u %x %X %p %s %c %%, with flags '-' '0', a width, and
 * the 'l' and 'll' length modifiers.  %p prints 0x and 8 hex digits.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

__attribute__((format(printf, 1, 2))) void printk(const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

struct trapframe;
/* Print the message, the registers and a backtrace, then stop the machine. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
/* Same, for a trap the kernel cannot handle: the registers come from the frame. */
__attribute__((noreturn)) void panic_trap(const struct trapframe *tf, const char *what);

#define BUG_ON(cond) do { if (cond) panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); } while (0)

#endif
