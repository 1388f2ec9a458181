# userland/cmd - the file and directory commands, Amoeba's names and
# options (one folder per program; cmdlib.h holds what they share).
USER_PROGS += userland/cmd/cat userland/cmd/dir userland/cmd/cp \
	      userland/cmd/mv userland/cmd/del userland/cmd/mkd \
	      userland/cmd/chm userland/cmd/get userland/cmd/put \
	      userland/cmd/std_info userland/cmd/std_status \
	      userland/cmd/std_destroy userland/cmd/std_restrict \
	      userland/cmd/std_age userland/cmd/bfsck userland/cmd/bootctl \
	      userland/cmd/sum
# processes on any node (the exec library, module/run.h): ax, aps,
# kill and stun (one program under two names; proclib.h, stunlib.h),
# migrate (moves a running process to another node)
USER_PROGS += userland/cmd/ax userland/cmd/aps userland/cmd/kill \
	      userland/cmd/migrate \
	      userland/cmd/stun
# ax, aps, kill, stun and migrate print and read capabilities with cmdutil.c
ax_LINK := userland/cmd/cmdutil.c
migrate_LINK := userland/cmd/cmdutil.c
aps_LINK := userland/cmd/cmdutil.c
kill_LINK := userland/cmd/cmdutil.c
stun_LINK := userland/cmd/cmdutil.c
