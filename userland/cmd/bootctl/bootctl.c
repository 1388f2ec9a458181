/*
 * bootctl - list, stop and start the services of a node's boot server.
 *
 *   bootctl [-m node] [list]         the table of services (std_status)
 *   bootctl [-m node] stop SERVICE   stop it (its process is killed) and
 *                                    keep it down
 *   bootctl [-m node] start SERVICE  start it again (now)
 *
 * The boot server of node (default $VX_NODE, else "vx") is found as
 * /boot/NODE in the directory server (server/boot/boot.h).
 */
#include <unistd.h>

#include <server/boot/boot.h>

#include "../cmdlib.h"

#define STATUS_MAX 8000

static int
list(capability *cap, const char *path)
{
	static char buf[STATUS_MAX + 1];
	int len = 0;
	errstat err = std_status(cap, buf, STATUS_MAX, &len);

	if (err != STD_OK)
		return cmd_err(path, err);
	if (len < 0 || len > STATUS_MAX)
		len = 0;
	fwrite(buf, 1, (size_t)len, stdout);
	return 0;
}

static int
control(capability *cap, const char *service, int on)
{
	header h;
	bufsize n;

	memset(&h, 0, sizeof(h));
	h.h_port = cap->cap_port;
	h.h_priv = cap->cap_priv;
	h.h_command = BOOT_CONF;
	h.h_extra = (uint16)on;
	n = trans(&h, (char *)service, (bufsize)(strlen(service) + 1), &h,
		  NULL, 0);
	if (ERR_STATUS(n))
		return cmd_err(service, ERR_CONVERT(n));
	if (h.h_status != STD_OK)
		return cmd_err(service, ERR_CONVERT(h.h_status));
	printf("%s: %s\n", service, on ? "started" : "stopped");
	return 0;
}

int
main(int argc, char **argv)
{
	const char *node = getenv("VX_NODE"), *verb;
	char path[64];
	capability cap;
	errstat err;
	int c, rest;

	cmd_init(argv);
	opterr = 0;
	while ((c = getopt(argc, argv, "m:")) != -1) {
		if (c != 'm')
			return cmd_usage("[-m node] [list | stop S | start S]");
		node = optarg;
	}
	rest = argc - optind;
	verb = rest > 0 ? argv[optind] : "list";
	snprintf(path, sizeof(path), "%s/%s", BOOT_DIR, node ? node : "vx");
	err = name_lookup(path, &cap);
	if (err != STD_OK)
		return cmd_err(path, err);
	if (strcmp(verb, "list") == 0 && rest <= 1)
		return list(&cap, path);
	if ((strcmp(verb, "stop") == 0 || strcmp(verb, "start") == 0) &&
	    rest == 2)
		return control(&cap, argv[optind + 1], verb[2] == 'a');
	return cmd_usage("[-m node] [list | stop S | start S]");
}
