/*
 * The ELF loader of execve: the program's segments, and for a dynamically
 * linked program (PT_INTERP) its interpreter's too, mapped into a new
 * address space with the stack area above them.  The rules, and which
 * error each step gives, are <lib/elf_rules.h>'s, shared with the guest.
 *
 * Everything is checked and mapped before execve's point of no return;
 * what Linux finds wrong only after it (and kills the process for) is
 * -EXEC_KILLED here, which do_execve turns into that death.
 */
#include <kernel/exec.h>
#include <kernel/heap.h>
#include <kernel/layout.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <lib/elf_rules.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>
#include <uapi/resource.h>
#include <uapi/stat.h>

#define PAGE_DOWN(a)	((a) & ~(uint32_t)(PAGE_SIZE - 1))
#define PAGE_UP(a)	(((a) + PAGE_SIZE - 1) & ~(uint32_t)(PAGE_SIZE - 1))

static const uint8_t zeros[PAGE_SIZE];

/* An ELF file's header and program header table. */
struct elf_file {
	struct file *f;
	struct elf32_ehdr h;
	struct elf32_phdr *ph;	/* kmalloc'd, h.e_phnum of them */
};

static int read_exact(struct file *f, void *buf, size_t n, uint32_t pos, int short_err)
{
	long r = vfs_read_at(f, buf, n, pos);
	return r == (long)n ? 0 : (r < 0 ? (int)r : short_err);
}

/* Read f's header and table.  The program's faults are all ENOEXEC; an
 * interpreter's are EIO (a short header) and ELIBBAD (the rest). */
static int read_headers(struct elf_file *e, struct file *f, bool interp)
{
	e->f = f;
	e->ph = 0;
	int err = read_exact(f, &e->h, sizeof e->h, 0, interp ? -EIO : -ENOEXEC);
	if (!err)
		err = interp ? elf_check_interp(&e->h) : elf_check_program(&e->h);
	if (err)
		return interp || err == -ENOMEM ? err : -ENOEXEC;
	uint32_t table = elf_table_size(&e->h);
	if (!(e->ph = kmalloc(table)))
		return -ENOMEM;
	if (read_exact(f, e->ph, table, e->h.e_phoff, -1)) {
		kfree(e->ph);
		e->ph = 0;
		return interp ? -ELIBBAD : -ENOEXEC;	/* not all in the file */
	}
	return 0;
}

/*
 * Open the interpreter the first PT_INTERP names, as execve opens a
 * program (search and x permission, a regular file, not open for
 * writing), and read its headers.  0 with *interp filled in, or -errno.
 */
static int open_interp(struct elf_file *prog, const struct elf32_phdr *ph, struct elf_file *interp)
{
	int err = elf_check_interp_size(ph);
	if (err)
		return err;
	char *name = kmalloc(ph->p_filesz);
	if (!name)
		return -ENOMEM;
	err = read_exact(prog->f, name, ph->p_filesz, ph->p_offset, -EIO);
	if (!err && name[ph->p_filesz - 1])
		err = -ENOEXEC;
	struct file *f = 0;
	if (!err)
		err = vfs_open(name, O_RDONLY | O_KEXEC, 0, &f);
	kfree(name);
	if (err)
		return err;
	uint32_t mode = inode_mode(f->inode);
	if (!S_ISREG(mode) || !(mode & 0111))
		err = -EACCES;
	/* Linux denies writes while it loads the interpreter, then allows
	 * them again: all that shows is ETXTBSY if it is open for writing. */
	if (!err && !(err = inode_deny_write(f->inode)))
		inode_allow_write(f->inode);
	if (!err)
		err = read_headers(interp, f, true);
	if (err)
		file_put(f);
	return err;
}

/*
 * Map one PT_LOAD segment: file pages privately, then zeroed memory up to
 * p_memsz.  A segment Linux would fail to map (it finds that only after
 * the point of no return) is -EXEC_KILLED.
 */
static int map_segment(struct mm *mm, struct inode *inode, const struct elf32_phdr *ph, uint32_t bias)
{
	uint32_t vaddr = ph->p_vaddr + bias;
	uint32_t prot = (ph->p_flags & PF_R ? PROT_READ : 0) | (ph->p_flags & PF_W ? PROT_WRITE : 0) |
			(ph->p_flags & PF_X ? PROT_EXEC : 0);
	if (ph->p_filesz > ph->p_memsz || (ph->p_offset & (PAGE_SIZE - 1)) != (vaddr & (PAGE_SIZE - 1)) ||
	    vaddr + ph->p_memsz < vaddr || vaddr + ph->p_memsz > MMAP_TOP)
		return -EXEC_KILLED;
	uint32_t start = PAGE_DOWN(vaddr);
	uint32_t file_end = vaddr + ph->p_filesz;
	uint32_t mem_end = PAGE_UP(vaddr + ph->p_memsz);
	if (ph->p_filesz) {
		long r = mm_map(mm, start, PAGE_UP(file_end) - start, prot, MAP_PRIVATE | MAP_FIXED,
				inode, ph->p_offset / PAGE_SIZE);
		if (mm_is_err(r))
			return (int)r;
		/* The rest of the last file page is .bss: it must read as zeros.
		 * Unless that page lies beyond the end of the file: then there is
		 * nothing to clear, and touching it is SIGBUS, as on Linux. */
		uint32_t tail = PAGE_UP(file_end) - file_end;
		bool in_file = PAGE_DOWN(ph->p_offset + ph->p_filesz - 1) < inode_size(inode);
		if (tail && ph->p_memsz > ph->p_filesz && (prot & PROT_WRITE) && in_file) {
			if (mm_write(mm, file_end, zeros, tail))
				return -ENOMEM;
		}
	}
	uint32_t anon_start = PAGE_UP(file_end) > start && ph->p_filesz ? PAGE_UP(file_end) : start;
	if (mem_end > anon_start) {
		long r = mm_map(mm, anon_start, mem_end - anon_start, prot,
				MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, 0, 0);
		if (mm_is_err(r))
			return (int)r;
	}
	return 0;
}

/* Map the program's segments at bias; note in mm where its code, data
 * and break are (Linux's start_code.. end_data, brk) and in img where
 * its entry and program headers are. */
static int map_program(struct mm *mm, const struct elf_file *e, uint32_t bias, struct exec_image *img)
{
	const struct elf32_ehdr *h = &e->h;
	const struct elf32_phdr *ph = e->ph;
	uint32_t brk = 0, phdr = 0;
	for (int i = 0; i < h->e_phnum; i++) {
		if (ph[i].p_type == PT_PHDR)
			phdr = ph[i].p_vaddr + bias;
		if (ph[i].p_type != PT_LOAD)
			continue;
		int err = map_segment(mm, e->f->inode, &ph[i], bias);
		if (err)
			return err;
		/* Linux's start_code/end_code: the executable segment's file
		 * part; start_data/end_data: the writable one's. */
		uint32_t at = ph[i].p_vaddr + bias;
		if ((ph[i].p_flags & PF_X) && (!mm->start_code || at < mm->start_code))
			mm->start_code = at;
		if ((ph[i].p_flags & PF_X) && at + ph[i].p_filesz > mm->end_code)
			mm->end_code = at + ph[i].p_filesz;
		if ((ph[i].p_flags & PF_W) && (!mm->start_data || at < mm->start_data))
			mm->start_data = at;
		if ((ph[i].p_flags & PF_W) && at + ph[i].p_filesz > mm->end_data)
			mm->end_data = at + ph[i].p_filesz;
		uint32_t end = PAGE_UP(at + ph[i].p_memsz);
		if (end > brk)
			brk = end;
		/* Without PT_PHDR: the headers are wherever the segment holding them lands. */
		if (!phdr && ph[i].p_offset <= h->e_phoff &&
		    h->e_phoff + h->e_phnum * sizeof ph[0] <= ph[i].p_offset + ph[i].p_filesz)
			phdr = at + (h->e_phoff - ph[i].p_offset);
	}
	mm->brk_start = mm->brk = brk;
	/* Nothing to load is no error: the program starts where nothing is,
	 * and faults, as on Linux. */
	img->entry = h->e_entry + bias;
	img->phdr = phdr;
	img->phnum = h->e_phnum;
	return 0;
}

/* Map the interpreter: an ET_DYN one as one block wherever mmap would put
 * it, an ET_EXEC one at its addresses.  Sets img->base and img->start. */
static int map_interp(struct mm *mm, const struct elf_file *e, struct exec_image *img)
{
	uint32_t lowest, span = elf_span(e->ph, e->h.e_phnum, &lowest), bias = 0;
	if (!elf_interp_type_ok(&e->h) || !span)
		return -EXEC_KILLED;
	if (e->h.e_type == ET_DYN) {
		uint32_t at = mm_free_area(mm, 0, span);
		if (!at)
			return -EXEC_KILLED;
		bias = at - lowest;
	}
	for (int i = 0; i < e->h.e_phnum; i++) {
		if (e->ph[i].p_type != PT_LOAD)
			continue;
		int err = map_segment(mm, e->f->inode, &e->ph[i], bias);
		if (err)
			return err == -ENOMEM ? err : -EXEC_KILLED;
	}
	/* Linux 6.1 then zeroes the rest of the page where the file part
	 * ends highest (load_elf_interp's padzero), and kills the process
	 * when that page cannot be written. */
	uint32_t file_end = elf_file_end(e->ph, e->h.e_phnum) + bias;
	uint32_t tail = PAGE_UP(file_end) - file_end;
	if (tail) {
		struct vma *v = vma_find(mm, file_end);
		if (!v || v->start > file_end || !(v->prot & PROT_WRITE))
			return -EXEC_KILLED;
		if (mm_write(mm, file_end, zeros, tail))
			return -ENOMEM;
	}
	img->base = e->h.e_type == ET_DYN ? bias : 0;
	img->start = e->h.e_entry + bias;
	return 0;
}

int exec_load_elf(struct file *f, struct mm **mmp, struct exec_image *img)
{
	struct elf_file prog, interp = { 0 };
	int err = read_headers(&prog, f, false);
	if (err)
		return err;
	for (int i = 0; i < prog.h.e_phnum; i++)
		if (prog.ph[i].p_type == PT_INTERP) {	/* the first one counts */
			err = open_interp(&prog, &prog.ph[i], &interp);
			break;
		}
	struct mm *mm = err ? 0 : mm_create();
	if (!err && !mm)
		err = -ENOMEM;
	img->base = 0;
	if (!err)
		err = map_program(mm, &prog, elf_program_bias(&prog.h, prog.ph), img);
	if (!err) {
		long r = mm_map(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
				PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, 0, 0);
		if (mm_is_err(r))
			err = (int)r;
		else
			vma_find(mm, USER_STACK_TOP - 1)->flags |= VMA_STACK;
		mm_set_stack_limit(mm, current->rlimits[RLIMIT_STACK].cur);
	}
	img->start = img->entry;
	if (!err && interp.ph)
		err = map_interp(mm, &interp, img);
	kfree(prog.ph);
	if (interp.ph) {
		kfree(interp.ph);
		file_put(interp.f);
	}
	if (err) {
		if (mm)
			mm_put(mm);
		return err;
	}
	*mmp = mm;
	return 0;
}
