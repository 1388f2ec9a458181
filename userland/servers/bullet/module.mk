# userland/servers/bullet - the Bullet file server (build/user/bullet);
# its disk format and vdisk helpers are in libamoeba/bullet.
USER_PROGS += userland/servers/bullet
