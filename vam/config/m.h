/*
 * m.h - the OCaml runtime's machine configuration for VX (i386, 32 bits,
 * little endian), written by hand instead of running OCaml's configure
 * for a cross target.  scripts/build-ocaml.sh copies it over
 * runtime/caml/m.h of the unpacked Debian ocaml-source.
 */
#undef ARCH_SIXTYFOUR
#undef ARCH_BIG_ENDIAN
#undef ARCH_ALIGN_DOUBLE
#undef HAS_ARCH_CODE32
#define SIZEOF_INT 4
#define SIZEOF_LONG 4
#define SIZEOF_PTR 4
#define SIZEOF_SHORT 2
#define SIZEOF_LONGLONG 8
#define ARCH_INT64_TYPE long long
#define ARCH_UINT64_TYPE unsigned long long
#define ARCH_INT64_PRINTF_FORMAT "ll"
#undef ARCH_ALIGN_INT64
#define PROFINFO_WIDTH 0
#undef ASM_CFI_SUPPORTED
#undef WITH_FRAME_POINTERS
#undef NO_NAKED_POINTERS
#undef NAKED_POINTERS_CHECKER
#undef WITH_PROFINFO
#undef CAML_WITH_FPIC
#define CAML_SAFE_STRING
#define FLAT_FLOAT_ARRAY
#undef FUNCTION_SECTIONS
#define SUPPORTS_ALIGNED_ATTRIBUTE
#define SUPPORTS_TREE_VECTORIZE
