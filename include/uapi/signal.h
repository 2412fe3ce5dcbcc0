/*
 * Signals as Linux i386 defines them: numbers, sa_flags, the structs that
 * rt_sigaction, sigaltstack and the handlers see (siginfo_t, stack_t,
 * struct sigcontext, the FPU state, struct ucontext), and the two signal
 * frames the kernel builds on the user stack (struct sigframe for plain
 * handlers, struct rt_sigframe for SA_SIGINFO ones).
 *
 * Every layout is Linux's (arch/x86 uapi headers and the kernel's
 * sigframe.h); the _Static_asserts at the end pin sizes and offsets.  All
 * fields are 32-bit or smaller except the 64-bit signal sets, which i386
 * aligns to 4 bytes inside a struct.  Addresses inside the frames are
 * plain uint32_t: they are user addresses, which the kernel never follows
 * as its own pointers.
 *
 * The interval-timer constants (ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF)
 * and struct itimerval live in <uapi/time.h>.
 */
#ifndef UAPI_SIGNAL_H
#define UAPI_SIGNAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * A pointer or size_t of the i386 ABI inside these structures: itself for
 * programs and the kernel, which are i386; 32 bits also where kernel code
 * is built for a 64-bit host (tests/host/, docs/09), so that the frames
 * and their checks keep Linux i386's layout there too.
 */
#ifdef __i386__
#define __uaddr(type)	type
#define __usize		size_t
#else
#define __uaddr(type)	uint32_t
#define __usize		uint32_t
#endif
/* A 64-bit member, aligned to 4 as i386 aligns it (a typedef may lower
 * alignment; a member's attribute could not). */
#ifdef __i386__
typedef uint64_t __u64_i386;
#else
typedef uint64_t __u64_i386 __attribute__((aligned(4)));
#endif
typedef void (*__sighandler_t)(int);
typedef void (*__sigrestore_t)(void);

#define SIGHUP      1
#define SIGINT      2
#define SIGQUIT     3
#define SIGILL      4
#define SIGTRAP     5
#define SIGABRT     6
#define SIGIOT      6
#define SIGBUS      7
#define SIGFPE      8
#define SIGKILL     9
#define SIGUSR1     10
#define SIGSEGV     11
#define SIGUSR2     12
#define SIGPIPE     13
#define SIGALRM     14
#define SIGTERM     15
#define SIGSTKFLT   16
#define SIGCHLD     17
#define SIGCONT     18
#define SIGSTOP     19
#define SIGTSTP     20
#define SIGTTIN     21
#define SIGTTOU     22
#define SIGURG      23
#define SIGXCPU     24
#define SIGXFSZ     25
#define SIGVTALRM   26
#define SIGPROF     27
#define SIGWINCH    28
#define SIGIO       29
#define SIGPOLL     SIGIO
#define SIGPWR      30
#define SIGSYS      31

/* Real-time signals: 32 .. 64 (glibc reserves the first few). */
#define SIGRTMIN    32
#define SIGRTMAX    64
#define NSIG        64      /* the kernel's _NSIG: signals are 1 .. NSIG */

/* sa_flags. */
#define SA_NOCLDSTOP    0x00000001  /* no SIGCHLD when a child stops */
#define SA_NOCLDWAIT    0x00000002  /* children do not become zombies */
#define SA_SIGINFO      0x00000004  /* handler(sig, siginfo *, ucontext *) */
#define SA_UNSUPPORTED  0x00000400  /* never supported: detects flag checking */
#define SA_EXPOSE_TAGBITS 0x00000800 /* (arm64) tag bits in si_addr */
#define SA_IN_MM        0x00400000  /* ours (altmm): run in the sigaltmm space; see below */
#define SA_RESTORER     0x04000000  /* sa_restorer is the return trampoline */
#define SA_ONSTACK      0x08000000  /* run on the sigaltstack */
#define SA_RESTART      0x10000000  /* restart interrupted system calls */
#define SA_NODEFER      0x40000000  /* do not block the signal in its handler */
#define SA_RESETHAND    0x80000000  /* reset to SIG_DFL on delivery */

/* Special handlers. */
#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)
#define SIG_ERR ((void (*)(int))-1)

/* sigprocmask / rt_sigprocmask "how". */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sigaltstack. */
#define SS_ONSTACK  1
#define SS_DISABLE  2
#define SS_AUTODISARM (1u << 31)    /* flag: disarm while a handler runs on it */
#define MINSIGSTKSZ 2048
#define SIGSTKSZ    8192

/*
 * SA_IN_MM: which bit, and why 0x00400000.
 *
 * Linux's rt_sigaction keeps only the bits it knows (UAPI_SA_FLAGS:
 * NOCLDSTOP, NOCLDWAIT, SIGINFO, ONSTACK, RESTART, NODEFER, RESETHAND,
 * EXPOSE_TAGBITS, and RESTORER on x86) and reports the rest as zero in
 * oldact, so a program can tell a kernel that honours SA_IN_MM (the bit
 * reads back set) from Linux (it reads back clear).  The bit must be one
 * Linux uses nowhere: 0x1-0x4 and 0x04000000-0x80000000 are the flags
 * above; 0x8-0x200 and 0x10000 mean something on alpha, mips, parisc or
 * sparc; 0x400 and 0x800 are SA_UNSUPPORTED and SA_EXPOSE_TAGBITS;
 * 0x00800000 is the kernel-internal SA_IMMUTABLE; 0x01000000 and
 * 0x02000000 are x86's internal SA_X32_ABI and SA_IA32_ABI (so the
 * tempting 0x01000000 is taken).  New generic flags have been allocated
 * upwards from 0x400, so we take the highest free bit below SA_IMMUTABLE,
 * 0x00400000, the one least likely to be given another meaning.
 *
 * Where SA_IN_MM is set, rt_sigaction's struct kernel_sigaction is
 * followed by an int sa_mm (the altmm issue defines it); without the flag
 * the struct is exactly Linux's.
 */

/* ---- Signal sets ---- */

/*
 * The kernel's signal set: 64 bits, bit n-1 for signal n.  rt_* calls take
 * its size (sigsetsize) as an argument, which must be 8.
 */
typedef __u64_i386 kernel_sigset_t;
typedef uint32_t old_sigset_t;      /* sigprocmask(126), sigaction(67): signals 1..32 */

#define KERNEL_SIGSET_SIZE  8       /* the only sigsetsize Linux accepts */
#define sigmask(sig)        (1ull << ((sig) - 1))

static inline void sigset_add(kernel_sigset_t *s, int sig)  { *s |= sigmask(sig); }
static inline void sigset_del(kernel_sigset_t *s, int sig)  { *s &= ~sigmask(sig); }
static inline int sigset_has(const kernel_sigset_t *s, int sig)
{
	return (*s & sigmask(sig)) != 0;
}

/* ---- sigaction ---- */

/*
 * rt_sigaction(sig, act, oldact, sigsetsize = 8) on i386: 20 bytes.
 * (Linux's user-space headers order the fields differently; this is the
 * order the system call reads.)
 */
struct kernel_sigaction {
	__uaddr(__sighandler_t) sa_handler;  /* SIG_DFL, SIG_IGN or the handler */
	uint32_t sa_flags;          /* SA_* (unsigned long on i386) */
	__uaddr(__sigrestore_t) sa_restorer; /* with SA_RESTORER: where the handler returns */
	kernel_sigset_t sa_mask;    /* also blocked while the handler runs */
};

/* The old sigaction(67): a 32-bit mask, in second place.  16 bytes. */
struct old_sigaction {
	__uaddr(__sighandler_t) sa_handler;
	old_sigset_t sa_mask;
	uint32_t sa_flags;
	__uaddr(__sigrestore_t) sa_restorer;
};

/* ---- siginfo ---- */

union sigval {
	int sival_int;
	__uaddr(void *) sival_ptr;
};

/*
 * What an SA_SIGINFO handler receives: 128 bytes.  si_signo, si_errno and
 * si_code come first (in that order: x86 is not mips), then a union whose
 * member depends on who sent the signal:
 *
 *   offset 12          16             20            24        28
 *   kill:    si_pid    si_uid
 *   rt:      si_pid    si_uid         si_value
 *   timer:   si_timerid si_overrun    si_value      (private)
 *   sigchld: si_pid    si_uid         si_status     si_utime  si_stime
 *   fault:   si_addr   si_addr_lsb(16-bit) / si_lower, si_upper / si_pkey
 *   poll:    si_band   si_fd
 *   sigsys:  si_call_addr si_syscall  si_arch
 */
typedef struct siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;            /* SI_*, or per signal: SEGV_*, CLD_*... */
	union {
		struct {            /* kill, tkill, rt, timer, sigchld */
			union { int32_t si_pid; int32_t si_timerid; };
			union { uint32_t si_uid; int32_t si_overrun; };
			union { union sigval si_value; int32_t si_status; };
			int32_t si_utime;   /* sigchld: clock ticks */
			int32_t si_stime;
		};
		struct {            /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
			__uaddr(void *) si_addr;  /* faulting address or instruction */
			union {
				int16_t si_addr_lsb;        /* BUS_MCEERR_*: lsb of the address */
				struct { uint32_t __bnd_pad; __uaddr(void *) si_lower; __uaddr(void *) si_upper; };
				struct { uint32_t __pkey_pad; uint32_t si_pkey; };
			};
		};
		struct {            /* SIGPOLL / SIGIO */
			int32_t si_band;
			int32_t si_fd;
		};
		struct {            /* SIGSYS */
			__uaddr(void *) si_call_addr; /* the instruction after the trap */
			int32_t si_syscall; /* the system-call number */
			uint32_t si_arch;   /* AUDIT_ARCH_I386 = 0x40000003 */
		};
		uint32_t __si_pad[29];
	};
} siginfo_t;

#define AUDIT_ARCH_I386     0x40000003u

/* si_code: who sent it (values <= 0 come from user space). */
#define SI_USER     0       /* kill */
#define SI_KERNEL   0x80    /* the kernel (e.g. int3 on x86, a bad iret) */
#define SI_QUEUE    (-1)    /* sigqueue, rt_sigqueueinfo */
#define SI_TIMER    (-2)    /* a POSIX timer */
#define SI_MESGQ    (-3)
#define SI_ASYNCIO  (-4)
#define SI_SIGIO    (-5)
#define SI_TKILL    (-6)    /* tkill, tgkill */

/* si_code for the synchronous signals. */
#define ILL_ILLOPC  1
#define ILL_ILLOPN  2       /* x86: ud2 and other #UD */
#define ILL_ILLADR  3
#define ILL_ILLTRP  4
#define ILL_PRVOPC  5
#define ILL_PRVREG  6
#define ILL_COPROC  7
#define ILL_BADSTK  8       /* x86 32-bit: the kernel's iret to user mode faulted */
#define FPE_INTDIV  1       /* integer divide by zero (#DE) */
#define FPE_INTOVF  2
#define FPE_FLTDIV  3
#define FPE_FLTOVF  4
#define FPE_FLTUND  5
#define FPE_FLTRES  6
#define FPE_FLTINV  7
#define FPE_FLTSUB  8
#define SEGV_MAPERR 1       /* no mapping at the address */
#define SEGV_ACCERR 2       /* a mapping without that permission */
#define SEGV_BNDERR 3
#define SEGV_PKUERR 4
#define BUS_ADRALN  1
#define BUS_ADRERR  2       /* beyond the end of a mapped file */
#define BUS_OBJERR  3
#define TRAP_BRKPT  1
#define TRAP_TRACE  2
#define CLD_EXITED  1
#define CLD_KILLED  2
#define CLD_DUMPED  3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
#define POLL_IN     1
#define POLL_OUT    2
#define POLL_MSG    3
#define POLL_ERR    4
#define POLL_PRI    5
#define POLL_HUP    6
#define SYS_SECCOMP 1
#define SYS_USER_DISPATCH 2 /* ours (altmm): a system call from a foreign space */

/* ---- sigaltstack ---- */

typedef struct sigaltstack {
	__uaddr(void *) ss_sp;      /* lowest address of the stack */
	int32_t ss_flags;           /* SS_ONSTACK, SS_DISABLE (reported); SS_AUTODISARM */
	__usize ss_size;
} stack_t;

/* ---- The FPU state in a frame ---- */

/* One x87 register as fsave stores it: 80 bits. */
struct fpreg {
	uint16_t significand[4];
	uint16_t exponent;
};

/* One x87 register in the fxsave image: 80 bits padded to 16 bytes. */
struct fpxreg {
	uint16_t significand[4];
	uint16_t exponent;
	uint16_t padding[3];
};

struct xmmreg {
	uint32_t element[4];
};

/*
 * The software-reserved bytes 464..511 of the fxsave image.  With xsave
 * (magic1 == FP_XSTATE_MAGIC1) the state goes on past 512 bytes:
 * extended_size bytes from the start of struct fpstate_32 in a 32-bit
 * frame, the last 4 of them FP_XSTATE_MAGIC2.
 */
struct fpx_sw_bytes {
	uint32_t magic1;
	uint32_t extended_size;
	__u64_i386 xfeatures;
	uint32_t xstate_size;
	uint32_t padding[7];
};

#define FP_XSTATE_MAGIC1    0x46505853u
#define FP_XSTATE_MAGIC2    0x46505845u
#define X86_FXSR_MAGIC      0x0000  /* fpstate_32.magic: the fxsave part follows */
#define X86_FSAVE_MAGIC     0xffff  /* ... : only the fsave part is valid */

/*
 * Linux's struct _fpstate_32, 624 bytes: what sigcontext.fpstate points at.
 *
 *   0..111    the fsave-format environment and registers (struct
 *             fregs_state, 112 bytes), then status (the fsave status word
 *             again) and magic (0 = an fxsave image follows)
 *   112..623  the 512-byte fxsave image, byte for byte as the fxsave
 *             instruction writes it: fxsr_env (fcw, fsw, ftw, fop, fip,
 *             fcs, foo, fos), mxcsr, mxcsr_mask ("reserved"), st0-st7,
 *             xmm0-xmm7, then unused bytes, then sw_reserved at 464
 *
 * Alignment: fxsave needs its image 16-byte aligned and xsave 64-byte
 * aligned, so Linux puts the image at a 64-byte boundary
 * (round_down(sp - image size, 64)) and the 112-byte fsave part just below
 * it: struct fpstate_32 therefore starts at 64n - 112 (16 mod 64).  The
 * image is 512 bytes with fxsave, more with xsave (see fpx_sw_bytes).
 */
struct fpstate_32 {
	/* fsave part */
	uint32_t cw, sw, tag, ipoff, cssel, dataoff, datasel;
	struct fpreg st[8];
	uint16_t status;
	uint16_t magic;             /* X86_FXSR_MAGIC or X86_FSAVE_MAGIC */
	/* fxsave image */
	uint32_t fxsr_env[6];
	uint32_t mxcsr;
	uint32_t reserved;
	struct fpxreg fxsr_st[8];
	struct xmmreg xmm[8];
	uint32_t padding1[44];
	union {
		uint32_t padding2[12];
		struct fpx_sw_bytes sw_reserved;
	};
};

#define FPSTATE_FSAVE_SIZE  112     /* offset of the fxsave image */
#define FXSAVE_SIZE         512

/* ---- sigcontext and ucontext ---- */

/*
 * struct sigcontext (Linux's sigcontext_32): the interrupted registers,
 * 88 bytes.  Segment registers are 16 bits with a 16-bit pad.  trapno,
 * err and cr2 are the last exception's (14, the page-fault error code and
 * the faulting address for a page fault).  esp_at_signal is esp again;
 * oldmask is the low 32 bits of the blocked set being saved; fpstate
 * points to the struct fpstate_32 (Linux 6.1 always saves one; 0 would mean none).
 */
struct sigcontext {
	uint16_t gs, __gsh;
	uint16_t fs, __fsh;
	uint16_t es, __esh;
	uint16_t ds, __dsh;
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t trapno;
	uint32_t err;
	uint32_t eip;
	uint16_t cs, __csh;
	uint32_t eflags;
	uint32_t esp_at_signal;
	uint16_t ss, __ssh;
	uint32_t fpstate;
	uint32_t oldmask;
	uint32_t cr2;
};

/* uc_flags: the frame's FPU state is in xsave format (set when the CPU has xsave). */
#define UC_FP_XSTATE    0x1

/* The third argument of an SA_SIGINFO handler: 116 bytes. */
typedef struct ucontext {
	uint32_t uc_flags;
	uint32_t uc_link;           /* always 0 */
	stack_t uc_stack;           /* the sigaltstack settings at delivery */
	struct sigcontext uc_mcontext;
	kernel_sigset_t uc_sigmask; /* the blocked set rt_sigreturn restores */
} ucontext_t;

/* ---- The frames ---- */

/*
 * rt_sigframe: the frame for SA_SIGINFO handlers (and for every handler
 * in Linux's rt path), as it lies on the user stack:
 *
 *        higher addresses
 *   +-----------------------------+
 *   | what was on the stack       | <- interrupted esp (or the top of
 *   +-----------------------------+    the sigaltstack with SA_ONSTACK)
 *   | (gap: rounding down)        |
 *   | fxsave image (512+ bytes)   | <- 64-byte aligned
 *   | fsave part (112 bytes)      | <- struct fpstate_32, uc_mcontext.fpstate
 *   +-----------------------------+
 *   | (gap: alignment)            |
 *   | retcode[8]  (unused)        | frame + 260
 *   | uc    (struct ucontext)     | frame + 144: the registers to restore
 *   | info  (siginfo_t)           | frame + 16
 *   | puc   = &uc                 | frame + 12  third argument
 *   | pinfo = &info               | frame + 8   second argument
 *   | sig                         | frame + 4   first argument
 *   | pretcode = the restorer     | frame + 0   the handler's return address
 *   +-----------------------------+ <- esp at handler entry
 *        lower addresses
 *
 * frame = ((fpstate - sizeof(frame) + 4) & ~15) - 4, so at the handler's
 * first instruction (esp + 4) % 16 == 0, exactly like a function just
 * called by the i386 ABI.  The handler starts with eax = sig, edx =
 * &info, ecx = &uc (for -mregparm=3 code), ds = es = ss = user data,
 * cs = user code, and eflags with TF and DF (and RF) cleared.  Its "ret" pops
 * pretcode and jumps to the restorer, which calls rt_sigreturn (173)
 * with esp = frame + 4; the kernel finds the frame at esp - 4.
 *
 * retcode holds "movl $173, %eax; int $0x80" (b8 ad 00 00 00 cd 80 00)
 * for debuggers only: Linux never returns through it.
 */
struct rt_sigframe {
	uint32_t pretcode;
	int32_t sig;
	uint32_t pinfo;
	uint32_t puc;
	siginfo_t info;
	struct ucontext uc;
	uint8_t retcode[8];
	/* the FPU state follows, aligned as above */
};

/*
 * sigframe: the frame for handlers without SA_SIGINFO, 732 bytes:
 *
 *   frame + 0     pretcode     the restorer (the handler's return address)
 *   frame + 4     sig          the one argument
 *   frame + 8     sc           struct sigcontext; sc.oldmask = blocked bits 1..32
 *   frame + 96    fpstate_unused  (struct fpstate_32: kept so that extramask
 *                                 stays where old programs look for it; the
 *                                 real FPU state is above the frame, as in
 *                                 the rt frame, and sc.fpstate points there)
 *   frame + 720   extramask[1] blocked bits 33..64
 *   frame + 724   retcode[8]   "popl %eax; movl $119, %eax; int $0x80"
 *                              (58 b8 77 00 00 00 cd 80), again unused
 *
 * Aligned like the rt frame.  The restorer pops sig ("popl %eax") and
 * calls sigreturn (119) with esp = frame + 8; the kernel finds the frame
 * at esp - 8.  The handler starts with eax = sig, edx = ecx = 0.
 */
struct sigframe {
	uint32_t pretcode;
	int32_t sig;
	struct sigcontext sc;
	struct fpstate_32 fpstate_unused;
	uint32_t extramask[1];
	uint8_t retcode[8];
	/* the FPU state follows */
};

/*
 * What rt_sigreturn and sigreturn take from the frame (Linux i386):
 *   - eax..edi, ebp, esp, eip: as they are;
 *   - cs and ss: the selector | 3 (forced to RPL 3); a selector that is
 *     not then a valid user segment makes the return to user mode fault:
 *     SIGILL, si_code ILL_BADSTK, trapno 32 (Linux's iret fixup);
 *   - ds, es, fs, gs: as they are; one that cannot be loaded becomes 0;
 *   - eflags: only AC OF DF TF SF ZF AF PF CF RF (SIGRETURN_EFLAGS) come
 *     from the frame; IOPL, IF, NT, VM and the rest keep their values;
 *   - the blocked set from uc_sigmask (rt) or oldmask + extramask,
 *     never including SIGKILL or SIGSTOP;
 *   - the FPU state from fpstate (0: the FPU is reset): x87 environment and
 *     registers from the fsave part, MXCSR (reserved bits dropped) and the
 *     XMM registers from the fxsave image.
 */
#define X86_EFLAGS_CF   0x00000001
#define X86_EFLAGS_PF   0x00000004
#define X86_EFLAGS_AF   0x00000010
#define X86_EFLAGS_ZF   0x00000040
#define X86_EFLAGS_SF   0x00000080
#define X86_EFLAGS_TF   0x00000100
#define X86_EFLAGS_IF   0x00000200
#define X86_EFLAGS_DF   0x00000400
#define X86_EFLAGS_OF   0x00000800
#define X86_EFLAGS_IOPL 0x00003000
#define X86_EFLAGS_NT   0x00004000
#define X86_EFLAGS_RF   0x00010000
#define X86_EFLAGS_VM   0x00020000
#define X86_EFLAGS_AC   0x00040000
#define SIGRETURN_EFLAGS (X86_EFLAGS_AC | X86_EFLAGS_OF | X86_EFLAGS_DF | \
	X86_EFLAGS_TF | X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | \
	X86_EFLAGS_PF | X86_EFLAGS_CF | X86_EFLAGS_RF)

/* ---- Layout checks against Linux i386 ---- */

_Static_assert(sizeof(kernel_sigset_t) == KERNEL_SIGSET_SIZE, "sigset_t");
_Static_assert(sizeof(struct kernel_sigaction) == 20, "kernel_sigaction");
_Static_assert(offsetof(struct kernel_sigaction, sa_flags) == 4, "sa_flags");
_Static_assert(offsetof(struct kernel_sigaction, sa_restorer) == 8, "sa_restorer");
_Static_assert(offsetof(struct kernel_sigaction, sa_mask) == 12, "sa_mask");
_Static_assert(sizeof(struct old_sigaction) == 16, "old_sigaction");
_Static_assert(offsetof(struct old_sigaction, sa_mask) == 4, "old sa_mask");
_Static_assert(offsetof(struct old_sigaction, sa_flags) == 8, "old sa_flags");
_Static_assert(offsetof(struct old_sigaction, sa_restorer) == 12, "old sa_restorer");

_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t");
_Static_assert(offsetof(siginfo_t, si_code) == 8, "si_code");
_Static_assert(offsetof(siginfo_t, si_pid) == 12, "si_pid");
_Static_assert(offsetof(siginfo_t, si_uid) == 16, "si_uid");
_Static_assert(offsetof(siginfo_t, si_timerid) == 12, "si_timerid");
_Static_assert(offsetof(siginfo_t, si_overrun) == 16, "si_overrun");
_Static_assert(offsetof(siginfo_t, si_value) == 20, "si_value");
_Static_assert(offsetof(siginfo_t, si_status) == 20, "si_status");
_Static_assert(offsetof(siginfo_t, si_utime) == 24, "si_utime");
_Static_assert(offsetof(siginfo_t, si_stime) == 28, "si_stime");
_Static_assert(offsetof(siginfo_t, si_addr) == 12, "si_addr");
_Static_assert(offsetof(siginfo_t, si_addr_lsb) == 16, "si_addr_lsb");
_Static_assert(offsetof(siginfo_t, si_lower) == 20, "si_lower");
_Static_assert(offsetof(siginfo_t, si_upper) == 24, "si_upper");
_Static_assert(offsetof(siginfo_t, si_pkey) == 20, "si_pkey");
_Static_assert(offsetof(siginfo_t, si_band) == 12, "si_band");
_Static_assert(offsetof(siginfo_t, si_fd) == 16, "si_fd");
_Static_assert(offsetof(siginfo_t, si_call_addr) == 12, "si_call_addr");
_Static_assert(offsetof(siginfo_t, si_syscall) == 16, "si_syscall");
_Static_assert(offsetof(siginfo_t, si_arch) == 20, "si_arch");

_Static_assert(sizeof(stack_t) == 12, "stack_t");
_Static_assert(offsetof(stack_t, ss_flags) == 4, "ss_flags");
_Static_assert(offsetof(stack_t, ss_size) == 8, "ss_size");

_Static_assert(sizeof(struct fpreg) == 10, "fpreg");
_Static_assert(sizeof(struct fpxreg) == 16, "fpxreg");
_Static_assert(sizeof(struct fpx_sw_bytes) == 48, "fpx_sw_bytes");
_Static_assert(sizeof(struct fpstate_32) == 624, "fpstate_32");
_Static_assert(offsetof(struct fpstate_32, st) == 28, "fpstate st");
_Static_assert(offsetof(struct fpstate_32, status) == 108, "fpstate status");
_Static_assert(offsetof(struct fpstate_32, magic) == 110, "fpstate magic");
_Static_assert(offsetof(struct fpstate_32, fxsr_env) == FPSTATE_FSAVE_SIZE, "fxsave image");
_Static_assert(offsetof(struct fpstate_32, mxcsr) == FPSTATE_FSAVE_SIZE + 24, "mxcsr");
_Static_assert(offsetof(struct fpstate_32, fxsr_st) == FPSTATE_FSAVE_SIZE + 32, "fxsr st");
_Static_assert(offsetof(struct fpstate_32, xmm) == FPSTATE_FSAVE_SIZE + 160, "xmm");
_Static_assert(offsetof(struct fpstate_32, sw_reserved) == FPSTATE_FSAVE_SIZE + 464, "sw_reserved");

_Static_assert(sizeof(struct sigcontext) == 88, "sigcontext");
_Static_assert(offsetof(struct sigcontext, edi) == 16, "sc edi");
_Static_assert(offsetof(struct sigcontext, esp) == 28, "sc esp");
_Static_assert(offsetof(struct sigcontext, eax) == 44, "sc eax");
_Static_assert(offsetof(struct sigcontext, trapno) == 48, "sc trapno");
_Static_assert(offsetof(struct sigcontext, err) == 52, "sc err");
_Static_assert(offsetof(struct sigcontext, eip) == 56, "sc eip");
_Static_assert(offsetof(struct sigcontext, cs) == 60, "sc cs");
_Static_assert(offsetof(struct sigcontext, eflags) == 64, "sc eflags");
_Static_assert(offsetof(struct sigcontext, esp_at_signal) == 68, "sc esp_at_signal");
_Static_assert(offsetof(struct sigcontext, ss) == 72, "sc ss");
_Static_assert(offsetof(struct sigcontext, fpstate) == 76, "sc fpstate");
_Static_assert(offsetof(struct sigcontext, oldmask) == 80, "sc oldmask");
_Static_assert(offsetof(struct sigcontext, cr2) == 84, "sc cr2");

_Static_assert(sizeof(struct ucontext) == 116, "ucontext");
_Static_assert(offsetof(struct ucontext, uc_stack) == 8, "uc_stack");
_Static_assert(offsetof(struct ucontext, uc_mcontext) == 20, "uc_mcontext");
_Static_assert(offsetof(struct ucontext, uc_sigmask) == 108, "uc_sigmask");

_Static_assert(sizeof(struct rt_sigframe) == 268, "rt_sigframe");
_Static_assert(offsetof(struct rt_sigframe, info) == 16, "rt info");
_Static_assert(offsetof(struct rt_sigframe, uc) == 144, "rt uc");
_Static_assert(offsetof(struct rt_sigframe, retcode) == 260, "rt retcode");
_Static_assert(sizeof(struct sigframe) == 732, "sigframe");
_Static_assert(offsetof(struct sigframe, sc) == 8, "sigframe sc");
_Static_assert(offsetof(struct sigframe, fpstate_unused) == 96, "sigframe fpstate");
_Static_assert(offsetof(struct sigframe, extramask) == 720, "sigframe extramask");
_Static_assert(offsetof(struct sigframe, retcode) == 724, "sigframe retcode");

#endif
