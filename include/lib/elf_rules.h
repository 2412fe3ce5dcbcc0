/*
 * Loading an ELF program and its interpreter, as Linux 6.1's
 * load_elf_binary does, for the kernel (kernel/exec_elf.c) and the guest
 * kernel (uml-guest/exec.c): the checks and the numbers, as static inline
 * functions on plain values, so that both kernels use the very same rules.
 * Reading files and mapping memory stay with each kernel.
 *
 * The order of events, and the error each step gives:
 *
 *   the program's header and table    ENOEXEC (elf_check_program)
 *   its first PT_INTERP: the name     ENOEXEC if not 2..PATH_MAX bytes ending
 *                                     in a NUL, EIO if not all in the file
 *   open the interpreter              as an exec: ENOENT, EACCES (no x bit,
 *                                     not a regular file), ETXTBSY
 *   its header (52 bytes)             EIO if the file is shorter
 *   its magic, machine and table      ELIBBAD (elf_check_interp)
 *   ---- the point of no return: from here on Linux kills the process
 *   map the program, then the interpreter; an interpreter that is neither
 *   ET_EXEC nor ET_DYN, or has nothing to load, is such a kill, and so is
 *   one whose file part ends (elf_file_end) inside a page it cannot
 *   write: Linux zeroes the rest of that page (padzero) and fails there.
 *
 * Where things go (no address-space randomisation here):
 *   an ET_DYN program with an interpreter (a PIE): its lowest segment at
 *   ELF_ET_DYN_BASE, as Linux i386 without randomisation; one without an
 *   interpreter (a static PIE, or ld.so run as a program) there too;
 *   an ET_DYN interpreter: wherever mmap would put a mapping as large as
 *   all its segments (elf_span), the highest free gap below the mmap top;
 *   ET_EXEC files at their own addresses.
 */
#ifndef LIB_ELF_RULES_H
#define LIB_ELF_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include <uapi/elf.h>
#include <uapi/errno.h>

#define ELF_ET_DYN_BASE		0x00400000u	/* Linux i386's, for a PIE */
#define ELF_EM_486		6		/* Linux i386 runs these too */
#define ELF_PHDRS_MAX		4096u		/* the table's size limit (ELF_MIN_ALIGN) */
#define ELF_INTERP_NAME_MAX	4096u		/* PATH_MAX, with the NUL */

static inline bool elf_machine_ok(uint16_t m) { return m == EM_386 || m == ELF_EM_486; }

/* Bytes of h's program header table, or 0 if Linux refuses its shape. */
static inline uint32_t elf_table_size(const struct elf32_ehdr *h)
{
	uint32_t size = (uint32_t)h->e_phnum * sizeof(struct elf32_phdr);
	if (h->e_phentsize != sizeof(struct elf32_phdr) || size == 0 || size > ELF_PHDRS_MAX)
		return 0;
	return size;
}

/* The program's header: magic, type, machine and table (the class and
 * byte-order bytes Linux never looks at).  0 or -ENOEXEC. */
static inline int elf_check_program(const struct elf32_ehdr *h)
{
	if (h->e_magic != ELF_MAGIC || (h->e_type != ET_EXEC && h->e_type != ET_DYN) ||
	    !elf_machine_ok(h->e_machine) || !elf_table_size(h))
		return -ENOEXEC;
	return 0;
}

/* The interpreter's header, before the point of no return: magic,
 * machine and table, not yet its type.  0 or -ELIBBAD. */
static inline int elf_check_interp(const struct elf32_ehdr *h)
{
	if (h->e_magic != ELF_MAGIC || !elf_machine_ok(h->e_machine) || !elf_table_size(h))
		return -ELIBBAD;
	return 0;
}

/* A PT_INTERP's size: 0, or -ENOEXEC for a name Linux will not read. */
static inline int elf_check_interp_size(const struct elf32_phdr *ph)
{
	return ph->p_filesz > ELF_INTERP_NAME_MAX || ph->p_filesz < 2 ? -ENOEXEC : 0;
}

/* The interpreter's type, after the point of no return: false means the
 * process dies (load_elf_interp fails). */
static inline bool elf_interp_type_ok(const struct elf32_ehdr *h)
{
	return h->e_type == ET_EXEC || h->e_type == ET_DYN;
}

/*
 * The page-aligned span of the PT_LOAD segments: *lowest is the lowest
 * p_vaddr rounded down to a page, the result the bytes from there to the
 * end of the highest segment rounded up (Linux's total_mapping_size, which
 * takes the first and last segments; programs list them in address order).
 * 0 when there is nothing to load or the sizes wrap.
 */
static inline uint32_t elf_span(const struct elf32_phdr *ph, int n, uint32_t *lowest)
{
	uint32_t lo = 0xFFFFFFFFu, hi = 0;
	for (int i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		uint32_t end = ph[i].p_vaddr + ph[i].p_memsz;
		if (end < ph[i].p_vaddr)
			return 0;
		if (ph[i].p_vaddr < lo)
			lo = ph[i].p_vaddr;
		if (end > hi)
			hi = end;
	}
	if (lo == 0xFFFFFFFFu)
		return 0;
	lo &= ~4095u;
	*lowest = lo;
	return hi > 0xFFFFF000u ? 0 : ((hi + 4095u) & ~4095u) - lo;
}

/* Where the file parts of the PT_LOAD segments end, the highest
 * (load_elf_interp's elf_bss, before the bias). */
static inline uint32_t elf_file_end(const struct elf32_phdr *ph, int n)
{
	uint32_t end = 0;
	for (int i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_filesz > end)
			end = ph[i].p_vaddr + ph[i].p_filesz;
	return end;
}

/* Where the program's own file lands: its load bias. */
static inline uint32_t elf_program_bias(const struct elf32_ehdr *h, const struct elf32_phdr *ph)
{
	uint32_t lowest;
	if (h->e_type != ET_DYN || !elf_span(ph, h->e_phnum, &lowest))
		return 0;
	return ELF_ET_DYN_BASE - lowest;
}

/* The ids a new program starts with, and whether it is AT_SECURE, as
 * commoncap's bprm_creds_from_file decides without capabilities: secure
 * when the effective uid or gid changed, or differs from the real one. */
struct exec_ids {
	uint32_t uid, euid, gid, egid;
	bool secure;
};

/* in_group: whether new_egid is the caller's fs gid or a supplementary
 * group (Linux's in_group_p, which it asks here). */
static inline struct exec_ids exec_new_ids(uint32_t uid, uint32_t euid, uint32_t gid, uint32_t egid,
					   uint32_t mode, uint32_t file_uid, uint32_t file_gid,
					   bool (*in_group)(uint32_t))
{
	struct exec_ids n = { uid, euid, gid, egid, false };
	if (mode & 04000)
		n.euid = file_uid;
	if ((mode & 02010) == 02010)
		n.egid = file_gid;
	n.secure = n.euid != euid || !in_group(n.egid) || n.euid != uid || n.egid != gid;
	return n;
}

#endif
