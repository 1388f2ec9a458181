/*
 * sp_port.c - the public get-port of a SOAP server, from its name
 * (server/soap/soapsvr.h); used by the server and by the client stubs.
 */
#include <amoeba.h>
#include <server/soap/soapsvr.h>

/* FNV-1a of "vx:soap:" + name: the public get-port of server name. */
void
sp_publicport(const char *name, port *getport)
{
	uint64_t h = 0xCBF29CE484222325ull;
	const char *s;
	int i;

	for (s = "vx:soap:"; *s; s++)
		h = (h ^ (uint8)*s) * 0x100000001B3ull;
	for (s = name; *s; s++)
		h = (h ^ (uint8)*s) * 0x100000001B3ull;
	for (i = 0; i < PORTSIZE; i++)
		getport->_portbytes[i] = (uint8)(h >> (8 * i));
}
