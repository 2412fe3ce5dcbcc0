/*
 * Programs with an interpreter (PT_INTERP), as Linux 6.1 loads them.
 * Both files are made here in /tmp, so the test runs the same on Linux,
 * on our kernel and inside the guest: a program that would exit 42, and
 * an "interpreter" of a few instructions (ld_code below) that reads its
 * auxiliary vector and exits 50 + 1 (AT_BASE is the page it runs in)
 * + 2 (AT_ENTRY - AT_PHDR is the program's entry minus its headers).
 * So 53 says: the kernel started the interpreter, not the program, at an
 * address it told it in AT_BASE, and told it where the program is.
 *
 * The interpreter's segment is writable: Linux 6.1 zeroes the rest of the
 * page where an interpreter's file part ends, and kills the process when
 * that page is read-only (a case below).
 *
 * Then the interpreter is damaged in one way per case, and the exec must
 * end as Linux's: an error from execve itself for what Linux finds before
 * its point of no return (the child exits 100 + errno), death by SIGSEGV
 * for what it finds after.
 */
#include "creds.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <uapi/elf.h>

#define VADDR   0x08048000u
#define CODE_AT 0x100u
#define NAME_AT 0x180u
#define IMAGE   0x200u
#define LD      "/tmp/exec_interp_ld"
#define PROG    "/tmp/exec_interp_prog"

/* The interpreter's code: position-independent, at CODE_AT of its file,
 * which is loaded from file offset 0 (so its first page is AT_BASE). */
extern const char ld_code[], ld_code_end[];
__asm__(".section .rodata\n"
	"ld_code:\n"
	"	movl (%esp), %ecx\n"            /* argc */
	"	leal 8(%esp,%ecx,4), %esi\n"    /* envp[0] */
	"1:	lodsl\n	testl %eax, %eax\n	jnz 1b\n"  /* esi: the auxv */
	"	xorl %edi, %edi\n	xorl %ebp, %ebp\n	xorl %ebx, %ebx\n"
	"2:	lodsl\n	movl %eax, %edx\n	lodsl\n"   /* edx: key, eax: value */
	"	testl %edx, %edx\n	jz 4f\n"
	"	cmpl $7, %edx\n	jne 3f\n	movl %eax, %edi\n"   /* AT_BASE */
	"3:	cmpl $3, %edx\n	jne 5f\n	subl %eax, %ebp\n"   /* AT_PHDR */
	"5:	cmpl $9, %edx\n	jne 2b\n	addl %eax, %ebp\n	jmp 2b\n"  /* AT_ENTRY */
	"4:	call 6f\n"
	"6:	popl %eax\n	andl $0xfffff000, %eax\n"
	"	movl $50, %ebx\n"
	"	cmpl %eax, %edi\n	jne 7f\n	incl %ebx\n"
	"7:	cmpl $0xcc, %ebp\n	jne 8f\n	addl $2, %ebx\n"  /* CODE_AT - 52 */
	"8:	movl $1, %eax\n	int $0x80\n"
	"ld_code_end:\n"
	".text\n");

static uint8_t prog[IMAGE], ld[PAGE];
static size_t ld_len;

static struct elf32_ehdr *eh(uint8_t *b) { return (struct elf32_ehdr *)b; }
static struct elf32_phdr *ph(uint8_t *b, int i) { return (struct elf32_phdr *)(b + 52) + i; }

/* A one-segment ELF image of IMAGE bytes at vaddr, entry at CODE_AT. */
static void elf(uint8_t *b, uint16_t type, uint32_t vaddr, uint32_t flags)
{
	memset(b, 0, IMAGE);
	struct elf32_ehdr *h = eh(b);
	h->e_magic = ELF_MAGIC;
	h->e_class = ELFCLASS32;
	h->e_data = ELFDATA2LSB;
	h->e_version = 1;
	h->e_type = type;
	h->e_machine = EM_386;
	h->e_version2 = 1;
	h->e_entry = vaddr + CODE_AT;
	h->e_phoff = 52;
	h->e_ehsize = 52;
	h->e_phentsize = 32;
	h->e_phnum = 1;
	*ph(b, 0) = (struct elf32_phdr){ PT_LOAD, 0, vaddr, vaddr, IMAGE, IMAGE, flags, PAGE };
}

/* The program: exit(42), with a PT_INTERP naming LD (or name). */
static void make_prog(uint16_t type, const char *name)
{
	static const uint8_t code[] = { 0xb8, 1, 0, 0, 0, 0xbb, 42, 0, 0, 0, 0xcd, 0x80 };
	elf(prog, type, type == ET_DYN ? 0 : VADDR, PF_R | PF_X);
	memcpy(prog + CODE_AT, code, sizeof code);
	uint32_t n = strlen(name) + 1;
	eh(prog)->e_phnum = 2;
	*ph(prog, 1) = (struct elf32_phdr){ PT_INTERP, NAME_AT, 0, 0, n, n, PF_R, 1 };
	memcpy(prog + NAME_AT, name, n);
}

static void write_file(const char *path, const void *b, size_t n, mode_t mode)
{
	int fd;
	CHECK_OK(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0700));
	CHECK_EQ(write(fd, b, n), (long)n);
	CHECK_OK(fchmod(fd, mode));
	CHECK_OK(close(fd));
}

static int child(void *arg)
{
	(void)arg;
	char *argv[] = { PROG, "an argument", NULL };
	char *envp[] = { "A=1", "B=2", NULL };
	execve(PROG, argv, envp);
	_exit(100 + errno);
}

enum { OK = 53 << 8, NO_BASE = 52 << 8 };
#define FAILS(e) ((100 + (e)) << 8)

static void l_good(void) {}
static void l_exec(void) { elf(ld, ET_EXEC, 0x09000000, PF_R | PF_W | PF_X); memcpy(ld + CODE_AT, ld_code, ld_code_end - ld_code); }
static void l_text(void)                /* longer than a header: read, and not ELF */
{
	static const char text[] = "#!/bin/sh\necho this is a script, and not an ELF interpreter\n";
	memcpy(ld, text, sizeof text - 1);
	ld_len = sizeof text - 1;
}
static void l_empty(void) { ld_len = 0; }
static void l_short(void) { ld_len = 40; }
static void l_x86_64(void) { eh(ld)->e_class = 2; eh(ld)->e_machine = 62; }
static void l_arm(void) { eh(ld)->e_machine = 40; }
static void l_phentsize(void) { eh(ld)->e_phentsize = 56; }
static void l_phnum_0(void) { eh(ld)->e_phnum = 0; }
static void l_phoff_beyond(void) { eh(ld)->e_phoff = 0x10000; }
static void l_rel(void) { eh(ld)->e_type = 1; }
static void l_core(void) { eh(ld)->e_type = 4; }
static void l_no_load(void) { ph(ld, 0)->p_type = 0; }
static void l_readonly(void) { ph(ld, 0)->p_flags = PF_R | PF_X; }
static void l_page_end(void) { l_readonly(); ph(ld, 0)->p_filesz = ph(ld, 0)->p_memsz = PAGE; ld_len = PAGE; }
static void l_class64(void) { eh(ld)->e_class = 2; }   /* Linux never reads the class */

static const struct {
	const char *name;
	void (*make)(void);
	mode_t mode;
	int want;
} cases[] = {
	{ "a position-independent interpreter", l_good, 0755, OK },
	{ "an ET_EXEC interpreter (AT_BASE 0)", l_exec, 0755, NO_BASE },
	{ "an interpreter of class 64, i386 otherwise", l_class64, 0755, OK },
	{ "an interpreter read-only where its file part ends", l_readonly, 0755, SIGSEGV },
	{ "a read-only interpreter whose file part ends a page", l_page_end, 0755, OK },
	{ "an interpreter that is a script", l_text, 0755, FAILS(ELIBBAD) },
	{ "an empty interpreter", l_empty, 0755, FAILS(EIO) },
	{ "an interpreter shorter than a header", l_short, 0755, FAILS(EIO) },
	{ "an x86-64 interpreter", l_x86_64, 0755, FAILS(ELIBBAD) },
	{ "an ARM interpreter", l_arm, 0755, FAILS(ELIBBAD) },
	{ "an interpreter with 56-byte program headers", l_phentsize, 0755, FAILS(ELIBBAD) },
	{ "an interpreter with no program headers", l_phnum_0, 0755, FAILS(ELIBBAD) },
	{ "an interpreter whose headers are not in it", l_phoff_beyond, 0755, FAILS(ELIBBAD) },
	{ "an ET_REL interpreter", l_rel, 0755, SIGSEGV },
	{ "an ET_CORE interpreter", l_core, 0755, SIGSEGV },
	{ "an interpreter with nothing to load", l_no_load, 0755, SIGSEGV },
	{ "an interpreter of mode 0644", l_good, 0644, FAILS(EACCES) },
	{ "an interpreter of mode 0", l_good, 0, FAILS(EACCES) },
};

static int run_case(const char *name, int want)
{
	int st = run_child(child, NULL);
	printf("%s: status %#x%s\n", name, st, st == want ? "" : " (WRONG)");
	if (st != want)
		printf("  expected %#x\n", want);
	return st != want;
}

int main(void)
{
	int failed = 0;
	make_prog(ET_EXEC, LD);
	write_file(PROG, prog, IMAGE, 0755);
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		elf(ld, ET_DYN, 0, PF_R | PF_W | PF_X);
		memcpy(ld + CODE_AT, ld_code, ld_code_end - ld_code);
		ld_len = IMAGE;
		cases[i].make();
		write_file(LD, ld, ld_len, cases[i].mode);
		failed += run_case(cases[i].name, cases[i].want);
	}

	/* The good interpreter again, for the cases of the program and the path. */
	elf(ld, ET_DYN, 0, PF_R | PF_W | PF_X);
	memcpy(ld + CODE_AT, ld_code, ld_code_end - ld_code);
	write_file(LD, ld, IMAGE, 0755);

	/* Open for writing: ETXTBSY, as for the program itself. */
	int wfd;
	CHECK_OK(wfd = open(LD, O_WRONLY));
	failed += run_case("an interpreter open for writing", FAILS(ETXTBSY));
	CHECK_OK(close(wfd));

	/* A position-independent program gets its own place, told in AT_ENTRY and AT_PHDR. */
	make_prog(ET_DYN, LD);
	write_file(PROG, prog, IMAGE, 0755);
	failed += run_case("a position-independent program", OK);

	/* Only the first PT_INTERP counts. */
	make_prog(ET_EXEC, LD);
	eh(prog)->e_phnum = 3;
	*ph(prog, 2) = (struct elf32_phdr){ PT_INTERP, NAME_AT + 0x40, 0, 0, 13, 13, PF_R, 1 };
	memcpy(prog + NAME_AT + 0x40, "/tmp/nothing", 13);
	write_file(PROG, prog, IMAGE, 0755);
	failed += run_case("a second PT_INTERP naming no file", OK);
	*ph(prog, 1) = *ph(prog, 2);
	*ph(prog, 2) = (struct elf32_phdr){ PT_INTERP, NAME_AT, 0, 0, sizeof LD, sizeof LD, PF_R, 1 };
	write_file(PROG, prog, IMAGE, 0755);
	failed += run_case("a first PT_INTERP naming no file", FAILS(ENOENT));

	/* The interpreter's path is walked with the caller's permissions. */
	make_prog(ET_EXEC, "/tmp/exec_interp_dir/ld");
	write_file(PROG, prog, IMAGE, 0755);
	CHECK_OK(mkdir("/tmp/exec_interp_dir", 0700));
	write_file("/tmp/exec_interp_dir/ld", ld, IMAGE, 0755);
	failed += run_case("an interpreter in a root-only directory, as root", OK);
	pid_t pid;
	CHECK_OK(pid = fork());
	if (pid == 0) {
		drop_to(USER, GROUP, 0, NULL);
		_exit(run_case("the same, as uid 1000", FAILS(EACCES)));
	}
	CHECK_EQ(wait_status(pid), 0);
	CHECK_OK(unlink("/tmp/exec_interp_dir/ld"));
	CHECK_OK(rmdir("/tmp/exec_interp_dir"));

	CHECK_OK(unlink(LD));
	CHECK_OK(unlink(PROG));
	CHECK_EQ(failed, 0);
	return 0;
}
