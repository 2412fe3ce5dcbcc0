/*
 * Auxiliary vector keys.  execve puts (key, value) pairs of 32-bit words on
 * the new stack after envp's NULL, ending with AT_NULL:
 *
 *   esp -> argc, argv[0..argc-1], NULL, envp[...], NULL, auxv pairs, AT_NULL 0
 */
#ifndef UAPI_AUXV_H
#define UAPI_AUXV_H

#define AT_NULL         0   /* end of the vector */
#define AT_IGNORE       1
#define AT_EXECFD       2
#define AT_PHDR         3   /* address of the program headers in memory */
#define AT_PHENT        4   /* size of one program header (32) */
#define AT_PHNUM        5   /* number of program headers */
#define AT_PAGESZ       6   /* page size (4096) */
#define AT_BASE         7   /* interpreter base (0 for static programs) */
#define AT_FLAGS        8
#define AT_ENTRY        9   /* the program's entry point (e_entry) */
#define AT_NOTELF       10
#define AT_UID          11
#define AT_EUID         12
#define AT_GID          13
#define AT_EGID         14
#define AT_PLATFORM     15  /* address of a string such as "i686" */
#define AT_HWCAP        16  /* CPUID feature bits (edx of leaf 1) */
#define AT_CLKTCK       17  /* times() frequency (100) */
#define AT_SECURE       23  /* set-id program: 1 */
#define AT_BASE_PLATFORM 24
#define AT_RANDOM       25  /* address of 16 random bytes */
#define AT_HWCAP2       26
#define AT_EXECFN       31  /* address of the executed file name string */
#define AT_SYSINFO      32  /* i386: vsyscall entry (vDSO) */
#define AT_SYSINFO_EHDR 33  /* vDSO ELF header */
#define AT_MINSIGSTKSZ  51

#endif
