/*
 * dev.c - device grants for user-space drivers (module/dev.h): the RPCs
 * that ask the node's sys server for a grant and the system calls that
 * use one in this process.
 */
#include <string.h>

#include <amoeba.h>
#include <amoeba/dev.h>
#include <module/dev.h>
#include <module/kdir.h>
#include <module/rpc.h>
#include <module/syscall.h>
#include <stderr.h>

errstat
dev_sys_cap(capability *sys)
{
	capability *c = getcap("SYS");

	if (c != NULL) {
		*sys = *c;
		return STD_OK;
	}
	return kdir_lookup(NULL, "sys", sys);
}

/* One grant request: the reply header carries the grant. */
static errstat
ask(capability *sys, command cmd, int32 off, bufsize size, const char *body,
    capability *grant)
{
	header h;
	int32 r;

	if (sys == NULL || grant == NULL)
		return STD_ARGBAD;
	memset(&h, 0, sizeof(h));
	h.h_port = sys->cap_port;
	h.h_priv = sys->cap_priv;
	h.h_command = cmd;
	h.h_offset = off;
	h.h_size = size;
	r = rpc_trans(&h, (bufptr)body, body ? (f_size_t)strlen(body) + 1 : 0,
		      &h, NULL, 0);
	if (r < 0)
		return (errstat)r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	grant->cap_port = h.h_port;
	grant->cap_priv = h.h_priv;
	return STD_OK;
}

errstat
dev_held(capability *sys, const capability *proc, int *count)
{
	header h;
	int32 r;

	if (sys == NULL || proc == NULL || count == NULL)
		return STD_ARGBAD;
	memset(&h, 0, sizeof(h));
	h.h_port = sys->cap_port;
	h.h_priv = sys->cap_priv;
	h.h_command = SYS_DEV_HELD;
	r = rpc_trans(&h, (bufptr)proc, sizeof(*proc), &h, NULL, 0);
	if (r < 0)
		return (errstat)r;
	if (ERR_STATUS(h.h_status))
		return ERR_CONVERT(h.h_status);
	*count = (int)h.h_size;
	return STD_OK;
}

errstat
dev_ports(capability *sys, uint16_t base, uint16_t count, capability *grant)
{
	return ask(sys, SYS_DEV_PORTS, base, count, NULL, grant);
}

errstat
dev_irq(capability *sys, int line, capability *grant)
{
	return ask(sys, SYS_DEV_IRQ, line, 0, NULL, grant);
}

errstat
dev_pci(capability *sys, const char *spec, capability *grant)
{
	if (spec == NULL || strlen(spec) > 32)
		return STD_ARGBAD;
	return ask(sys, SYS_DEV_PCI, 0, 0, spec, grant);
}

errstat
dev_dma(capability *sys, uint32_t size, capability *grant)
{
	if (size == 0 || size > DEV_DMA_MAX)
		return STD_ARGBAD;
	return ask(sys, SYS_DEV_DMA, (int32)size, 0, NULL, grant);
}

errstat
dev_ports_enable(capability *grant)
{
	return (errstat)sys_newsys(SYS_DEV_PORTS_ENABLE, (long)grant, 0, 0, 0);
}

errstat
dev_irq_wait(capability *grant, interval ms)
{
	return (errstat)sys_newsys(SYS_DEV_IRQ_WAIT, (long)grant, ms, 0, 0);
}

errstat
dev_irq_ack(capability *grant)
{
	return (errstat)sys_newsys(SYS_DEV_IRQ_ACK, (long)grant, 0, 0, 0);
}

errstat
dev_pci_info(capability *grant, struct dev_pci_info *info)
{
	return (errstat)sys_newsys(SYS_DEV_PCI_INFO, (long)grant, (long)info,
				   0, 0);
}

errstat
dev_pci_map(capability *grant, int bar, void **va)
{
	return (errstat)sys_newsys(SYS_DEV_PCI_MAP, (long)grant, bar,
				   (long)va, 0);
}

errstat
dev_pci_busmaster(capability *grant, int on)
{
	return (errstat)sys_newsys(SYS_DEV_PCI_BUSMASTER, (long)grant, on,
				   0, 0);
}

errstat
dev_dma_map(capability *grant, void **va, uint32_t *phys)
{
	return (errstat)sys_newsys(SYS_DEV_DMA_MAP, (long)grant, (long)va,
				   (long)phys, 0);
}
