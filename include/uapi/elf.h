/*
 * The parts of the ELF32 format a program loader reads: the kernel's
 * (kernel/exec.c) and the guest kernel's (uml-guest/exec.c).
 */
#ifndef UAPI_ELF_H
#define UAPI_ELF_H

#include <stdint.h>

#define ELF_MAGIC	0x464C457Fu	/* "\177ELF" read as a little-endian word */
#define ELFCLASS32	1
#define ELFDATA2LSB	1
#define ET_EXEC		2
#define ET_DYN		3
#define EM_386		3

#define PT_LOAD		1
#define PT_INTERP	3
#define PT_PHDR		6

#define PF_X		1
#define PF_W		2
#define PF_R		4

struct elf32_ehdr {
	uint32_t e_magic;
	uint8_t e_class, e_data, e_version, e_osabi;
	uint8_t e_pad[8];
	uint16_t e_type, e_machine;
	uint32_t e_version2, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF header layout");
_Static_assert(sizeof(struct elf32_phdr) == 32, "program header layout");

#endif
