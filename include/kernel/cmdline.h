/*
 * The kernel command line from the boot loader: words separated by spaces,
 * each `key=value` or a bare `key`.  As with Linux, the words after a lone
 * `--` are not the kernel's: they are the arguments of init.  Kept in a
 * kernel buffer so it outlives the boot loader's memory.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

void cmdline_init(const char *s);
const char *cmdline_get_all(void);
/* The text after " -- " (init's arguments), or NULL when there is none. */
const char *cmdline_init_args(void);
/*
 * Copy the value of `key` into buf (NUL-terminated, truncated to size-1).
 * Returns true when the key is present; a bare key has the value "".
 */
bool cmdline_get(const char *key, char *buf, size_t size);
/* True when `key` is present and its comma-separated value lists `item`. */
bool cmdline_has_item(const char *key, const char *item);

#endif
