/*
 * ampolicy.h - where things are published in the directory graph
 * (Amoeba 5.3's policy names).  The default Bullet server's capability
 * is at DEF_BULLETSVR; the BULLET environment variable, when set, names
 * another path to use instead.
 */
#ifndef AMPOLICY_H
#define AMPOLICY_H

#define HOST_DIR	"/profile/hosts"	/* every host */
#define HOST_SUPER_DIR	"/super/hosts"		/* the same, all rights */
#define POOL_DIR	"/profile/pool"		/* processor pools */
#define DEFAULT_HOME	"/home"			/* users' home directories */
#define STDAGE_TIMER	24			/* hours between STD_AGEs */
#define DEF_BULLETSVR	"/profile/cap/bulletsvr/default"
#define DEF_PRINTBUFNAME "printbuf"
#define DEF_PROFILENAME	"profile"
#define DEF_SYSSVRNAME	"sys"
#define DEF_IOPSVRNAME	"iop"
#define DEF_TAPESVR	"/profile/cap/tapesvr/default"
#define DEF_TODSVR	"/profile/cap/todsvr/default"
#define DEF_RNDSVR	"/profile/cap/randomsvr/default"
#define DEF_SESSION_PROC_DIR "/dev/proc"
#define DEF_SESSION_CAP	"/dev/session"
#define DEF_NULLSVR	"/dev/null"
#define DEF_CORE_DIR	"/dev/dead"
#define DEF_SESSION_CONSOLE "/dev/console"
#define DEF_RUNSVR_POOL	"/profile/pool/.run"
#define DEF_RUNSERVER	"/profile/cap/runsvr/default"
#define PUB_RUNSVR_DIR	"/super/cap/runsvr"
#define DEF_RUN_ADMIN	"/super/admin/module/run"
#define DEF_BOOTSERVER	"/%s/cap/bootsvr/default"
#define DEF_SHELL	"/bin/sh"
#define DEF_FIFOSVR	"/profile/cap/fifosvr/default"
#define ENVIRONFILE	"Environ"
#define MAX_LOGNAME_SZ	20
#define MAX_PASSWD_SZ	8
#define ETHERS_FILE	"/etc/ethers"
#define HOSTS_FILE	"/etc/hosts"
#define DEF_KERNELDIR	"/super/admin/kernel"
#define DEF_USERDIR	"/profile/group/users"
#define HOSTNAME_FILE	"/etc/Hostname"

#endif /* AMPOLICY_H */
