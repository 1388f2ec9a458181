-- vx.lua - a Wireshark / tshark dissector for what VX nodes put on the
-- wire (Amoeba 5.3 compatible; spec sections 2-4):
--
--   FLIP over Ethernet   ethertype 0x8146: the 2-byte flow-control header
--                        (fc_type, fc_cnt), then for FC_DATA the 40-byte
--                        FLIP header (fields in the sender's byte order,
--                        FL_F_BIGENDIAN tells which)
--   FLIP-RPC             the 24-byte amphdr (kid, port, type, flags, tid,
--                        dest, from) and, in REQUEST and REPLY, the
--                        32-byte Amoeba header (port, private part,
--                        command or status, offset, size, extra)
--   group                the 20-byte bchdr (type, cpu, incarnation,
--                        seqno, messid, expect) and the Amoeba header of
--                        the messages that carry one
--
-- Only the first fragment of a message (fh_offset 0) holds the upper
-- headers; later fragments are shown as continuation data with their
-- offset.  Null-destination MULTIDATA (locates) starts with a big-endian
-- protocol id: 1 = RPC, 2 = group.  Other data packets are told apart by
-- shape: a bchdr has b_reserved 0, a type 1..18 and flags 0 or 1, which
-- an amphdr (random kernel id first) practically never has; the
-- preference "vx.unicast" forces one reading.
--
-- Use:  tshark -X lua_script:host/wireshark/vx.lua -r FILE.pcap -V
--       (fields: amflip.*, amrpc.*, amgrp.*, amhdr.*)
--       (or copy it to ~/.local/lib/wireshark/plugins/ for Wireshark).

local flip  = Proto("amflip", "Amoeba FLIP")
local amrpc = Proto("amrpc", "Amoeba FLIP-RPC")
local amgrp = Proto("amgrp", "Amoeba group")
local amhdr = Proto("amhdr", "Amoeba header")

local fc_types = { [0] = "DATA", [1] = "REQCREDIT", [2] = "CREDIT",
	[3] = "MCREQ", [4] = "MCACK", [5] = "MCNAK", [6] = "ABSCREDIT",
	[7] = "FAST_UNIDATA", [8] = "FAST_MULTIDATA" }
local flip_types = { [1] = "LOCATE", [2] = "HEREIS", [3] = "UNIDATA",
	[4] = "MULTIDATA", [5] = "NOTHERE", [6] = "UNTRUSTED" }
local rpc_types = { [1] = "LOCATE", [2] = "HEREIS", [3] = "REQUEST",
	[4] = "REPLY", [5] = "ACK", [6] = "NAK", [7] = "ENQUIRE",
	[8] = "ALIVE", [9] = "RECEIVED", [10] = "FORWARD", [11] = "FAIL" }
local grp_types = { [0] = "LOCATE", [1] = "HEREIS", [2] = "JOINREQ",
	[3] = "JOIN", [4] = "LEAVEREQ", [5] = "LEAVE", [6] = "BCASTREQ",
	[7] = "BCAST", [8] = "ACK", [9] = "RETRANS", [10] = "SYNC",
	[11] = "STATE", [12] = "REFORMREQ", [13] = "VOTE", [14] = "RESULT",
	[15] = "RESULTACK", [16] = "ALIVE", [17] = "ALIVEREQ", [18] = "DEAD" }
local protocols = { [1] = "RPC", [2] = "group" }

local F = ProtoField
flip.fields.fc_type  = F.uint8("amflip.fc_type", "Flow-control type", base.DEC, fc_types)
flip.fields.fc_cnt   = F.uint8("amflip.fc_cnt", "Credits", base.DEC)
flip.fields.version  = F.uint8("amflip.version", "Version", base.DEC)
flip.fields.type     = F.uint8("amflip.type", "Type", base.DEC, flip_types)
flip.fields.flags    = F.uint8("amflip.flags", "Flags", base.HEX)
flip.fields.act_hop  = F.uint16("amflip.act_hop", "Actual hops", base.DEC)
flip.fields.max_hop  = F.uint16("amflip.max_hop", "Maximum hops", base.DEC)
flip.fields.dst      = F.bytes("amflip.dst", "Destination address")
flip.fields.src      = F.bytes("amflip.src", "Source address")
flip.fields.messid   = F.uint32("amflip.messid", "Message id", base.DEC)
flip.fields.length   = F.uint32("amflip.length", "Length", base.DEC)
flip.fields.offset   = F.uint32("amflip.offset", "Fragment offset", base.DEC)
flip.fields.total    = F.uint32("amflip.total", "Total length", base.DEC)
flip.fields.proto    = F.uint32("amflip.protocol", "Protocol id", base.DEC, protocols)
flip.fields.count    = F.uint16("amflip.count", "HEREIS count", base.DEC)
flip.fields.trusted  = F.uint16("amflip.trusted", "HEREIS trusted count", base.DEC)
flip.fields.frag     = F.bytes("amflip.fragment", "Continuation fragment")
flip.fields.mcloc    = F.bytes("amflip.mc_location", "Multicast location")
flip.fields.mcaddr   = F.bytes("amflip.mc_address", "Multicast FLIP address")

amrpc.fields.kid     = F.bytes("amrpc.kid", "Kernel id")
amrpc.fields.port    = F.bytes("amrpc.port", "Put-port")
amrpc.fields.type    = F.uint8("amrpc.type", "Type", base.DEC, rpc_types)
amrpc.fields.flags   = F.uint8("amrpc.flags", "Flags", base.HEX)
amrpc.fields.tid     = F.uint32("amrpc.tid", "Transaction id", base.DEC)
amrpc.fields.dest    = F.uint16("amrpc.dest", "Destination index", base.DEC)
amrpc.fields.from    = F.uint16("amrpc.from", "Source index", base.DEC)
amrpc.fields.fwd     = F.bytes("amrpc.forward", "Forward to address")

amgrp.fields.type    = F.uint8("amgrp.type", "Type", base.DEC, grp_types)
amgrp.fields.flags   = F.uint8("amgrp.flags", "Flags", base.HEX)
amgrp.fields.cpu     = F.uint16("amgrp.cpu", "Member index", base.DEC)
amgrp.fields.inc     = F.uint16("amgrp.incarnation", "Incarnation", base.DEC)
amgrp.fields.seqno   = F.uint32("amgrp.seqno", "Sequence number", base.DEC)
amgrp.fields.messid  = F.uint32("amgrp.messid", "Message id", base.DEC)
amgrp.fields.expect  = F.uint32("amgrp.expect", "Expect", base.DEC)

amhdr.fields.port    = F.bytes("amhdr.port", "Port")
amhdr.fields.sig     = F.bytes("amhdr.signature", "Signature")
amhdr.fields.priv    = F.bytes("amhdr.private", "Private part")
amhdr.fields.object  = F.uint32("amhdr.object", "Object number", base.DEC)
amhdr.fields.rights  = F.uint8("amhdr.rights", "Rights", base.HEX)
amhdr.fields.command = F.uint16("amhdr.command", "Command", base.DEC)
amhdr.fields.status  = F.int16("amhdr.status", "Status", base.DEC)
amhdr.fields.offset  = F.int32("amhdr.offset", "Offset", base.DEC)
amhdr.fields.size    = F.uint16("amhdr.size", "Size", base.DEC)
amhdr.fields.extra   = F.uint16("amhdr.extra", "Extra", base.DEC)
amhdr.fields.data    = F.bytes("amhdr.data", "Data")

flip.prefs.unicast = Pref.enum("Data packets are", 0,
	"How to read a non-locate data packet",
	{ { 1, "by shape", 0 }, { 2, "always RPC", 1 }, { 3, "always group", 2 } })

-- Read an unsigned field of n bytes at off in the sender's order.
local function uint(tvb, off, n, be)
	if be then return tvb(off, n):uint() end
	return tvb(off, n):le_uint()
end

local function add(tree, field, tvb, off, n, be)
	if be or n == 1 then return tree:add(field, tvb(off, n)) end
	return tree:add_le(field, tvb(off, n))
end

-- The Amoeba header (32 bytes) at off; command (request) or status (reply).
local function dissect_amhdr(tvb, tree, off, is_reply, be)
	local t = tree:add(amhdr, tvb(off, 32))
	t:add(amhdr.fields.port, tvb(off, 6))
	t:add(amhdr.fields.sig, tvb(off + 6, 6))
	local p = t:add(amhdr.fields.priv, tvb(off + 12, 10))
	-- private part: object (3 bytes, little-endian), rights (1), check (6)
	p:add(amhdr.fields.object, tvb(off + 12, 3), tvb(off + 12, 3):le_uint())
	p:add(amhdr.fields.rights, tvb(off + 15, 1))
	local cmd = uint(tvb, off + 22, 2, be)
	if is_reply then
		if cmd >= 32768 then cmd = cmd - 65536 end
		t:add(amhdr.fields.status, tvb(off + 22, 2), cmd)
	else
		t:add(amhdr.fields.command, tvb(off + 22, 2), cmd)
	end
	t:add(amhdr.fields.offset, tvb(off + 24, 4), (function()
		local v = uint(tvb, off + 24, 4, be)
		if v >= 2147483648 then v = v - 4294967296 end
		return v
	end)())
	t:add(amhdr.fields.size, tvb(off + 28, 2), uint(tvb, off + 28, 2, be))
	t:add(amhdr.fields.extra, tvb(off + 30, 2), uint(tvb, off + 30, 2, be))
	return cmd
end

-- amphdr (24) [+ Amoeba header + data] at off, n bytes of this fragment.
local function dissect_rpc(tvb, pinfo, tree, off, n)
	if n < 24 then return end
	local be = bit.band(tvb(off + 15, 1):uint(), 1) ~= 0
	local t = tree:add(amrpc, tvb(off, n))
	local ty = tvb(off + 14, 1):uint()
	t:add(amrpc.fields.kid, tvb(off, 8))
	t:add(amrpc.fields.port, tvb(off + 8, 6))
	t:add(amrpc.fields.type, tvb(off + 14, 1))
	t:add(amrpc.fields.flags, tvb(off + 15, 1))
	local tid = uint(tvb, off + 16, 4, be)
	t:add(amrpc.fields.tid, tvb(off + 16, 4), tid)
	t:add(amrpc.fields.dest, tvb(off + 20, 2), uint(tvb, off + 20, 2, be))
	t:add(amrpc.fields.from, tvb(off + 22, 2), uint(tvb, off + 22, 2, be))
	local info = "RPC " .. (rpc_types[ty] or ty) .. " tid " .. tid
	if (ty == 3 or ty == 4) and n >= 56 then
		local v = dissect_amhdr(tvb, t, off + 24, ty == 4, be)
		info = info .. (ty == 4 and " status " or " command ") .. v
		if n > 56 then
			t:add(amhdr.fields.data, tvb(off + 56, n - 56))
		end
	elseif ty == 10 and n >= 32 then
		t:add(amrpc.fields.fwd, tvb(off + 24, 8))
	end
	pinfo.cols.protocol = "AMRPC"
	pinfo.cols.info = info
end

-- bchdr (20) [+ Amoeba header] at off.
local function dissect_grp(tvb, pinfo, tree, off, n)
	if n < 20 then return end
	local be = bit.band(tvb(off + 1, 1):uint(), 1) ~= 0
	local t = tree:add(amgrp, tvb(off, n))
	local ty = tvb(off, 1):uint()
	t:add(amgrp.fields.type, tvb(off, 1))
	t:add(amgrp.fields.flags, tvb(off + 1, 1))
	t:add(amgrp.fields.cpu, tvb(off + 4, 2), uint(tvb, off + 4, 2, be))
	t:add(amgrp.fields.inc, tvb(off + 6, 2), uint(tvb, off + 6, 2, be))
	local seq = uint(tvb, off + 8, 4, be)
	t:add(amgrp.fields.seqno, tvb(off + 8, 4), seq)
	t:add(amgrp.fields.messid, tvb(off + 12, 4), uint(tvb, off + 12, 4, be))
	t:add(amgrp.fields.expect, tvb(off + 16, 4), uint(tvb, off + 16, 4, be))
	-- LOCATE, JOINREQ, JOIN, LEAVEREQ, BCASTREQ, BCAST carry a header
	if (ty == 0 or ty == 2 or ty == 3 or ty == 4 or ty == 6 or ty == 7)
	    and n >= 52 then
		dissect_amhdr(tvb, t, off + 20, false, be)
	end
	pinfo.cols.protocol = "AMGRP"
	pinfo.cols.info = "group " .. (grp_types[ty] or ty) .. " seqno " .. seq
end

local function looks_like_bchdr(tvb, off, n)
	if n < 20 then return false end
	local ty, fl = tvb(off, 1):uint(), tvb(off + 1, 1):uint()
	return tvb(off + 2, 2):uint() == 0 and ty >= 1 and ty <= 18 and fl <= 1
end

function flip.dissector(tvb, pinfo, tree)
	if tvb:len() < 2 then return 0 end
	local t = tree:add(flip, tvb())
	local fc = tvb(0, 1):uint()
	t:add(flip.fields.fc_type, tvb(0, 1))
	t:add(flip.fields.fc_cnt, tvb(1, 1))
	pinfo.cols.protocol = "FLIP"
	if fc == 3 and tvb:len() >= 18 then
		t:add(flip.fields.mcloc, tvb(2, 8))
		t:add(flip.fields.mcaddr, tvb(10, 8))
	elseif (fc == 4 or fc == 5) and tvb:len() >= 10 then
		t:add(flip.fields.mcaddr, tvb(2, 8))
	end
	if fc ~= 0 then
		pinfo.cols.info = "FLIP " .. (fc_types[fc] or fc) .. " "
			.. tvb(1, 1):uint()
		return tvb:len()
	end
	if tvb:len() < 42 then return tvb:len() end
	local h = 2
	local be = bit.band(tvb(h + 2, 1):uint(), 1) ~= 0
	local ty = tvb(h + 1, 1):uint()
	t:add(flip.fields.version, tvb(h, 1))
	t:add(flip.fields.type, tvb(h + 1, 1))
	t:add(flip.fields.flags, tvb(h + 2, 1))
	add(t, flip.fields.act_hop, tvb, h + 4, 2, be)
	add(t, flip.fields.max_hop, tvb, h + 6, 2, be)
	t:add(flip.fields.dst, tvb(h + 8, 8))
	t:add(flip.fields.src, tvb(h + 16, 8))
	add(t, flip.fields.messid, tvb, h + 24, 4, be)
	local len = uint(tvb, h + 28, 4, be)
	local offset = uint(tvb, h + 32, 4, be)
	add(t, flip.fields.length, tvb, h + 28, 4, be)
	add(t, flip.fields.offset, tvb, h + 32, 4, be)
	add(t, flip.fields.total, tvb, h + 36, 4, be)
	local d = h + 40
	local n = math.min(len, tvb:len() - d)	-- the rest is Ethernet padding
	pinfo.cols.info = "FLIP " .. (flip_types[ty] or ty)
	if ty == 2 and n >= 4 then
		add(t, flip.fields.count, tvb, d, 2, be)
		add(t, flip.fields.trusted, tvb, d + 2, 2, be)
		return tvb:len()
	end
	if ty < 3 or n <= 0 then return tvb:len() end
	if offset ~= 0 then
		t:add(flip.fields.frag, tvb(d, n))
		pinfo.cols.info = "FLIP " .. (flip_types[ty] or ty)
			.. " fragment at " .. offset
		return tvb:len()
	end
	local nulldst = tvb(h + 8, 8):bytes():tohex() == "0000000000000000"
	if ty == 4 and nulldst then
		if n < 4 then return tvb:len() end
		local pid = tvb(d, 4):uint()
		t:add(flip.fields.proto, tvb(d, 4))
		if pid == 1 then
			dissect_rpc(tvb, pinfo, tree, d + 4, n - 4)
		elseif pid == 2 then
			dissect_grp(tvb, pinfo, tree, d + 4, n - 4)
		end
		return tvb:len()
	end
	local how = flip.prefs.unicast
	if how == 2 or (how == 0 and looks_like_bchdr(tvb, d, n)) then
		dissect_grp(tvb, pinfo, tree, d, n)
	else
		dissect_rpc(tvb, pinfo, tree, d, n)
	end
	return tvb:len()
end

DissectorTable.get("ethertype"):add(0x8146, flip)
