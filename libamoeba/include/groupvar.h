/*
 * groupvar.h - ids of the group layer's tunable variables (Amoeba 5.3
 * groupvar.h).
 */
#ifndef __GROUP_VAR_H__
#define __GROUP_VAR_H__

#define GRP_VAR_SYNC_TIMEOUT	1
#define GRP_VAR_REPLY_TIMEOUT	2
#define GRP_VAR_ALIVE_TIMEOUT	3
#define GRP_VAR_RESET_TIMEOUT	4
#define GRP_VAR_LOCATE_TIMEOUT	5
#define GRP_VAR_MAX_RETRIAL	6
#define GRP_VAR_DEBUG_LEVEL	7

#endif /* __GROUP_VAR_H__ */
