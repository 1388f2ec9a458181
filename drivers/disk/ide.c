/*
 * ide.c - ATA disks on the two legacy IDE channels, in PIO (READ/WRITE
 * MULTIPLE, 32-bit data port) or bus-master DMA (PIIX), LBA28 and LBA48,
 * including CompactFlash cards in True-IDE mode.  Options (`ide=a,b`):
 * pio, pio16 (16-bit data port), lba48 (48-bit commands always), off.
 *
 * Each present ATA device becomes block device hd<2*channel+unit>, and
 * its MBR partitions sub-devices.  DMA is used when the channel has a
 * bus-master block and the device reports DMA modes; CompactFlash cards
 * without DMA, or every device with the option `ide=pio`, use PIO.
 * Every wait is bounded: a missing or failing device yields STD_SYSERR
 * and a channel reset, never a hang.
 *
 * Entry points: ide_pci_driver (probe), ide_legacy_init, and the blkdev
 * ops of each drive.
 *
 * Concurrency: one kmutex per channel serialises commands (master and
 * slave share the registers); the caller sleeps until the interrupt
 * handler, which only reads the status registers, records them and wakes
 * the channel, or until the timeout.
 */
#include <stdint.h>
#include <string.h>

#include <stderr.h>

#include "kernel/arch/arch.h"
#include "drivers/disk/blkdev.h"
#include "kernel/cmdline.h"
#include "kernel/klib.h"
#include "kernel/mem.h"
#include "kernel/thread.h"
#include "kernel/arch/i386/x86.h"
#include "drivers/disk/ide.h"
#include "drivers/pci/pci.h"

enum {  /* command block, from the channel's base port */
	R_DATA = 0, R_ERROR = 1, R_COUNT = 2, R_LBA0 = 3, R_LBA1 = 4,
	R_LBA2 = 5, R_DRIVE = 6, R_STATUS = 7, R_CMD = 7,
};
enum { BM_CMD = 0, BM_STATUS = 2, BM_PRDT = 4 };  /* bus master */

#define ST_ERR 0x01
#define ERR_ABRT 0x04          /* error register: command aborted */
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_BSY 0x80
#define CTL_NIEN 0x02
#define CTL_SRST 0x04
#define BMC_START 0x01
#define BMC_TOMEM 0x08          /* device to memory (a read) */
#define BMS_ERR 0x02
#define BMS_IRQ 0x04

enum {
	ATA_READ = 0x20, ATA_READ_EXT = 0x24, ATA_READ_DMA = 0xC8,
	ATA_READ_DMA_EXT = 0x25, ATA_READ_MUL = 0xC4, ATA_READ_MUL_EXT = 0x29,
	ATA_WRITE = 0x30, ATA_WRITE_EXT = 0x34, ATA_WRITE_DMA = 0xCA,
	ATA_WRITE_DMA_EXT = 0x35, ATA_WRITE_MUL = 0xC5,
	ATA_WRITE_MUL_EXT = 0x39, ATA_SET_MULTIPLE = 0xC6,
	ATA_IDENTIFY = 0xEC, ATA_FLUSH_CACHE = 0xE7, ATA_FLUSH_CACHE_EXT = 0xEA,
};

#define CFA_SIGNATURE 0x848A
#define MAX_XFER 256            /* sectors per command */
#define CMD_TIMEOUT 5000        /* ms for one command or data block */
#define FLUSH_TIMEOUT 30000     /* ms for a cache flush (ATA allows long) */
#define RESET_TIMEOUT 3000
#define PRD_EOT 0x80000000u

struct ide_channel;

struct ide_drive {
	struct blkdev bd;               /* must be first */
	struct ide_channel *ch;
	int unit;                       /* 0 master, 1 slave */
	bool lba48;                     /* 48-bit commands supported */
	bool dma;                       /* use bus-master DMA */
	bool cfa;                       /* CompactFlash */
	uint16_t multiple;              /* sectors per PIO block */
	char model[41];
	char serial[21];
};

struct ide_channel {
	int index;                      /* 0 primary, 1 secondary */
	uint16_t cmd, ctl, bm;          /* ports; bm 0 = no bus master */
	int irq;
	bool io16;                      /* 16-bit data port accesses */
	struct kmutex lock;             /* one command at a time */
	volatile bool irq_seen;         /* irq-off */
	volatile uint8_t irq_status;    /* ATA status read by the handler */
	volatile uint8_t irq_bmstatus;  /* bus-master status, same time */
	uint32_t *prdt;                 /* PRD table, one page */
	uint8_t *bounce;                /* DMA buffer, MAX_XFER sectors */
	struct ide_drive *drive[2];
};

static struct ide_channel channels[2];
static bool channels_done;

/* Is word one of the comma-separated values of the `ide=` option? */
static bool
opt(const char *word)
{
	const char *v = cmdline_get("ide");
	size_t n = strlen(word);

	while (v && *v) {
		if (strncmp(v, word, n) == 0 && (v[n] == 0 || v[n] == ','))
			return true;
		v = strchr(v, ',');
		if (v)
			v++;
	}
	return false;
}

/* ---- low level ---------------------------------------------------------- */

/* 400 ns for the device to drive the status after a select or command. */
static void
delay400(struct ide_channel *ch)
{
	for (int i = 0; i < 4; i++)
		(void)inb(ch->ctl);
}

/* Wait until BSY clears; the status, or -1 after ms milliseconds. */
static int
wait_ready(struct ide_channel *ch, uint32_t ms)
{
	uint32_t start = arch_milli();

	for (;;) {
		uint8_t st = inb(ch->ctl);

		if (!(st & ST_BSY))
			return inb(ch->cmd + R_STATUS);
		if (arch_milli() - start > ms)
			return -1;
		if (arch_milli() - start > 2)
			thread_yield();
	}
}

/* Wait for DRQ (or an error) by polling: for the first block of a write. */
static int
wait_drq(struct ide_channel *ch, uint32_t ms)
{
	uint32_t start = arch_milli();

	for (;;) {
		uint8_t st = inb(ch->ctl);

		if (!(st & ST_BSY) && (st & (ST_DRQ | ST_ERR | ST_DF)))
			return inb(ch->cmd + R_STATUS);
		if (arch_milli() - start > ms)
			return -1;
		if (arch_milli() - start > 2)
			thread_yield();
	}
}

static void
ide_intr(int irq, void *arg)
{
	struct ide_channel *ch = arg;

	(void)irq;
	if (ch->bm)
		ch->irq_bmstatus = inb(ch->bm + BM_STATUS);
	ch->irq_status = inb(ch->cmd + R_STATUS);  /* acknowledges INTRQ */
	ch->irq_seen = true;
	thread_wakeup(ch);
}

/* Is the command finished: not busy, and the DMA engine (if any) idle? */
static bool
xfer_done(struct ide_channel *ch, bool dma)
{
	uint8_t bms;

	if (inb(ch->ctl) & ST_BSY)
		return false;
	if (!dma)
		return true;
	bms = inb(ch->bm + BM_STATUS);
	return !(bms & 1) || (bms & (BMS_IRQ | BMS_ERR));
}

/*
 * Sleep until the channel interrupts and the device is really done (an
 * interrupt left over from an earlier command does not count); the ATA
 * status, or -1 on timeout.  A missing interrupt with the device done is
 * logged and survived.
 */
static int
wait_irq(struct ide_channel *ch, uint32_t ms, bool dma)
{
	uint32_t start = arch_milli();

	for (;;) {
		uint32_t f = arch_irq_save();
		bool seen;

		while (!ch->irq_seen && arch_milli() - start < ms)
			thread_sleep(ch, ms - (arch_milli() - start) + 1);
		seen = ch->irq_seen;
		ch->irq_seen = false;
		arch_irq_restore(f);
		if (xfer_done(ch, dma)) {
			if (!seen)
				kprintf("ide: channel %d: lost interrupt\n",
					ch->index);
			return inb(ch->cmd + R_STATUS);
		}
		if (!seen)
			return -1;
	}
}

static void
channel_reset(struct ide_channel *ch)
{
	outb(ch->ctl, CTL_SRST | CTL_NIEN);
	thread_msleep(1);
	outb(ch->ctl, 0);
	thread_msleep(2);
	wait_ready(ch, RESET_TIMEOUT);
	if (ch->bm) {
		outb(ch->bm + BM_CMD, 0);
		outb(ch->bm + BM_STATUS, BMS_IRQ | BMS_ERR);
	}
	ch->irq_seen = false;
}

static bool
select_drive(struct ide_drive *d, uint8_t lba_hi)
{
	struct ide_channel *ch = d->ch;

	if (wait_ready(ch, CMD_TIMEOUT) < 0)
		return false;
	outb(ch->cmd + R_DRIVE, (uint8_t)(0xE0 | d->unit << 4 | lba_hi));
	delay400(ch);
	return wait_ready(ch, CMD_TIMEOUT) >= 0;
}

/* Select, load the address and count, and issue the command. */
static bool
issue(struct ide_drive *d, uint64_t lba, uint32_t n, bool ext, uint8_t cmd)
{
	struct ide_channel *ch = d->ch;

	if (!select_drive(d, ext ? 0 : (uint8_t)((lba >> 24) & 0x0F)))
		return false;
	if (ext) {
		outb(ch->cmd + R_COUNT, (uint8_t)(n >> 8));
		outb(ch->cmd + R_LBA0, (uint8_t)(lba >> 24));
		outb(ch->cmd + R_LBA1, (uint8_t)(lba >> 32));
		outb(ch->cmd + R_LBA2, (uint8_t)(lba >> 40));
	}
	outb(ch->cmd + R_COUNT, (uint8_t)n);
	outb(ch->cmd + R_LBA0, (uint8_t)lba);
	outb(ch->cmd + R_LBA1, (uint8_t)(lba >> 8));
	outb(ch->cmd + R_LBA2, (uint8_t)(lba >> 16));
	ch->irq_seen = false;
	outb(ch->cmd + R_CMD, cmd);
	return true;
}

static bool
status_ok(int st)
{
	return st >= 0 && !(st & (ST_ERR | ST_DF | ST_BSY));
}

/* ---- PIO ---------------------------------------------------------------- */

/*
 * The data port is read 32 bits at a time (the PIIX splits each access
 * into two 16-bit cycles); `ide=pio16` uses 16-bit accesses instead.
 */
static void
data_in(struct ide_channel *ch, void *buf, uint32_t sectors)
{
	if (ch->io16)
		insw(ch->cmd + R_DATA, buf, sectors * BLK_SECTOR / 2);
	else
		insl(ch->cmd + R_DATA, buf, sectors * BLK_SECTOR / 4);
}

static void
data_out(struct ide_channel *ch, const void *buf, uint32_t sectors)
{
	if (ch->io16)
		outsw(ch->cmd + R_DATA, buf, sectors * BLK_SECTOR / 2);
	else
		outsl(ch->cmd + R_DATA, buf, sectors * BLK_SECTOR / 4);
}

static errstat
pio_read(struct ide_drive *d, uint64_t lba, uint32_t n, uint8_t *buf,
	 bool ext)
{
	struct ide_channel *ch = d->ch;
	uint32_t blk = d->multiple ? d->multiple : 1;
	uint8_t cmd = d->multiple ? (ext ? ATA_READ_MUL_EXT : ATA_READ_MUL)
				  : (ext ? ATA_READ_EXT : ATA_READ);

	if (!issue(d, lba, n, ext, cmd))
		return STD_SYSERR;
	for (uint32_t done = 0; done < n;) {
		uint32_t k = MIN(blk, n - done);
		int st = wait_irq(ch, CMD_TIMEOUT, false);

		if (st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ))
			return STD_SYSERR;
		data_in(ch, buf + done * BLK_SECTOR, k);
		done += k;
	}
	return STD_OK;
}

static errstat
pio_write(struct ide_drive *d, uint64_t lba, uint32_t n, const uint8_t *buf,
	  bool ext)
{
	struct ide_channel *ch = d->ch;
	uint32_t blk = d->multiple ? d->multiple : 1;
	uint8_t cmd = d->multiple ? (ext ? ATA_WRITE_MUL_EXT : ATA_WRITE_MUL)
				  : (ext ? ATA_WRITE_EXT : ATA_WRITE);
	int st;

	if (!issue(d, lba, n, ext, cmd))
		return STD_SYSERR;
	st = wait_drq(ch, CMD_TIMEOUT);     /* no interrupt before block 1 */
	for (uint32_t done = 0; done < n;) {
		uint32_t k = MIN(blk, n - done);

		if (st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ))
			return STD_SYSERR;
		ch->irq_seen = false;
		data_out(ch, buf + done * BLK_SECTOR, k);
		done += k;
		st = wait_irq(ch, CMD_TIMEOUT, false);
	}
	return status_ok(st) ? STD_OK : STD_SYSERR;
}

/* ---- DMA ---------------------------------------------------------------- */

/* PRDs for [pa, pa + len): no entry may cross a 64 KiB boundary. */
static void
prd_build(struct ide_channel *ch, uint32_t pa, uint32_t len)
{
	int i = 0;

	while (len) {
		uint32_t chunk = MIN(len, 0x10000 - (pa & 0xFFFF));

		ch->prdt[2 * i] = pa;
		ch->prdt[2 * i + 1] = chunk & 0xFFFF;   /* 0 means 64 KiB */
		pa += chunk;
		len -= chunk;
		i++;
	}
	ch->prdt[2 * i - 1] |= PRD_EOT;
}

static errstat
dma_xfer(struct ide_drive *d, uint64_t lba, uint32_t n, uint8_t *buf,
	 bool ext, bool write)
{
	struct ide_channel *ch = d->ch;
	uint32_t len = n * BLK_SECTOR;
	bool direct = (uint32_t)buf < KERNEL_MAP_END && !((uint32_t)buf & 3);
	uint8_t *mem = direct ? buf : ch->bounce;
	uint8_t bmcmd = write ? 0 : BMC_TOMEM, cmd;
	int st;

	if (write && !direct)
		memcpy(mem, buf, len);
	prd_build(ch, (uint32_t)mem, len);
	outb(ch->bm + BM_CMD, bmcmd);
	outl(ch->bm + BM_PRDT, (uint32_t)ch->prdt);
	outb(ch->bm + BM_STATUS, BMS_IRQ | BMS_ERR);
	cmd = write ? (ext ? ATA_WRITE_DMA_EXT : ATA_WRITE_DMA)
		    : (ext ? ATA_READ_DMA_EXT : ATA_READ_DMA);
	if (!issue(d, lba, n, ext, cmd))
		return STD_SYSERR;
	outb(ch->bm + BM_CMD, bmcmd | BMC_START);
	st = wait_irq(ch, CMD_TIMEOUT, true);
	outb(ch->bm + BM_CMD, bmcmd);
	if ((inb(ch->bm + BM_STATUS) & BMS_ERR) || !status_ok(st)) {
		outb(ch->bm + BM_STATUS, BMS_IRQ | BMS_ERR);
		return STD_SYSERR;
	}
	outb(ch->bm + BM_STATUS, BMS_IRQ | BMS_ERR);
	if (!write && !direct)
		memcpy(buf, mem, len);
	return STD_OK;
}

/* ---- blkdev ops --------------------------------------------------------- */

static errstat
xfer_chunk(struct ide_drive *d, uint64_t lba, uint32_t n, uint8_t *buf,
	   bool write)
{
	bool ext = lba + n > (1u << 28) - 1 || (opt("lba48") && d->lba48);

	if (ext && !d->lba48)
		return STD_ARGBAD;      /* beyond what 28 bits can address */
	if (d->dma)
		return dma_xfer(d, lba, n, buf, ext, write);
	return write ? pio_write(d, lba, n, buf, ext)
		     : pio_read(d, lba, n, buf, ext);
}

static errstat
ide_xfer(struct ide_drive *d, uint64_t lba, uint32_t n, uint8_t *buf,
	 bool write)
{
	struct ide_channel *ch = d->ch;
	errstat err = STD_OK;

	kmutex_lock(&ch->lock);
	while (n) {
		uint32_t k = MIN(n, MAX_XFER);

		err = xfer_chunk(d, lba, k, buf, write);
		if (err != STD_OK)
			break;
		lba += k, n -= k, buf += k * BLK_SECTOR;
	}
	if (err == STD_SYSERR) {
		kprintf("ide: %s: %s error at sector %llu, status %02x "
			"error %02x\n", d->bd.name, write ? "write" : "read",
			lba, inb(ch->cmd + R_STATUS), inb(ch->cmd + R_ERROR));
		channel_reset(ch);
	}
	kmutex_unlock(&ch->lock);
	return err;
}

static errstat
ide_read(struct blkdev *bd, uint64_t lba, uint32_t n, void *buf)
{
	return ide_xfer(bd->priv, lba, n, buf, false);
}

static errstat
ide_write(struct blkdev *bd, uint64_t lba, uint32_t n, const void *buf)
{
	return ide_xfer(bd->priv, lba, n, (uint8_t *)(uintptr_t)buf, true);
}

/*
 * ide_flush: FLUSH CACHE (EXT on LBA48 drives): the drive writes its
 * write cache to the medium before it answers.  A drive that does not
 * know the command (aborts it) has no cache to flush.
 */
static errstat
ide_flush(struct blkdev *bd)
{
	struct ide_drive *d = bd->priv;
	struct ide_channel *ch = d->ch;
	errstat err = STD_SYSERR;
	int st;

	kmutex_lock(&ch->lock);
	if (issue(d, 0, 0, false,
		  d->lba48 ? ATA_FLUSH_CACHE_EXT : ATA_FLUSH_CACHE)) {
		st = wait_irq(ch, FLUSH_TIMEOUT, false);
		if (status_ok(st) ||
		    (st >= 0 && (st & ST_ERR) &&
		     (inb(ch->cmd + R_ERROR) & ERR_ABRT)))
			err = STD_OK;
	}
	if (err != STD_OK) {
		kprintf("ide: %s: cache flush failed\n", bd->name);
		channel_reset(ch);
	}
	kmutex_unlock(&ch->lock);
	return err;
}

static uint64_t
ide_size(struct blkdev *bd)
{
	return bd->nsectors;
}

static void
ide_info(struct blkdev *bd, struct blkdev_info *out)
{
	struct ide_drive *d = bd->priv;

	strcpy(out->model, d->model);
	strcpy(out->serial, d->serial);
	out->nsectors = bd->nsectors;
	out->mode = d->dma ? "dma" : "pio";
	out->cfa = d->cfa;
	out->lba48 = d->lba48;
}

static const struct blkdev_ops ide_ops = {
	.read = ide_read,
	.write = ide_write,
	.flush = ide_flush,
	.size = ide_size,
	.info = ide_info,
};

/* ---- probing ------------------------------------------------------------ */

/* IDENTIFY strings: byte-swapped words, space padded. */
static void
id_string(char *out, const uint16_t *id, int first, int words)
{
	int n = 0;

	for (int i = 0; i < words; i++) {
		out[n++] = (char)(id[first + i] >> 8);
		out[n++] = (char)(id[first + i] & 0xFF);
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == 0))
		n--;
	out[n] = 0;
}

/* IDENTIFY DEVICE by polling (interrupts masked); false if none answers. */
static bool
identify(struct ide_channel *ch, int unit, uint16_t *id)
{
	int st;

	outb(ch->cmd + R_DRIVE, (uint8_t)(0xA0 | unit << 4));
	delay400(ch);
	if (inb(ch->cmd + R_STATUS) == 0 || inb(ch->cmd + R_STATUS) == 0xFF)
		return false;
	if (wait_ready(ch, RESET_TIMEOUT) < 0)
		return false;
	if (inb(ch->cmd + R_LBA1) == 0x14 && inb(ch->cmd + R_LBA2) == 0xEB)
		return false;   /* ATAPI (CD-ROM): not a disk for us */
	outb(ch->cmd + R_CMD, ATA_IDENTIFY);
	delay400(ch);
	if (inb(ch->cmd + R_STATUS) == 0)
		return false;
	st = wait_drq(ch, RESET_TIMEOUT);
	if (st < 0 || (st & ST_ERR) || !(st & ST_DRQ))
		return false;
	insw(ch->cmd + R_DATA, id, 256);
	return true;
}

/* SET MULTIPLE MODE for faster PIO; 0 (single sectors) if refused. */
static uint16_t
set_multiple(struct ide_drive *d, const uint16_t *id)
{
	struct ide_channel *ch = d->ch;
	uint16_t want = MIN(id[47] & 0xFF, 16);
	int st;

	if (want < 2)
		return 0;
	outb(ch->cmd + R_COUNT, (uint8_t)want);
	outb(ch->cmd + R_CMD, ATA_SET_MULTIPLE);
	delay400(ch);
	st = wait_ready(ch, CMD_TIMEOUT);
	return status_ok(st) ? want : 0;
}

bool
ide_id_is_cfa(const uint16_t *id)
{
	return id[0] == CFA_SIGNATURE;
}

/* DMA needs a bus master, the DMA bit, and for a card a named DMA mode. */
bool
ide_id_wants_dma(const uint16_t *id, bool has_bm, bool force_pio)
{
	bool modes = (id[63] & 0x07) || ((id[53] & 4) && (id[88] & 0x7F));

	if (!has_bm || force_pio || !(id[49] & 0x100))
		return false;
	return !ide_id_is_cfa(id) || modes;
}

static void
drive_attach(struct ide_channel *ch, int unit, const uint16_t *id)
{
	struct ide_drive *d = kzalloc(sizeof(*d));

	if (d == NULL)
		return;
	d->ch = ch;
	d->unit = unit;
	d->cfa = ide_id_is_cfa(id);
	d->lba48 = (id[83] & (1u << 10)) != 0;
	id_string(d->model, id, 27, 20);
	id_string(d->serial, id, 10, 10);
	d->bd.nsectors = d->lba48 ? ((uint64_t)id[103] << 48 |
				     (uint64_t)id[102] << 32 |
				     (uint32_t)id[101] << 16 | id[100])
				  : ((uint32_t)id[61] << 16 | id[60]);
	if (!(id[49] & 0x200) || d->bd.nsectors == 0) {
		kprintf("ide: %d.%d: no LBA, ignored\n", ch->index, unit);
		kfree(d);
		return;
	}
	d->dma = ide_id_wants_dma(id, ch->bm != 0, opt("pio"));
	d->multiple = set_multiple(d, id);
	ksnprintf(d->bd.name, sizeof(d->bd.name), "hd%d", ch->index * 2 + unit);
	d->bd.ops = &ide_ops;
	d->bd.priv = d;
	ch->drive[unit] = d;
	kprintf("ide: %s '%s' %llu sectors (%llu MiB)%s%s %s, multiple %u\n",
		d->bd.name, d->model, d->bd.nsectors, d->bd.nsectors >> 11,
		d->cfa ? " CompactFlash" : "", d->lba48 ? " lba48" : "",
		d->dma ? "dma" : "pio", d->multiple);
	blkdev_register(&d->bd);
	blkdev_scan_partitions(&d->bd);
}

static bool
channel_alloc(struct ide_channel *ch)
{
	if (!ch->bm)
		return true;
	ch->prdt = (uint32_t *)page_alloc(1);
	ch->bounce = (uint8_t *)page_alloc(MAX_XFER * BLK_SECTOR / PAGE_SIZE);
	if (ch->prdt == NULL || ch->bounce == NULL) {
		ch->bm = 0;     /* no memory for DMA: PIO still works */
		return false;
	}
	return true;
}

/*
 * IDENTIFY both units by polling with the interrupt masked at the
 * device, then let the channel interrupt and attach what answered.
 */
static void
channel_probe(struct ide_channel *ch)
{
	uint16_t *id = kmalloc(2 * 512);
	bool found[2];

	if (id == NULL)
		return;
	outb(ch->ctl, CTL_NIEN);
	if (inb(ch->cmd + R_STATUS) == 0xFF) {  /* floating bus: no channel */
		kfree(id);
		return;
	}
	channel_reset(ch);
	outb(ch->ctl, CTL_NIEN);
	for (int unit = 0; unit < 2; unit++)
		found[unit] = identify(ch, unit, id + 256 * unit);
	(void)inb(ch->cmd + R_STATUS);
	arch_irq_register(ch->irq, ide_intr, ch);
	arch_irq_unmask(ch->irq);
	outb(ch->ctl, 0);
	for (int unit = 0; unit < 2; unit++)
		if (found[unit])
			drive_attach(ch, unit, id + 256 * unit);
	kfree(id);
}

static void
channels_init(uint16_t bm)
{
	static const uint16_t cmd[2] = { 0x1F0, 0x170 };
	static const uint16_t ctl[2] = { 0x3F6, 0x376 };

	if (channels_done || opt("off"))
		return;
	channels_done = true;
	for (int i = 0; i < 2; i++) {
		struct ide_channel *ch = &channels[i];

		ch->index = i;
		ch->cmd = cmd[i];
		ch->ctl = ctl[i];
		ch->irq = 14 + i;
		ch->io16 = opt("pio16");
		ch->bm = bm ? (uint16_t)(bm + 8 * i) : 0;
		channel_alloc(ch);
		channel_probe(ch);
	}
}

static errstat
ide_pci_probe(struct pci_dev *pci)
{
	uint16_t bm = 0;

	if (pci->progif & 0x05) {
		kprintf("ide: %s in native mode, not supported\n", pci->name);
		return STD_NOTFOUND;
	}
	if ((pci->progif & 0x80) && pci->bar[4].type == PCI_BAR_IO)
		bm = (uint16_t)pci->bar[4].base;
	pci_enable(pci, bm != 0);
	channels_init(bm);
	return STD_OK;
}

void
ide_legacy_init(void)
{
	channels_init(0);
}

static const struct pci_id ide_ids[] = {
	{ 0x8086, 0x1230 },     /* PIIX */
	{ 0x8086, 0x7010 },     /* PIIX3, QEMU's pc machine */
	{ 0x8086, 0x7111 },     /* PIIX4 */
	{ 0, 0 },
};

const struct pci_driver ide_pci_driver = {
	.name = "ide",
	.ids = ide_ids,
	.probe = ide_pci_probe,
};
