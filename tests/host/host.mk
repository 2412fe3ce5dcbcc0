# tests/host/host.mk: kernel/mm and the signal-frame code built as an
# ordinary program of this machine (x86_64 or whatever the host is),
# against the fake machine of tests/host/ (fake.h says what it fakes),
# under AddressSanitizer and UndefinedBehaviorSanitizer.  Included by the
# top Makefile.  docs/09-mm-on-the-host.md tells the story.
#
#   make test-host                  the unit tests and the fuzzer, fixed seeds
#   make fuzz-host [SEED=n] [STEPS=n]   the fuzzer alone, as long as asked
#                                   (SEED defaults to the time; it is printed)

HOST_CC ?= gcc
HOST_DIR := build/host
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS := -O1 -g -Wall -Wextra -fno-omit-frame-pointer -fno-strict-aliasing \
	$(HOST_SAN) -DKERNEL_HOST_BUILD -DALTMM=1 -Itests/host/include -Iinclude -MMD -MP
ifneq ($(CI),)
HOST_CFLAGS += -Werror
endif

# The kernel's own files, unchanged: what builds here is what boots.
HOST_KERNEL_SRCS := kernel/mm/vma.c kernel/mm/mmap.c kernel/mm/mremap.c kernel/mm/mm.c kernel/mm/fault.c \
	kernel/mm/pmm.c kernel/arch/x86/sigframe.c
# The fuzzer last: tests run in link order, the unit tests first.
HOST_TEST_SRCS := $(filter-out tests/host/fuzz%,$(wildcard tests/host/*.c)) $(wildcard tests/host/fuzz*.c)
HOST_OBJS := $(patsubst %.c,$(HOST_DIR)/%.o,$(HOST_KERNEL_SRCS) $(HOST_TEST_SRCS))
HOST_TEST := $(HOST_DIR)/mmtest

.PHONY: test-host fuzz-host

$(HOST_DIR)/kernel/%.o: kernel/%.c Makefile tests/host/host.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOST_CC) -std=c11 $(HOST_CFLAGS) -c $< -o $@

$(HOST_DIR)/tests/%.o: tests/%.c Makefile tests/host/host.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOST_CC) -std=gnu11 $(HOST_CFLAGS) -c $< -o $@

$(HOST_TEST): $(HOST_OBJS)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $(HOST_SAN) -o $@ $(HOST_OBJS)

test-host: $(HOST_TEST)
	@$(HOST_TEST)

SEED ?= $(shell date +%s)
STEPS ?= 1000000
fuzz-host: $(HOST_TEST)
	@$(HOST_TEST) --seed $(SEED) --steps $(STEPS)

# (The top Makefile includes build/'s dependency files; an ALTMM=0 run does not.)
ifneq ($(BUILD),build)
-include $(shell find $(HOST_DIR) -name '*.d' 2>/dev/null)
endif
