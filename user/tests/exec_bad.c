/*
 * Malformed executables.  Each file is made here, at run time, in /tmp
 * (so the same test runs on Linux, on our kernel and inside the guest):
 * a minimal static i386 program that exits with 42, then damaged in one
 * way.  A child execs it; what must happen is what Linux 6.1 does:
 *
 *   - an error that Linux finds before it lets go of the old program:
 *     execve fails with exactly its error, and the child goes on (it
 *     exits with 100 + errno);
 *   - an error that Linux finds after that point (its begin_new_exec):
 *     the process dies of SIGSEGV, as Linux kills it then;
 *   - a program Linux starts (an odd header it does not care about, an
 *     entry point where nothing is) runs, and exits 42 or dies of the
 *     fault it meets, as on Linux.
 *
 * Whatever the file, the kernel lives on, and so does this parent.  The
 * cases are the table below: each names what it damages and the wait
 * status it must end with.  The image they start from: the header at 0,
 * the program headers at 52, the code at 0x100, one PT_LOAD of the first
 * 0x200 bytes at 0x08048000.  Last come paths that are no files at all.
 */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <uapi/elf.h>

#define VADDR   0x08048000u
#define CODE_AT 0x100u
#define IMAGE   0x200u          /* the file, unless a case changes it */
#define MAXLEN  (2 * PAGE + 0x1000)

static uint8_t buf[MAXLEN];
static size_t len;

static struct elf32_ehdr *eh(void) { return (struct elf32_ehdr *)buf; }
static struct elf32_phdr *ph(int i) { return (struct elf32_phdr *)(buf + 52) + i; }

/* The program: exit(42), as the first thing it does. */
static void image(void)
{
	static const uint8_t code[] = {
		0xb8, 1, 0, 0, 0,               /* movl $1, %eax (exit) */
		0xbb, 42, 0, 0, 0,              /* movl $42, %ebx */
		0xcd, 0x80,                     /* int $0x80 */
	};
	memset(buf, 0, sizeof buf);
	struct elf32_ehdr *h = eh();
	h->e_magic = ELF_MAGIC;
	h->e_class = ELFCLASS32;
	h->e_data = ELFDATA2LSB;
	h->e_version = 1;
	h->e_type = ET_EXEC;
	h->e_machine = EM_386;
	h->e_version2 = 1;
	h->e_entry = VADDR + CODE_AT;
	h->e_phoff = 52;
	h->e_ehsize = 52;
	h->e_phentsize = 32;
	h->e_phnum = 1;
	*ph(0) = (struct elf32_phdr){ PT_LOAD, 0, VADDR, VADDR, IMAGE, IMAGE, PF_R | PF_X, PAGE };
	memcpy(buf + CODE_AT, code, sizeof code);
	len = IMAGE;
}

/* A second program header, n in all (the rest PT_NULL). */
static void phnum(int n)
{
	eh()->e_phnum = n;
	if (52 + 32 * (uint32_t)n > CODE_AT) {            /* move the headers after the code */
		eh()->e_phoff = IMAGE;
		memmove(buf + IMAGE, buf + 52, 32);
		memset(buf + 52, 0, 32);
		len = IMAGE + 32 * (uint32_t)n;
		if (len > MAXLEN)
			len = MAXLEN;
		((struct elf32_phdr *)(buf + IMAGE))->p_filesz = len;
		((struct elf32_phdr *)(buf + IMAGE))->p_memsz = len;
	}
}

enum { RUNS = 42 << 8 };
#define FAILS(e) ((100 + (e)) << 8)
#define KILLED(s) (s)

static void c_good(void) {}
static void c_empty(void) { len = 0; }
static void c_magic_only(void) { len = 4; }
static void c_truncated_header(void) { len = 40; }
static void c_header_only(void) { len = 52; }
static void c_header_big(void) { eh()->e_ehsize = 0xffff; eh()->e_shoff = 0xfffffff0; eh()->e_shnum = 0xffff; }
static void c_phnum_0(void) { eh()->e_phnum = 0; }
static void c_phnum_huge(void) { eh()->e_phnum = 0xffff; }
static void c_phnum_128(void) { phnum(128); }
static void c_phnum_129(void) { phnum(129); }
static void c_phentsize_0(void) { eh()->e_phentsize = 0; }
static void c_phentsize_56(void) { eh()->e_phentsize = 56; }
static void c_phoff_beyond(void) { eh()->e_phoff = 0x10000; }
static void c_phoff_wraps(void) { eh()->e_phoff = 0xfffffff0; }
static void c_phdrs_cut(void) { eh()->e_phoff = IMAGE - 16; }
static void c_overlap(void) { eh()->e_phnum = 2; *ph(1) = *ph(0); }
static void c_overlap_bss_after(void)
{
	eh()->e_phnum = 2;
	*ph(1) = (struct elf32_phdr){ PT_LOAD, 0, VADDR, VADDR, IMAGE, 0x2000, PF_R | PF_W | PF_X, PAGE };
}
static void c_overlap_bss_over(void)
{
	eh()->e_phnum = 2;
	*ph(1) = (struct elf32_phdr){ PT_LOAD, 0, VADDR, VADDR, 0x80, 0x2000, PF_R | PF_W | PF_X, PAGE };
}
static void c_seg_kernel(void)
{
	eh()->e_phnum = 2;
	*ph(1) = (struct elf32_phdr){ PT_LOAD, 0, 0xc0000000, 0, IMAGE, IMAGE, PF_R, PAGE };
}
static void c_seg_crosses(void)
{
	eh()->e_phnum = 2;
	*ph(1) = (struct elf32_phdr){ PT_LOAD, 0, 0xbffff000, 0, IMAGE, 0x2000, PF_R | PF_W, PAGE };
}
static void c_seg_wraps(void)
{
	eh()->e_phnum = 2;
	*ph(1) = (struct elf32_phdr){ PT_LOAD, 0, 0xfffff000, 0, IMAGE, 0x2000, PF_R | PF_W, PAGE };
}
static void c_entry_kernel(void) { eh()->e_entry = 0xc0000000; }
static void c_entry_top(void) { eh()->e_entry = 0xffffffff; }
static void c_entry_nowhere(void) { eh()->e_entry = 0x1000; }
static void c_filesz_gt_memsz(void) { ph(0)->p_memsz = 0x100; }
static void c_offset_beyond(void) { ph(0)->p_offset = 0x10000; ph(0)->p_vaddr = VADDR + 0x10000; eh()->e_entry += 0x10000; }
static void c_offset_beyond_bss(void)
{
	c_offset_beyond();
	ph(0)->p_memsz = 0x2000;
	ph(0)->p_flags |= PF_W;
}
static void c_offset_misaligned(void) { ph(0)->p_offset = 0x10; }
static void c_memsz_huge(void) { ph(0)->p_memsz = 0xfffff000; }
static void c_memsz_top(void) { ph(0)->p_memsz = 0xc0000000 - VADDR + 1; }
static void c_no_load(void) { ph(0)->p_type = 0; }
static void c_at_zero(void) { ph(0)->p_vaddr = 0; eh()->e_entry = CODE_AT; }
static void c_congruent(void) { ph(0)->p_offset = 0x10; ph(0)->p_vaddr = VADDR + 0x10; ph(0)->p_filesz -= 0x10; ph(0)->p_memsz -= 0x10; }
static void c_dyn(void) { eh()->e_type = ET_DYN; }
/* A PT_INTERP naming s (n bytes of it, from file offset at). */
static void interp(const char *s, uint32_t n, uint32_t at)
{
	eh()->e_phnum = 2;
	*ph(1) = (struct elf32_phdr){ PT_INTERP, at, 0, 0, n, n, PF_R, 1 };
	if (at + n <= IMAGE)
		memcpy(buf + at, s, n);
}
static void c_interp_missing(void) { interp("/tmp/exec_bad_no_ld.so", 23, 0x180); }
static void c_interp_unterminated(void) { interp("/tmp/exec_bad_no_ld.so", 22, 0x180); }
static void c_interp_short(void) { interp("/", 1, 0x180); }
static void c_interp_beyond(void) { interp("/tmp/x", 7, 0x1000); }
static void c_interp_dir(void) { interp("/tmp", 5, 0x180); }
static void c_not_elf(void) { memcpy(buf, "hello, world\n", 13); len = 13; }
static void c_elf64(void) { eh()->e_class = 2; eh()->e_machine = 62; }
static void c_class64_i386(void) { eh()->e_class = 2; }
static void c_big_endian(void) { eh()->e_data = 2; }
static void c_arm(void) { eh()->e_machine = 40; }
static void c_i486(void) { eh()->e_machine = 6; }
static void c_core(void) { eh()->e_type = 4; }
static void c_rel(void) { eh()->e_type = 1; }

static const struct exec_case {
	const char *name;
	void (*make)(void);
	int mode;               /* the file's permissions */
	int want;               /* the child's wait status */
} cases[] = {
	{ "a good program", c_good, 0755, RUNS },
	{ "an empty file", c_empty, 0755, FAILS(ENOEXEC) },
	{ "the magic number only", c_magic_only, 0755, FAILS(ENOEXEC) },
	{ "a header cut short", c_truncated_header, 0755, FAILS(ENOEXEC) },
	{ "the header only", c_header_only, 0755, FAILS(ENOEXEC) },
	{ "e_ehsize and section headers absurd", c_header_big, 0755, RUNS },
	{ "e_phnum 0", c_phnum_0, 0755, FAILS(ENOEXEC) },
	{ "e_phnum 0xffff", c_phnum_huge, 0755, FAILS(ENOEXEC) },
	{ "e_phnum 128 (4096 bytes)", c_phnum_128, 0755, RUNS },
	{ "e_phnum 129", c_phnum_129, 0755, FAILS(ENOEXEC) },
	{ "e_phentsize 0", c_phentsize_0, 0755, FAILS(ENOEXEC) },
	{ "e_phentsize 56", c_phentsize_56, 0755, FAILS(ENOEXEC) },
	{ "program headers beyond the file", c_phoff_beyond, 0755, FAILS(ENOEXEC) },
	{ "e_phoff wraps", c_phoff_wraps, 0755, FAILS(ENOEXEC) },
	{ "program headers cut by the end of the file", c_phdrs_cut, 0755, FAILS(ENOEXEC) },
	{ "two identical segments", c_overlap, 0755, RUNS },
	{ "a segment over another, its bss after the code", c_overlap_bss_after, 0755, RUNS },
	{ "a segment over another, its bss over the code", c_overlap_bss_over, 0755, KILLED(SIGSEGV) },
	{ "a segment in the kernel half", c_seg_kernel, 0755, KILLED(SIGSEGV) },
	{ "a segment across 0xc0000000", c_seg_crosses, 0755, KILLED(SIGSEGV) },
	{ "a segment that wraps", c_seg_wraps, 0755, KILLED(SIGSEGV) },
	{ "the entry in the kernel half", c_entry_kernel, 0755, KILLED(SIGSEGV) },
	{ "the entry at 0xffffffff", c_entry_top, 0755, KILLED(SIGSEGV) },
	{ "the entry where nothing is", c_entry_nowhere, 0755, KILLED(SIGSEGV) },
	{ "p_filesz > p_memsz", c_filesz_gt_memsz, 0755, KILLED(SIGSEGV) },
	{ "p_offset beyond the file", c_offset_beyond, 0755, KILLED(SIGBUS) },
	{ "p_offset beyond the file, with bss", c_offset_beyond_bss, 0755, KILLED(SIGBUS) },
	{ "p_offset not congruent to p_vaddr", c_offset_misaligned, 0755, KILLED(SIGSEGV) },
	{ "p_memsz 0xfffff000", c_memsz_huge, 0755, KILLED(SIGSEGV) },
	{ "p_memsz one past user space", c_memsz_top, 0755, KILLED(SIGSEGV) },
	{ "no PT_LOAD", c_no_load, 0755, KILLED(SIGSEGV) },
	{ "a segment at address 0", c_at_zero, 0755, RUNS },
	{ "a segment at an offset congruent to its address", c_congruent, 0755, RUNS },
	{ "type ET_DYN", c_dyn, 0755, RUNS },
	{ "PT_INTERP naming no file", c_interp_missing, 0755, FAILS(ENOENT) },
	{ "PT_INTERP without its NUL", c_interp_unterminated, 0755, FAILS(ENOEXEC) },
	{ "PT_INTERP of one byte", c_interp_short, 0755, FAILS(ENOEXEC) },
	{ "PT_INTERP beyond the file", c_interp_beyond, 0755, FAILS(EIO) },
	{ "PT_INTERP naming a directory", c_interp_dir, 0755, FAILS(EACCES) },
	{ "not ELF", c_not_elf, 0755, FAILS(ENOEXEC) },
	{ "a 64-bit x86-64 header", c_elf64, 0755, FAILS(ENOEXEC) },
	{ "class 64, i386 otherwise", c_class64_i386, 0755, RUNS },
	{ "big-endian, i386 otherwise", c_big_endian, 0755, RUNS },
	{ "machine ARM", c_arm, 0755, FAILS(ENOEXEC) },
	{ "machine i486", c_i486, 0755, RUNS },
	{ "type ET_CORE", c_core, 0755, FAILS(ENOEXEC) },
	{ "type ET_REL", c_rel, 0755, FAILS(ENOEXEC) },
	{ "a good program, mode 0644", c_good, 0644, FAILS(EACCES) },
	{ "a good program, mode 0", c_good, 0, FAILS(EACCES) },
};

static const char *exec_path;
static int child(void *arg)
{
	(void)arg;
	char *argv[] = { (char *)exec_path, NULL };
	char *envp[] = { NULL };
	execve(exec_path, argv, envp);
	_exit(100 + errno);
}

static int run(const char *path)
{
	exec_path = path;
	return run_child(child, NULL);
}

int main(void)
{
	int failed = 0;
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct exec_case *c = &cases[i];
		image();
		c->make();
		int fd;
		CHECK_OK(fd = open("/tmp/exec_bad", O_WRONLY | O_CREAT | O_TRUNC, 0700));
		CHECK_EQ(write(fd, buf, len), (long)len);
		CHECK_OK(fchmod(fd, c->mode));
		CHECK_OK(close(fd));
		int st = run("/tmp/exec_bad");
		printf("%s: status %#x%s\n", c->name, st, st == c->want ? "" : " (WRONG)");
		if (st != c->want) {
			printf("  expected %#x\n", c->want);
			failed++;
		}
		CHECK_OK(unlink("/tmp/exec_bad"));
	}
	/* Not files at all. */
	CHECK_EQ(run("/tmp"), FAILS(EACCES));
	CHECK_EQ(run("/tmp/"), FAILS(EACCES));
	CHECK_EQ(run("/tmp/exec_bad_none"), FAILS(ENOENT));
	CHECK_EQ(run("/dev/null"), FAILS(EACCES));
	CHECK_EQ(failed, 0);
	return 0;
}
