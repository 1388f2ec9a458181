# vam - OCaml bytecode on VX (the Virtual Amoeba Machine, issue 16).
#
#   build/ocaml/            OCaml's bytecode runtime built for VX from
#                           Debian's ocaml-source (scripts/build-ocaml.sh)
#   build/user/ocamlrun     VX's ocamlrun: that runtime plus vam/ocamlrun
#                           (VX glue); in the boot image and /bin
#   build/vam/*.byte        the test programs of vam/test, compiled by the
#                           host's ocamlc (plain bytecode, no -custom)
USER_PROGS += vam/ocamlrun

OCAML_DIR   := $(BUILD)/ocaml
OCAML_STAMP := $(OCAML_DIR)/.stamp
ocamlrun_LINK   := $(OCAML_DIR)/main.o $(OCAML_DIR)/prims.o \
		   $(OCAML_DIR)/libcamlrun.a
ocamlrun_CFLAGS := -I$(OCAML_DIR)/include -DCAML_NAME_SPACE

$(ocamlrun_LINK): $(OCAML_STAMP)
$(OCAML_STAMP): scripts/build-ocaml.sh vam/prims.extra \
		$(wildcard vam/config/*.h vam/include/*/*.h) \
		$(BUILD)/newlib/install/.stamp
	$(Q)scripts/build-ocaml.sh $(BUILD)
	$(Q)touch $@

# ---- bytecode test programs -------------------------------------------------
VAM_TESTS := $(patsubst vam/test/%.ml,$(BUILD)/vam/%.byte,\
	     $(wildcard vam/test/*.ml))

$(BUILD)/vam/%.byte: vam/test/%.ml
	@mkdir -p $(BUILD)/vam/obj
	$(Q)echo "  OCAMLC  $@"
	$(Q)cp $< $(BUILD)/vam/obj/ && cd $(BUILD)/vam/obj && \
		ocamlc -o $(abspath $@) $(notdir $<)

.PHONY: vam
vam: $(BUILD)/user/ocamlrun $(VAM_TESTS)
testimg: $(VAM_TESTS)
