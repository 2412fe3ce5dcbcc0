# user/user.mk: our libc, the programs of /bin and the tests of /tests.
# Included by the top Makefile (non-recursive); uses its CC, CROSS, Q, BUILD,
# GCC_INCLUDE, LIBGCC and cc-option.
#
#   user/lib/*.c *.S         -> $(BUILD)/user/libc.a   (crt0.o kept apart)
#   user/bin/NAME.c          -> $(BUILD)/user/bin/NAME
#   user/bin/NAME/*.c        -> $(BUILD)/user/bin/NAME (a program in several files)
#   user/tests/NAME.c        -> $(BUILD)/user/tests/NAME
#
# Programs are static i386 ELF files linked at ld's default 0x08048000,
# built against nothing but our libc and libgcc, so they run unchanged on
# this kernel and on Linux.

USER_OBJ := $(BUILD)/user/obj
USER_AR := $(CROSS)ar

USER_CFLAGS := -std=c11 -m32 -march=i686 -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) \
	-Iuser/include -Iinclude -O2 -g -Wall -Wextra -fno-strict-aliasing \
	-fno-omit-frame-pointer -fno-tree-loop-distribute-patterns \
	$(call cc-option,-fno-pie) $(call cc-option,-fno-stack-protector) \
	$(call cc-option,-fcf-protection=none) $(call cc-option,-fno-asynchronous-unwind-tables) \
	-MMD -MP
ifneq ($(CI),)
USER_CFLAGS += -Werror
endif
USER_LDFLAGS := -m32 -static -nostdlib -Wl,--build-id=none $(call cc-option,-no-pie)

USER_LIB_SRCS := $(wildcard user/lib/*.c user/lib/*.S)
USER_LIB_OBJS := $(patsubst user/lib/%,$(USER_OBJ)/lib/%.o,$(basename $(filter-out user/lib/crt0.S,$(USER_LIB_SRCS))))
USER_CRT0 := $(USER_OBJ)/lib/crt0.o
USER_LIBC := $(BUILD)/user/libc.a

USER_PROG_NAMES := $(sort $(basename $(notdir $(wildcard user/bin/*.c))) \
	$(notdir $(patsubst %/,%,$(dir $(wildcard user/bin/*/*.c)))))
USER_TEST_NAMES := $(sort $(basename $(notdir $(wildcard user/tests/*.c))))
USER_PROGS := $(addprefix $(BUILD)/user/bin/,$(USER_PROG_NAMES))
USER_TESTS := $(addprefix $(BUILD)/user/tests/,$(USER_TEST_NAMES))

# Keep the objects (make would delete them as intermediate files).
.SECONDARY: $(USER_CRT0) $(patsubst user/%.c,$(USER_OBJ)/%.o,$(wildcard user/bin/*.c user/bin/*/*.c user/tests/*.c))

.PHONY: user user-list
user: $(USER_PROGS) $(USER_TESTS)

# For tools (tools/oracle.py): what the build makes, one list per line.
user-list:
	@echo "progs: $(USER_PROGS)"
	@echo "tests: $(USER_TESTS)"

$(USER_OBJ)/%.o: user/%.c user/user.mk
	$(call check-toolchain)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_OBJ)/%.o: user/%.S user/user.mk
	$(call check-toolchain)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_LIBC): $(USER_LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(USER_AR) rcs $@ $^

# Link: crt0 first, the program's objects, then libc and libgcc (64-bit
# division for printf's %lld).
user-link = $(CC) $(USER_LDFLAGS) -o $@ $(USER_CRT0) $(1) $(USER_LIBC) $(LIBGCC)

# Each program's objects: its .c file, or every .c file in its directory.
user-prog-objs = $(patsubst user/%.c,$(USER_OBJ)/%.o,$(wildcard user/bin/$(1).c user/bin/$(1)/*.c))

.SECONDEXPANSION:
$(BUILD)/user/bin/%: $$(call user-prog-objs,$$*) $(USER_CRT0) $(USER_LIBC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(call user-link,$(call user-prog-objs,$*))

$(BUILD)/user/tests/%: $(USER_OBJ)/tests/%.o $(USER_CRT0) $(USER_LIBC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(call user-link,$<)
