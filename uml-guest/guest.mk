# uml-guest/guest.mk: the user-mode guest kernel, built as one ordinary
# program of the host kernel.  Included by the top Makefile after
# user/user.mk, whose flags, crt0 and libc it reuses:
#
#   uml-guest/*.c  ->  $(BUILD)/uml-guest/*.o  ->  $(BUILD)/user/bin/uml
#
# Landing in $(BUILD)/user/bin puts it in /bin/uml of the initrd
# (tools/mkinitrd.py --standard takes every program there).

UML_SRCS := $(wildcard uml-guest/*.c)
UML_OBJS := $(patsubst uml-guest/%.c,$(BUILD)/uml-guest/%.o,$(UML_SRCS))
UML := $(BUILD)/user/bin/uml

.PHONY: uml
uml: $(UML)
user: $(UML)

# The initrd holds every program of build/user/bin: uml is one of them.
$(INITRD): $(UML)

$(BUILD)/uml-guest/%.o: uml-guest/%.c uml-guest/guest.mk user/user.mk
	$(call check-toolchain)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(USER_CFLAGS) -Iuml-guest -c $< -o $@

$(UML): $(UML_OBJS) $(USER_CRT0) $(USER_LIBC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(call user-link,$(UML_OBJS))

# The guest's own tests (uml-guest/tests/NAME.c -> /bin/guesttest-NAME):
# fork bombs, memory hogs and escape attempts, meant to run only inside
# the guest (each refuses to run elsewhere).  tools/suite.py's `uml` check
# runs them there.
GUESTTEST_NAMES := $(basename $(notdir $(wildcard uml-guest/tests/*.c)))
GUESTTESTS := $(addprefix $(BUILD)/user/bin/guesttest-,$(GUESTTEST_NAMES))

user: $(GUESTTESTS)
$(INITRD): $(GUESTTESTS)
.SECONDARY: $(patsubst %,$(BUILD)/uml-guest/tests/%.o,$(GUESTTEST_NAMES))

$(BUILD)/uml-guest/tests/%.o: uml-guest/tests/%.c uml-guest/guest.mk user/user.mk
	$(call check-toolchain)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

# A static pattern rule: an explicit one, so user.mk's $(BUILD)/user/bin/%
# (programs of user/bin) never claims these.
$(GUESTTESTS): $(BUILD)/user/bin/guesttest-%: $(BUILD)/uml-guest/tests/%.o $(USER_CRT0) $(USER_LIBC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(call user-link,$<)
