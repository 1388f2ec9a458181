# vam - OCaml bytecode on VX (the Virtual Amoeba Machine, issue 16).
#
#   build/ocaml/            OCaml's bytecode runtime built for VX from
#                           Debian's ocaml-source (scripts/build-ocaml.sh)
#   build/user/ocamlrun     VX's ocamlrun: that runtime plus vam/ocamlrun
#                           (VX glue); in the boot image and /bin
#   build/vam/ml/amoeba.cma the Amoeba library for ML (vam/ml)
#   build/vam/*.byte        the test programs of vam/test, compiled by the
#                           host's ocamlc (plain bytecode, no -custom)
USER_PROGS += vam/ocamlrun

OCAML_DIR   := $(BUILD)/ocaml
OCAML_STAMP := $(OCAML_DIR)/.stamp
# main is VX's own (vam/ocamlrun/vam_main.c: bytecode started as a
# program by exec_file); it answers the runtime's open, read, lseek and
# close of that file, wrapped at the link.
ocamlrun_LINK   := $(OCAML_DIR)/prims.o $(OCAML_DIR)/libcamlrun.a
ocamlrun_CFLAGS := -I$(OCAML_DIR)/include -DCAML_NAME_SPACE \
		   -Wl,--wrap=open,--wrap=read,--wrap=lseek,--wrap=close

$(ocamlrun_LINK): $(OCAML_STAMP)
$(OCAML_STAMP): scripts/build-ocaml.sh vam/prims.extra \
		$(wildcard vam/config/*.h vam/include/*/*.h) vam/ocamlrun/st_vx.h \
		$(BUILD)/newlib/install/.stamp
	$(Q)scripts/build-ocaml.sh $(BUILD)
	$(Q)touch $@

# ---- the Amoeba library for ML and the bytecode test programs -------------
# Programs are linked with amoeba.cma (only those using it get it).
# -no-check-prims lets ocamlc accept the library's externals (VX's
# ocamlrun has them: vam/prims.extra); only a program that uses them
# names them, so the others run under any ocamlrun of the same version.
# Plain bytecode (no -custom): the node's ocamlrun runs it.
VAM_ML    := $(BUILD)/vam/ml
VAM_TESTS := $(patsubst vam/test/%.ml,$(BUILD)/vam/%.byte,\
	     $(wildcard vam/test/*.ml))

# amoeba.cma also holds Thread, Mutex and Condition (vam/ml/thread.mli);
# a program gets them only when it names them.
VAM_ML_MODS := mutex condition thread amoeba
$(VAM_ML)/amoeba.cma: $(foreach m,$(VAM_ML_MODS),vam/ml/$(m).mli vam/ml/$(m).ml)
	@mkdir -p $(VAM_ML)
	$(Q)echo "  OCAMLC  $@"
	$(Q)cp $^ $(VAM_ML)/ && \
		cd $(VAM_ML) && ocamlc -w +a-4-9-40-41-42-44-45-70 -warn-error +a \
		-c $(foreach m,$(VAM_ML_MODS),$(m).mli $(m).ml) && \
		ocamlc -a -o amoeba.cma $(VAM_ML_MODS:=.cmo)

$(BUILD)/vam/%.byte: vam/test/%.ml $(VAM_ML)/amoeba.cma
	@mkdir -p $(BUILD)/vam/obj
	$(Q)echo "  OCAMLC  $@"
	$(Q)cp $< $(BUILD)/vam/obj/ && cd $(BUILD)/vam/obj && \
		ocamlc -no-check-prims -I $(abspath $(VAM_ML)) \
		-o $(abspath $@) amoeba.cma $(notdir $<)

.PHONY: vam
vam: $(BUILD)/user/ocamlrun $(VAM_TESTS)
testimg: $(VAM_TESTS)

# ---- the same bytecode on Linux ---------------------------------------------
# build/vam/ocamlrun-amunix: Debian's own libcamlrun (the host ocamlc's
# runtime) with the Amoeba stubs over libamunix, so an ML bytecode file
# that uses the Amoeba library runs on the Linux PC too ($VX_NET names
# the network, as for every libamunix program).  Its primitive table is
# VX's (build/ocaml/primitives: the runtime's plus vam/prims.extra).
VAM_LINUX := $(BUILD)/vam/linux
OCAML_WHERE := $(shell ocamlc -where 2>/dev/null)

$(VAM_LINUX)/prims.c: $(OCAML_STAMP)
	@mkdir -p $(dir $@)
	$(Q){ echo '#define CAML_INTERNALS'; \
	  echo '#include <caml/mlvalues.h>'; echo '#include <caml/prims.h>'; \
	  sed -e 's/.*/extern value &();/' $(OCAML_DIR)/primitives; \
	  echo 'c_primitive caml_builtin_cprim[] = {'; \
	  sed -e 's/.*/  &,/' $(OCAML_DIR)/primitives; echo '  0 };'; \
	  echo 'char * caml_names_of_builtin_cprim[] = {'; \
	  sed -e 's/.*/  "&",/' $(OCAML_DIR)/primitives; echo '  0 };'; } > $@
$(BUILD)/vam/ocamlrun-amunix: $(VAM_LINUX)/prims.c \
		vam/ocamlrun/amoeba_stubs.c $(BUILD)/amunix/libamunix.a
	$(Q)echo "  LD      $@"
	$(Q)scripts/amunix-cc -O2 $(WARN) -I$(OCAML_WHERE) -DCAML_NAME_SPACE -DVAM_AMUNIX \
		-o $@ $(VAM_LINUX)/prims.c vam/ocamlrun/amoeba_stubs.c \
		$(OCAML_WHERE)/libcamlrun.a $(OCAML_WHERE)/libthreads.a \
		-lm -lpthread
vam: $(BUILD)/vam/ocamlrun-amunix
testimg: $(BUILD)/vam/ocamlrun-amunix

# vam/vam_tclient: C clients of the threaded ML server (tests/vam/
# t_vam_threads.py); test image only
BENCH_PROGS += vam/vam_tclient

# ---- AFS, the file server in ML (vam/afs) -----------------------------------
$(BUILD)/vam/afs.byte: vam/afs/afs.ml $(VAM_ML)/amoeba.cma
	@mkdir -p $(BUILD)/vam/obj
	$(Q)echo "  OCAMLC  $@"
	$(Q)cp $< $(BUILD)/vam/obj/ && cd $(BUILD)/vam/obj && \
		ocamlc -w +a-4-9-40-41-42-44-45-70 -warn-error +a \
		-no-check-prims -I $(abspath $(VAM_ML)) \
		-o $(abspath $@) amoeba.cma $(notdir $<)
vam: $(BUILD)/vam/afs.byte
testimg: $(BUILD)/vam/afs.byte

# ---- the VAM in process-server mode on Linux (vam/vampsd) -------------------
# build/vam/vampsd: a process server for a Linux PC that runs bytecode
# with ocamlrun-amunix (tests/vam/t_vampsd.py)
$(BUILD)/vam/vampsd: vam/vampsd/vampsd.c $(BUILD)/amunix/libamunix.a
	@mkdir -p $(dir $@)
	$(Q)echo "  LD      $@"
	$(Q)scripts/amunix-cc -O2 $(WARN) -o $@ vam/vampsd/vampsd.c
vam: $(BUILD)/vam/vampsd
testimg: $(BUILD)/vam/vampsd
