# The altmm kernel: one non-recursive Makefile.
#
#   make            build build/kernel.elf (+ kernel.dis disassembly, kernel.sym symbols)
#   make run        boot in QEMU on this terminal (serial console)
#   make run-vga    boot in QEMU with the VGA window
#   make test       the whole test suite; ends with "N passed, N failed"
#   make test-host  kernel/mm and the signal frames as a host program, under
#                   ASan and UBSan (tests/host/host.mk; part of make test)
#   make iso        build/kernel.iso, a GRUB rescue ISO
#   make bochs      the ISO in Bochs, interactively
#   make gdb        QEMU stopped at the first instruction, gdb attached
#   make clean
#
# V=1 shows the commands.  CI=1 (or any non-empty CI) adds -Werror.
# CROSS=prefix- picks the toolchain; by default i686-elf- if present,
# else Debian's i686-linux-gnu-.

# An ALTMM=0 kernel is built apart, in build-noaltmm/.
BUILD := $(if $(filter 0,$(ALTMM)),build-noaltmm,build)
KERNEL := $(BUILD)/kernel.elf
ISO := $(BUILD)/kernel.iso
INITRD := $(BUILD)/initrd.cpio
# What the ISO holds: the kernel without debug sections or symbol table.
# GRUB loads every section of a multiboot ELF into memory, and the debug
# sections can make it run out of memory where it places them; backtraces
# do not need them (the kernel carries its own symbol table, .ksyms).
KERNEL_GRUB := $(BUILD)/kernel-grub.elf

ifeq ($(V),1)
Q :=
else
Q := @
endif

# --- toolchain -------------------------------------------------------------
ifeq ($(origin CROSS),undefined)
CROSS := $(firstword $(foreach p,i686-elf- i686-linux-gnu-,$(if $(shell command -v $(p)gcc 2>/dev/null),$(p))))
endif
CC := $(CROSS)gcc
NM := $(CROSS)nm
OBJDUMP := $(CROSS)objdump
OBJCOPY := $(CROSS)objcopy

# Every target that compiles needs the cross compiler; say what to install.
define no_toolchain
No i686 cross compiler found (looked for i686-elf-gcc and i686-linux-gnu-gcc).
Install it with:  sudo apt-get install gcc-i686-linux-gnu binutils-i686-linux-gnu
(or run: sh tools/deps.sh)
endef
check-toolchain = $(if $(CROSS),,$(error $(no_toolchain)))

# An optional flag is used only if this compiler accepts it.
cc-option = $(shell $(CC) $(1) -Werror -c -x c /dev/null -o /dev/null >/dev/null 2>&1 && echo $(1))
ld-option = $(shell $(CC) -nostdlib -Wl,$(1) -x c /dev/null -o /dev/null 2>&1 | grep -q 'unrecognized\|unknown' || echo -Wl,$(1))

ifneq ($(CROSS),)
OPT_CFLAGS := $(call cc-option,-fno-pie) $(call cc-option,-fno-stack-protector) \
	$(call cc-option,-fcf-protection=none) $(call cc-option,-mgeneral-regs-only) \
	$(call cc-option,-fno-asynchronous-unwind-tables)
OPT_LDFLAGS := $(call cc-option,-no-pie) $(call ld-option,--no-warn-rwx-segments)
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
LIBGCC := $(shell $(CC) -print-libgcc-file-name)
endif

CFLAGS := -std=c11 -m32 -march=i686 -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) \
	-O2 -g -Wall -Wextra -fno-omit-frame-pointer -fno-strict-aliasing \
	-Iinclude $(OPT_CFLAGS) -MMD -MP
ASFLAGS := -m32 -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) -Iinclude -Wa,--noexecstack -MMD -MP
LDFLAGS := -m32 -nostdlib -static -T linker.ld -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 $(OPT_LDFLAGS)
ifneq ($(CI),)
CFLAGS += -Werror
endif

# --- sources ---------------------------------------------------------------
# ALTMM=0 builds the kernel without altmm (kernel/altmm/ left out), to
# measure what the one test on the system-call path costs.
ALTMM ?= 1
KERNEL_SRCS := $(wildcard boot/*.S kernel/*.c kernel/arch/x86/*.c kernel/arch/x86/*.S kernel/mm/*.c kernel/fs/*.c)
ifneq ($(ALTMM),0)
KERNEL_SRCS += $(wildcard kernel/altmm/*.c)
endif
CFLAGS += -DALTMM=$(ALTMM)
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(KERNEL_SRCS)))

.PHONY: all iso run run-vga test fuzz bench bochs gdb clean deps fetch-busybox
all: $(KERNEL) $(KERNEL_GRUB) user $(INITRD)

$(BUILD)/%.o: %.c Makefile
	$(call check-toolchain)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S Makefile
	$(call check-toolchain)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

# Two links: the first with an empty symbol table, from which gensyms.py
# makes the real one for the second.  linker.ld places the table after the
# code, and the check below proves that no function moved.
$(BUILD)/ksyms-empty.S: tools/gensyms.py
	@mkdir -p $(BUILD)
	$(Q)python3 tools/gensyms.py > $@

$(BUILD)/ksyms%.o: $(BUILD)/ksyms%.S
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(BUILD)/kernel.stage1.elf: $(KERNEL_OBJS) $(BUILD)/ksyms-empty.o linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms-empty.o $(LIBGCC)

$(BUILD)/ksyms.S: $(BUILD)/kernel.stage1.elf tools/gensyms.py
	$(Q)$(NM) -n $< > $(BUILD)/kernel.stage1.sym
	$(Q)python3 tools/gensyms.py $(BUILD)/kernel.stage1.sym > $@

$(KERNEL): $(KERNEL_OBJS) $(BUILD)/ksyms.o linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.o $(LIBGCC)
	$(Q)$(NM) -n $@ > $(BUILD)/kernel.sym
	$(Q)grep -i ' t ' $(BUILD)/kernel.stage1.sym > $(BUILD)/text1.sym; \
	    grep -i ' t ' $(BUILD)/kernel.sym > $(BUILD)/text2.sym; \
	    cmp -s $(BUILD)/text1.sym $(BUILD)/text2.sym || \
	    { echo "error: functions moved between the two links (see linker.ld)"; rm -f $@; exit 1; }
	$(Q)$(OBJDUMP) -d -S --no-show-raw-insn $@ > $(BUILD)/kernel.dis
	$(Q)if command -v grub-file >/dev/null; then \
	    grub-file --is-x86-multiboot $@ || { echo "error: $@ is not a multiboot kernel"; rm -f $@; exit 1; }; \
	    else echo "warning: grub-file not installed; multiboot header not checked"; fi

# User programs and tests (user/user.mk defines USER_PROGS and USER_TESTS).
include user/user.mk
include uml-guest/guest.mk
include tests/host/host.mk

$(KERNEL_GRUB): $(KERNEL)
	$(Q)$(OBJCOPY) --strip-all $< $@

# --- images ----------------------------------------------------------------
# The initrd: the root file system, a cpio archive of the programs (/bin),
# the tests (/tests), the device nodes and empty /tmp and /proc
# (tools/mkinitrd.py --standard says exactly what).
# Real programs, when they are here: Debian's busybox-static for i386
# (fetched by `make run` and `make test` with tools/i386pkg.py), and a
# program built against glibc with Debian's ordinary cross compiler.
BUSYBOX := $(BUILD)/i386/busybox
# Dynamically linked Debian programs and the glibc they run with, at the
# paths they have on Debian (build/i386/root/ is copied into / as it is).
DEBIAN_ROOT := $(BUILD)/i386/root
DEBIAN_LIBC := lib/i386-linux-gnu/ld-linux.so.2 $(DEBIAN_ROOT)/lib/ld-linux.so.2 \
	lib/i386-linux-gnu/libc.so.6 $(DEBIAN_ROOT)/lib/i386-linux-gnu/libc.so.6
DEBIAN_COREUTILS := $(foreach p,echo cat true,bin/$p $(DEBIAN_ROOT)/usr/bin/$p) \
	$(foreach p,seq wc sort head,usr/bin/$p $(DEBIAN_ROOT)/usr/bin/$p)
GLIBC_CC := $(if $(shell command -v i686-linux-gnu-gcc 2>/dev/null),i686-linux-gnu-gcc)
GLIBC_DEMO := $(if $(GLIBC_CC),$(BUILD)/user/glibc/glibc_demo)
REAL_PROGS := $(wildcard $(BUSYBOX)) $(GLIBC_DEMO) $(shell find $(DEBIAN_ROOT) -type f 2>/dev/null)

$(BUILD)/user/glibc/%: user/glibc/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GLIBC   $<")
	$(Q)$(GLIBC_CC) -static -O2 -Wall -Wextra $(if $(CI),-Werror) -o $@ $<

fetch-busybox:
	@python3 tools/i386pkg.py busybox-static bin/busybox $(BUSYBOX)
	@python3 tools/i386pkg.py libc6 $(DEBIAN_LIBC)
	@python3 tools/i386pkg.py coreutils $(DEBIAN_COREUTILS)

$(INITRD): $(USER_PROGS) $(USER_TESTS) $(REAL_PROGS) user/etc/motd user/etc/passwd user/etc/group tools/mkinitrd.py
	@$(if $(Q),echo "  INITRD  $@")
	$(Q)python3 tools/mkinitrd.py -o $@ --standard

CMDLINE ?=
iso: $(ISO)
$(ISO): $(KERNEL) $(INITRD) tools/mkiso.sh
	@$(if $(Q),echo "  ISO     $@")
	$(Q)sh tools/mkiso.sh $(KERNEL_GRUB) $@ "$(CMDLINE)" $(INITRD)

# --- running ---------------------------------------------------------------
QEMU := qemu-system-i386
QEMU_FLAGS := -m 128 -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04

deps:
	@sh tools/deps.sh

# QEMU's own exit statuses for "the kernel ended the run" are not errors here.
run: deps fetch-busybox
	@$(MAKE) --no-print-directory all $(INITRD)
	@echo "Booting $(KERNEL) in QEMU on this terminal."
	@echo "Quit: 'poweroff' at the shell, or Ctrl-a x (Ctrl-a c: the QEMU monitor)."
	@$(QEMU) $(QEMU_FLAGS) -kernel $(KERNEL) -initrd $(INITRD) -append "exit=qemu $(CMDLINE)" \
		-nographic; s=$$?; [ $$s -eq 0 ] || [ $$s -eq 33 ] || { echo "QEMU exited with status $$s"; exit $$s; }

run-vga: deps fetch-busybox
	@$(MAKE) --no-print-directory all $(INITRD)
	@$(QEMU) $(QEMU_FLAGS) -kernel $(KERNEL) -initrd $(INITRD) -append "exit=qemu $(CMDLINE)" \
		-serial stdio; s=$$?; [ $$s -eq 0 ] || [ $$s -eq 33 ] || exit $$s

# The suite also runs the user tests on Debian's i386 Linux (the oracle),
# whose kernel oracle.py fetches once into build/oracle/.
test: deps fetch-busybox
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory ALTMM=0 build-noaltmm/kernel.elf
	@$(MAKE) --no-print-directory $(HOST_TEST)
	@python3 tools/oracle.py --fetch
	@python3 tools/suite.py

# The system-call fuzzer (user/bin/fuzz.c, docs/08-bad-input.md) as init,
# for as long as asked: `make fuzz SEED=7 CALLS=1000000`, or DURATION=600
# seconds (then CALLS does not count); GUEST=1 runs it inside the guest kernel,
# under `fuzz -x` (the host's memory compared around the guest's run).
SEED ?= 1
CALLS ?= 200000
DURATION ?=
FUZZ_ARGS = -s $(SEED) $(if $(DURATION),-t $(DURATION),-n $(CALLS))
# Its bound: a generous 2 ms per call (TCG manages about 0.3, the guest
# 1.2), or twice DURATION, plus a minute.
FUZZ_TIMEOUT = $(shell expr 60 + $(if $(DURATION),2 \* $(DURATION),$(CALLS) / 500))
fuzz: deps fetch-busybox
	@$(MAKE) --no-print-directory all
	@echo "fuzz $(if $(GUEST),in the guest )$(FUZZ_ARGS) (log: $(BUILD)/test-logs/fuzz.log)"
	@python3 tools/run.py --log fuzz --timeout $(FUZZ_TIMEOUT) --quiet \
		--init /bin/fuzz -- $(if $(GUEST),-x /bin/uml -- /bin/fuzz) $(FUZZ_ARGS); s=$$?; \
	grep -a -e '^fuzz: ' -e 'KERNEL PANIC' $(BUILD)/test-logs/fuzz.log | grep -v ': [0-9]*\.[0-9]*:' | tail -12; \
	exit $$s

# Instruction counts under QEMU -icount (tools/bench.py), beside Linux's.
bench: deps fetch-busybox
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory ALTMM=0 build-noaltmm/kernel.elf
	@python3 tools/oracle.py --fetch
	@python3 tools/bench.py

bochs: deps
	@$(MAKE) --no-print-directory iso
	python3 tools/bochs.py $(ISO) --interactive

gdb: deps
	@$(MAKE) --no-print-directory all
	@sh tools/gdb.sh $(KERNEL) "$(CMDLINE)"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
