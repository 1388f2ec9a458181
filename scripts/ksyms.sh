#!/bin/sh
# ksyms.sh ELF - write the kernel symbol table (assembler source) for panic
# backtraces: a count, then (address, name offset) pairs sorted by address,
# then the names.  Only text symbols are listed.
set -e
nm -n "$1" | awk '
$2 ~ /^[tTwW]$/ { addr[n] = $1; name[n] = $3; n++ }
END {
	print "\t.section .ksyms,\"a\""
	print "\t.globl ksyms_table"
	print "ksyms_table:"
	printf "\t.long %d\n", n
	off = 0
	for (i = 0; i < n; i++) {
		printf "\t.long 0x%s, %d\n", addr[i], off
		off += length(name[i]) + 1
	}
	for (i = 0; i < n; i++)
		printf "\t.asciz \"%s\"\n", name[i]
}'
