/*
 * The ELF loader of execve (exec.c): the program's segments, and for a
 * dynamically linked program (PT_INTERP) its interpreter's too, mapped
 * into the new address space as the host kernel's loader
 * (kernel/exec_elf.c) maps them.  The rules, and which error each step
 * gives, are <lib/elf_rules.h>'s, shared with the host.
 *
 * Segments are private mappings of the file, as mmap makes them
 * (filemap.c): pages come when touched, a page beyond the end of the
 * file is SIGBUS, a later segment over an earlier one replaces it.
 * Everything is checked and mapped before execve's point of no return;
 * what Linux finds wrong only after it (and kills the process for) is
 * -EXEC_KILLED here, which exec.c turns into that death (exec_killed).
 */
#include "uml.h"
#include "sys.h"
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <uapi/elf.h>
#include <lib/elf_rules.h>

#define PHDRS_MAX       (ELF_PHDRS_MAX / sizeof(struct elf32_phdr))

static const uint8_t zeros[PAGE];

/* An ELF file's header and program header table. */
struct elf_file {
	int fd;                         /* ours; -1: none */
	uint64_t size;                  /* the file's, for the SIGBUS pages */
	struct elf32_ehdr h;
	struct elf32_phdr *ph;          /* h.e_phnum of them */
};

static long pread_at(int fd, void *buf, uint32_t n, uint32_t pos)
{
	return __syscall5(__NR_pread64, fd, buf, n, pos, 0);
}

/* Read e's header and table.  The program's faults are all ENOEXEC; an
 * interpreter's are EIO (a short header) and ELIBBAD (the rest). */
static int read_headers(struct elf_file *e, int interp)
{
	long r = pread_at(e->fd, &e->h, sizeof e->h, 0);
	if (r != sizeof e->h)
		return !interp ? -ENOEXEC : r < 0 ? (int)r : -EIO;
	if (interp ? elf_check_interp(&e->h) : elf_check_program(&e->h))
		return interp ? -ELIBBAD : -ENOEXEC;
	uint32_t table = elf_table_size(&e->h);
	if (pread_at(e->fd, e->ph, table, e->h.e_phoff) != (long)table)
		return interp ? -ELIBBAD : -ENOEXEC;    /* not all in the file */
	return 0;
}

/*
 * Open the interpreter a PT_INTERP names (relative to the current
 * directory, as Linux's open_exec), as execve opens a program: the
 * directories on the way searchable and the file executable for the
 * guest's ids (perm.c), a regular file with an x bit (EACCES, even for
 * root), not open for writing by a guest process (ETXTBSY: Linux denies
 * writes while it loads it, then allows them again, so that is all that
 * shows); then read its headers.  0 with interp filled in, or -errno.
 */
static int open_interp(struct proc *p, const struct elf_file *prog, const struct elf32_phdr *ph,
                       struct elf_file *interp)
{
	static char name[ELF_INTERP_NAME_MAX], abs[PATH_MAX_], host[PATH_MAX_];
	int err = elf_check_interp_size(ph);
	if (err)
		return err;
	long r = pread_at(prog->fd, name, ph->p_filesz, ph->p_offset);
	if (r != (long)ph->p_filesz)
		return r < 0 ? (int)r : -EIO;
	if (name[ph->p_filesz - 1])
		return -ENOEXEC;
	err = path_host_of(p, name, abs, host, sizeof host);      /* search permission too */
	if (err)
		return err;
	/* O_NONBLOCK: a FIFO's open must not wait for a writer (with the
	 * whole guest); it is EACCES just below. */
	int fd = __syscall3(__NR_open, host, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
	if (fd < 0)
		return fd;
	struct stat64 st;
	err = __syscall2(__NR_fstat64, fd, &st);
	if (!err)
		err = guest_permission(p, &st, 1);
	if (!err && (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)))
		err = -EACCES;
	if (!err)
		err = busy_written(st.st_dev, st.st_ino);
	interp->fd = fd;
	interp->size = st.st_size;
	if (!err)
		err = read_headers(interp, 1);
	if (err) {
		close(fd);
		interp->fd = -1;
	}
	return err;
}

/*
 * Map one PT_LOAD segment at bias: the file's pages privately, then
 * zeroed memory up to p_memsz.  What Linux cannot map (it finds out after
 * the point of no return) is -EXEC_KILLED.
 */
static int load_segment(struct mm *mm, const struct elf_file *e, const struct elf32_phdr *ph, uint32_t bias)
{
	uint32_t vaddr = ph->p_vaddr + bias;
	if (ph->p_filesz > ph->p_memsz || (ph->p_offset & (PAGE - 1)) != (vaddr & (PAGE - 1)) ||
	    vaddr + ph->p_memsz < vaddr || vaddr + ph->p_memsz > MMAP_TOP)
		return -EXEC_KILLED;
	int prot = ((ph->p_flags & PF_R) ? PROT_READ : 0) | ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
	           ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
	uint32_t start = PAGE_DOWN(vaddr), file_end = vaddr + ph->p_filesz;
	uint32_t mem_end = PAGE_UP(vaddr + ph->p_memsz), anon_start = start;
	if (ph->p_filesz) {
		anon_start = PAGE_UP(file_end);
		vma_remove(mm, start, anon_start);      /* over an earlier segment: replaces it */
		struct vma *v = vma_add(mm, start, anon_start, prot, VMA_FILE);
		if (!v)
			return -ENOMEM;
		v->fm = fmap_new(e->fd, 0);
		v->pgoff = ph->p_offset / PAGE;
		if (!v->fm)
			return -ENOMEM;
		/* The rest of the last file page is .bss: zeros.  Unless the
		 * page is beyond the end of the file: it is SIGBUS, as on Linux. */
		uint32_t tail = anon_start - file_end;
		int in_file = PAGE_DOWN(ph->p_offset + ph->p_filesz - 1) < e->size;
		if (tail && ph->p_memsz > ph->p_filesz && (prot & PROT_WRITE) && in_file) {
			if (copy_to_mm(mm, file_end, zeros, tail))
				return -ENOMEM;
		}
	}
	if (mem_end > anon_start) {
		vma_remove(mm, anon_start, mem_end);
		if (!vma_add(mm, anon_start, mem_end, prot, 0))
			return -ENOMEM;
	}
	return 0;
}

/* Map the program's segments at its bias; note in mm where its code and
 * data are (Linux's start_code... for /proc) and in img where its entry,
 * program headers and break are. */
static int load_program(struct mm *mm, const struct elf_file *e, struct exec_image *img)
{
	const struct elf32_ehdr *h = &e->h;
	const struct elf32_phdr *ph = e->ph;
	uint32_t bias = elf_program_bias(h, ph);
	struct mm_layout *l = &mm->layout;
	/* Nothing to load is no error: the program starts where nothing is,
	 * and faults, as on Linux. */
	img->entry = h->e_entry + bias;
	img->phnum = h->e_phnum;
	img->phdr = img->brk = 0;
	for (int i = 0; i < h->e_phnum; i++) {
		if (ph[i].p_type == PT_PHDR)
			img->phdr = ph[i].p_vaddr + bias;
		if (ph[i].p_type != PT_LOAD)
			continue;
		int err = load_segment(mm, e, &ph[i], bias);
		if (err)
			return err;
		/* Linux's start_code/end_code: the executable segments' file
		 * parts; start_data/end_data: the writable ones'. */
		uint32_t at = ph[i].p_vaddr + bias;
		if ((ph[i].p_flags & PF_X) && (!l->start_code || at < l->start_code))
			l->start_code = at;
		if ((ph[i].p_flags & PF_X) && at + ph[i].p_filesz > l->end_code)
			l->end_code = at + ph[i].p_filesz;
		if ((ph[i].p_flags & PF_W) && (!l->start_data || at < l->start_data))
			l->start_data = at;
		if ((ph[i].p_flags & PF_W) && at + ph[i].p_filesz > l->end_data)
			l->end_data = at + ph[i].p_filesz;
		/* The program headers, if this segment carries them. */
		if (!img->phdr && h->e_phoff >= ph[i].p_offset && h->e_phoff < ph[i].p_offset + ph[i].p_filesz)
			img->phdr = at + (h->e_phoff - ph[i].p_offset);
		uint32_t end = PAGE_UP(at + ph[i].p_memsz);
		if (end > img->brk)
			img->brk = end;
	}
	return 0;
}

/* Map the interpreter, after the point of no return: an ET_DYN one as
 * one block wherever mmap would put it (vma_free_area: the highest free
 * gap below MMAP_TOP), an ET_EXEC one at its addresses.  Sets img->base
 * and img->start. */
static int map_interp(struct mm *mm, const struct elf_file *e, struct exec_image *img)
{
	uint32_t lowest, span = elf_span(e->ph, e->h.e_phnum, &lowest), bias = 0;
	if (!elf_interp_type_ok(&e->h) || !span)
		return -EXEC_KILLED;
	if (e->h.e_type == ET_DYN) {
		uint32_t at = vma_free_area(mm, span);
		if (!at)
			return -EXEC_KILLED;
		bias = at - lowest;
	}
	for (int i = 0; i < e->h.e_phnum; i++) {
		if (e->ph[i].p_type != PT_LOAD)
			continue;
		int err = load_segment(mm, e, &e->ph[i], bias);
		if (err)
			return err;
	}
	/* Linux 6.1 then zeroes the rest of the page where the file part
	 * ends highest (load_elf_interp's padzero), and kills the process
	 * when that page cannot be written. */
	uint32_t file_end = elf_file_end(e->ph, e->h.e_phnum) + bias;
	uint32_t tail = PAGE_UP(file_end) - file_end;
	if (tail) {
		struct vma *v = vma_find(mm, file_end);
		if (!v || !(v->prot & PROT_WRITE))
			return -EXEC_KILLED;
		if (copy_to_mm(mm, file_end, zeros, tail))
			return -ENOMEM;
	}
	img->base = e->h.e_type == ET_DYN ? bias : 0;
	img->start = e->h.e_entry + bias;
	return 0;
}

int exec_load_elf(struct proc *p, struct mm *mm, int fd, uint64_t file_size, struct exec_image *img)
{
	static struct elf32_phdr prog_ph[PHDRS_MAX], interp_ph[PHDRS_MAX];
	struct elf_file prog = { .fd = fd, .size = file_size, .ph = prog_ph };
	struct elf_file interp = { .fd = -1, .ph = interp_ph };
	int err = read_headers(&prog, 0);
	for (int i = 0; !err && i < prog.h.e_phnum; i++)
		if (prog.ph[i].p_type == PT_INTERP) {   /* the first one counts */
			err = open_interp(p, &prog, &prog.ph[i], &interp);
			break;
		}
	img->base = 0;
	if (!err) {
		err = load_program(mm, &prog, img);
		img->start = img->entry;        /* without an interpreter */
	}
	if (!err && interp.fd >= 0)
		err = map_interp(mm, &interp, img);
	if (interp.fd >= 0)
		close(interp.fd);
	return err;
}
