/*
 * "#!" scripts, as Linux 6.1's binfmt_script runs them, for the kernel
 * (kernel/exec.c) and the guest kernel (uml-guest/exec.c): static inline
 * functions on a buffer, so both use the very same rules.
 *
 * Linux looks at the first SCRIPT_BUF (256) bytes of the file, padded
 * with NULs when the file is shorter.  The line is the bytes after "#!"
 * up to the first newline; with no newline in those bytes, the line is the
 * whole buffer, but only if the interpreter's name ends inside it (at a
 * space, tab or NUL): a name that might go on is not run (ENOEXEC).
 * Spaces and tabs at the end are dropped; the interpreter's name is the
 * first word after any spaces and tabs (none at all: ENOEXEC); the
 * optional argument is ALL the rest after the spaces and tabs that follow
 * the name, spaces inside included (one argument, not several).  A NUL
 * right after the name ends the line there.
 *
 * The program then runs as
 *     interpreter [argument] path-as-given argv[1] argv[2] ...
 * (the old argv[0] is dropped, the path is exactly what execve was given),
 * and the interpreter may itself be a script, up to SCRIPT_MAX_NEST
 * scripts deep (ELOOP past that).
 */
#ifndef LIB_SCRIPT_H
#define LIB_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <uapi/errno.h>

/* The kernel's and the C library's, with the same contracts. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
size_t strlen(const char *s);

#define SCRIPT_BUF      256     /* Linux's BINPRM_BUF_SIZE */
#define SCRIPT_MAX_NEST 5       /* scripts in a row; the sixth is ELOOP (exec_binprm's depth > 5) */

struct script_line {
	const char *name;       /* the interpreter, NUL-terminated inside the buffer */
	const char *arg;        /* its one argument, or NULL */
};

static inline bool script_blank(char c) { return c == ' ' || c == '\t'; }

/* buf: the file's first bytes, NUL-padded to SCRIPT_BUF (changed in
 * place).  1 and *out for a script, 0 if buf is not one (no "#!"),
 * -ENOEXEC for a "#!" line with no usable interpreter. */
static inline int script_parse(char *buf, struct script_line *out)
{
	if (buf[0] != '#' || buf[1] != '!')
		return 0;
	char *last = buf + SCRIPT_BUF - 1;      /* the buffer's last byte */
	char *end = buf, *p;
	while (end <= last && *end != '\n')
		end++;
	if (end > last) {
		for (p = buf + 2; p <= last && script_blank(*p); p++)
			;
		if (p > last)
			return -ENOEXEC;        /* nothing but blanks */
		while (p <= last && !script_blank(*p) && *p)
			p++;
		if (p > last)
			return -ENOEXEC;        /* the name may go on past the buffer */
		end = last;
	}
	while (end > buf + 2 && script_blank(end[-1]))
		end--;
	char *name = buf + 2;
	while (name < end && script_blank(*name))
		name++;
	if (name == end)
		return -ENOEXEC;                /* "#!" and blanks: no interpreter */
	char *sep = name;
	while (sep < end && !script_blank(*sep) && *sep)
		sep++;
	char *arg = 0;
	if (sep < end && *sep) {                /* a blank after the name */
		arg = sep;
		while (arg < end && script_blank(*arg))
			arg++;
		if (arg == end)
			arg = 0;
	}
	*end = 0;
	*sep = 0;
	out->name = name;
	out->arg = arg;
	return 1;
}

/*
 * Rewrite an argument block for the interpreter: strings holds argc
 * strings then envc strings, len bytes in all, room for cap.  argv[0]
 * goes; name, arg (if any) and path come first.  0, or -E2BIG when they
 * do not fit.
 */
static inline int script_args(char *strings, size_t *len, size_t cap, int *argc,
                              const struct script_line *s, const char *path)
{
	size_t old0 = *argc > 0 ? strlen(strings) + 1 : 0;
	size_t nname = strlen(s->name) + 1, narg = s->arg ? strlen(s->arg) + 1 : 0;
	size_t npath = strlen(path) + 1, front = nname + narg + npath;
	if (*len - old0 + front > cap)
		return -E2BIG;
	memmove(strings + front, strings + old0, *len - old0);
	memcpy(strings, s->name, nname);
	if (narg)
		memcpy(strings + nname, s->arg, narg);
	memcpy(strings + nname + narg, path, npath);
	*len = *len - old0 + front;
	*argc += (*argc > 0 ? -1 : 0) + (s->arg ? 3 : 2);
	return 0;
}

#endif
