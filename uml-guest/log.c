/*
 * The guest kernel's own messages: one line each, straight to the host's
 * standard error in a single write (never through stdio's buffer, which
 * a message from inside the trap handler must not share with anything).
 */
#include "uml.h"
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

int debug;

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char line[256];
	int n = snprintf(line, sizeof line, "uml-guest: %s", prefix);
	n += vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	if (n > (int)sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	write(2, line, n);
}

void klog(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("panic: ", fmt, ap);
	va_end(ap);
	_exit(125);
}

/* Boot went wrong (no altmm, no memory, no init...): one line saying why,
 * and uml's status 1.  Not a panic: nothing is wrong with us. */
void boot_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("cannot start: ", fmt, ap);
	va_end(ap);
	_exit(1);
}
