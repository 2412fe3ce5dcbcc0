/*
 * Running a program (kernel/exec.c, kernel/exec_stack.c).
 *
 * The argument and environment strings are first gathered into a kernel
 * buffer (struct exec_args), from user memory for execve or from kernel
 * strings for the first program, so that nothing of the old program is
 * needed once the new one is being built.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <stddef.h>
#include <stdint.h>
#include <lib/elf_rules.h>

#define EXEC_ARG_MAX	(128 * 1024)	/* bytes of argument and environment strings */

struct exec_args {
	char *strings;		/* argc strings, then envc strings, each NUL-terminated */
	size_t len;
	int argc, envc;
};

struct mm;
struct elf32_ehdr;

int exec_args_from_kernel(struct exec_args *a, const char *const *argv, const char *const *envp);
void exec_args_free(struct exec_args *a);

/* Replace the current program.  Returns only on failure (-errno), with the
 * old program intact. */
long do_execve(const char *path, struct exec_args *a);

/* What the loaded program tells its C library through the auxiliary vector. */
struct exec_image {
	uint32_t entry;		/* AT_ENTRY: the program's own entry point */
	uint32_t phdr, phnum;	/* AT_PHDR, AT_PHNUM: its program headers in memory */
	uint32_t base;		/* AT_BASE: where the interpreter is, or 0 */
	uint32_t start;		/* where it starts: the interpreter's entry, or entry */
	struct exec_ids ids;	/* AT_UID.. AT_EGID, AT_SECURE */
};

/* exec_load_elf's answer for a file that Linux refuses only after it has
 * let go of the old program: do_execve kills the process.  Never seen by
 * a program. */
#define EXEC_KILLED	1000

struct file;
/* Build the address space of the ELF program f (exec_elf.c): its
 * segments, its interpreter's, the stack area.  0 with *mm and all of img
 * but ids filled in, or -errno (-EXEC_KILLED: see above). */
int exec_load_elf(struct file *f, struct mm **mm, struct exec_image *img);

/* Build the initial stack in mm (exec_stack.c): strings, auxiliary vector,
 * envp, argv, argc, as Linux lays them out.  Returns the stack pointer, or
 * 0 when out of memory. */
uint32_t exec_build_stack(struct mm *mm, const struct exec_args *a, const char *execfn,
			  const struct exec_image *img);

#endif
