(* afs.ml - AFS, a file server in ML with the Bullet server's interface
   (userland/servers/bullet, libamoeba/include/server/bullet/bullet.h):
   BS_CREATE, BS_READ, BS_SIZE, BS_MODIFY, BS_INSERT, BS_DELETE,
   STD_INFO, STD_DESTROY, STD_RESTRICT, STD_TOUCH, STD_STATUS, with
   Bullet's rights, compare mode, uncommitted files and errors, in
   Bullet's order: a capability that does not validate gives STD_CAPBAD,
   missing rights STD_DENIED, bad sizes or offsets STD_ARGBAD.

   Files are kept in memory: a table from object number to file (bytes,
   size, committed or not, the random check port); with -d FILE the
   committed ones are also on disk in AFS's own layout (below) and
   survive a restart of the server, with the same capabilities.  The administrative commands of a
   disk (BS_FSCK, BS_DISK_COMPACT, BS_SYNC, STD_AGE, STD_GETPARAMS,
   STD_SETPARAMS) need the super-capability with BS_RGT_ADMIN as on
   Bullet and then do nothing (there is no disk).

     afs [-t THREADS] [-p] [-P NAME] [-d FILE [-m MIB] | -D CAPNAME]

   THREADS server threads (default 3) take requests on the
   super-capability's port, under one lock; one more thread answers
   STD_INFO on Bullet's well-known port ("vx:bullet:default") with the
   super-capability without BS_RGT_ADMIN, as every Bullet server does, so
   bullet_default_cap finds AFS; -P NAME answers on the port of NAME
   instead (found the same way, beside a Bullet server on the same
   node).  -p prints the super-capability (32 hex digits) on stdout.
   -d FILE keeps the files in FILE (a host file on Linux); -m MIB first
   makes FILE, MIB MiB with an empty layout.  -D CAPNAME keeps them on
   the virtual disk (a partition or disk of a node's disk server, as
   Bullet uses) that CAPNAME names in the capability environment (the
   boot server's capv: AFSDISK = "kdir:NODE/vdisk:hd1"); a blank one
   (block 0 all zeros) gets an empty layout. *)
open Amoeba

let std_ok = 0
let std_capbad = -1000
let std_combad = -1001
let std_argbad = -1002
let std_denied = -1005

let std_first = 1000
let std_age = std_first + 1
let std_destroy_c = std_first + 3
let std_info_c = std_first + 4
let std_restrict_c = std_first + 5
let std_status_c = std_first + 6
let std_touch = std_first + 7
let std_getparams = std_first + 8
let std_setparams = std_first + 9
let std_ntouch = std_first + 10

let bullet_first = 2000
let bs_create = bullet_first + 1
let bs_delete = bullet_first + 2
let bs_fsck = bullet_first + 3
let bs_insert = bullet_first + 4
let bs_modify = bullet_first + 5
let bs_read = bullet_first + 6
let bs_size = bullet_first + 7
let bs_disk_compact = bullet_first + 8
let bs_sync = bullet_first + 9

let rgt_create = 0x01
let rgt_read = 0x02
let rgt_modify = 0x04
let rgt_destroy = 0x08
let rgt_admin = 0x80
let public_rights = rgt_create lor rgt_read lor rgt_modify lor rgt_destroy

let bs_commit = 1
let reqbufsz = (1490 - 32) + (19 * 1490)
let bigunit = 65536
let bigread = 1024 * 1024
let max_obj = 0xFFFFFF

type file = {
  mutable data : bytes;         (* capacity >= size *)
  mutable size : int;
  mutable committed : bool;
  random : port;
  mutable cmp_obj : int;        (* compare mode: the original, or 0 *)
  mutable cmp_rights : int;
}

(* The server's identity: fresh, or the disk's (load) *)
let super_random = ref (uniqport ())
let get_port = ref (uniqport ())
let put_port = ref (priv2pub !get_port)
let files : (int, file) Hashtbl.t = Hashtbl.create 64
let next_obj = ref 1
let lock = Mutex.create ()
let served = ref 0

(* FNV-1a-64 of a public name, its low 6 bytes little-endian (as
   libamoeba's bullet_public_getport for "vx:bullet:default"). *)
let public_getport name =
  let h = ref 0xCBF29CE484222325L in
  String.iter (fun c ->
      h := Int64.mul (Int64.logxor !h (Int64.of_int (Char.code c)))
          0x100000001B3L) name;
  String.init 6 (fun i ->
      Char.chr (Int64.to_int
                  (Int64.logand (Int64.shift_right_logical !h (8 * i)) 0xFFL)))

(* The object and rights of h's capability, or the error. *)
let check_cap h =
  let obj = h.h_priv.prv_object in
  let random =
    if obj = 0 then Some !super_random
    else match Hashtbl.find_opt files obj with
      | Some f -> Some f.random
      | None -> None in
  match random with
  | None -> Error std_capbad
  | Some r ->
    match prv_decode h.h_priv r with
    | Some rights -> Ok (obj, rights)
    | None -> Error std_capbad

let put_cap h obj rights =
  let random = if obj = 0 then !super_random
    else (Hashtbl.find files obj).random in
  h.h_port <- !put_port;
  h.h_priv <- prv_encode obj rights random

let new_file () =
  let obj = !next_obj in
  if obj > max_obj then None
  else begin
    incr next_obj;
    let f = { data = Bytes.empty; size = 0; committed = false;
              random = uniqport (); cmp_obj = 0; cmp_rights = 0 } in
    Hashtbl.replace files obj f;
    Some (obj, f)
  end

(* ---- the disk: AFS's own layout in a store of 512-byte blocks ----------
   block 0          the superblock: magic "AFS-VX01", version 1, the
                    store's blocks, the table's blocks T, the get-port and
                    the super-capability's random (so capabilities
                    survive a restart), a checksum in its last 4 bytes;
   blocks 1 .. T    the file table, 16 entries of 32 bytes a block: object
                    number (0: free), random (6), size, first block,
                    checksum of the entry;
   blocks T+1 ..    file data, each committed file in one run of blocks.
   A commit writes the data, then the table block with its entry (the
   entry is the commit point); STD_DESTROY clears the entry.  Uncommitted
   files are not written (as on Bullet, a restart loses them).  Loading
   checks every field and ends the server with a clear message on a
   damaged layout.  Files are served from memory (read at start). *)
let blk = 512
let magic = "AFS-VX01"
let entsz = 32

exception Damaged of string

type store = {
  nblocks : int;
  read : int -> int -> bytes;           (* first block, count *)
  write : int -> bytes -> unit;         (* first block, whole blocks *)
}

let disk : store option ref = ref None
let tblocks = ref 0
let slots : (int, int * int * int) Hashtbl.t = Hashtbl.create 64
(* obj -> table slot, first block, blocks *)

let sum b off len =
  let h = ref 0 in
  for i = off to off + len - 1 do
    h := (!h * 31 + Char.code (Bytes.get b i)) land 0x3FFFFFFF
  done;
  !h

(* signed: the fields fit in 30 bits, VX's ocamlrun has 31-bit ints *)
let get32 b off = Int32.to_int (Bytes.get_int32_le b off)
let set32 b off v = Bytes.set_int32_le b off (Int32.of_int v)

(* A host file as the store (standard channels; each write flushed). *)
let file_store path =
  let ic = open_in_bin path in
  let oc = open_out_gen [Open_wronly; Open_binary] 0o644 path in
  { nblocks = in_channel_length ic / blk;
    read = (fun first n ->
        let b = Bytes.create (n * blk) in
        seek_in ic (first * blk);
        really_input ic b 0 (n * blk);
        b);
    write = (fun first b ->
        seek_out oc (first * blk);
        output_bytes oc b;
        flush oc) }

(* A virtual disk of the node's disk server as the store (DS_SIZE,
   DS_READ, DS_WRITE of 512-byte blocks, D_REQBUFSZ at most a request;
   DS_CONTROL DSC_SYNC after each write, so a reply follows the medium). *)
let vdisk_store cap =
  let call cmd first k out outlen inb inlen =
    let h = new_header () in
    h.h_port <- cap.cap_port;
    h.h_priv <- cap.cap_priv;
    h.h_command <- cmd;
    h.h_offset <- first;
    h.h_size <- 9;
    h.h_extra <- k;
    let n = trans h out outlen inb inlen in
    if n < 0 then raise (Sys_error ("disk server: " ^ err_why n));
    if h_status h <> 0 then
      raise (Sys_error ("disk server: " ^ err_why (h_status h)));
    (h, n) in
  let maxk = 29 * 1024 / blk in
  let rec each first n f =
    if n > 0 then begin
      let k = min maxk n in
      f first k;
      each (first + k) (n - k) f
    end in
  let h, _ = call 2203 0 0 Bytes.empty 0 Bytes.empty 0 in
  { nblocks = h.h_offset;
    read = (fun first n ->
        let b = Bytes.create (n * blk) and tmp = Bytes.create (maxk * blk) in
        each first n (fun at k ->
            let _, got = call 2202 at k Bytes.empty 0 tmp (k * blk) in
            if got <> k * blk then raise (Sys_error "disk server: short read");
            Bytes.blit tmp 0 b ((at - first) * blk) (k * blk));
        b);
    write = (fun first b ->
        each first (Bytes.length b / blk) (fun at k ->
            let part = Bytes.sub b ((at - first) * blk) (k * blk) in
            ignore (call 2204 at k part (k * blk) Bytes.empty 0));
        let h = new_header () in
        h.h_port <- cap.cap_port;
        h.h_priv <- cap.cap_priv;
        h.h_command <- 2206;
        h.h_extra <- 3;
        ignore (trans h Bytes.empty 0 Bytes.empty 0)) }

let superblock st =
  let b = Bytes.make blk '\000' in
  Bytes.blit_string magic 0 b 0 8;
  set32 b 8 1;
  set32 b 12 st.nblocks;
  set32 b 16 !tblocks;
  Bytes.blit_string !get_port 0 b 20 6;
  Bytes.blit_string !super_random 0 b 26 6;
  set32 b (blk - 4) (sum b 0 (blk - 4));
  b

(* afs -m: an empty layout on st (fresh ports). *)
let make_fs st =
  if st.nblocks < 8 then raise (Damaged "too small for a file system");
  tblocks := max 1 (st.nblocks / 64);
  st.write 0 (superblock st);
  st.write 1 (Bytes.make (!tblocks * blk) '\000')

let nblocks_of size = (size + blk - 1) / blk

(* A run of n free blocks (first fit), or None. *)
let alloc st n =
  let used = List.sort compare
      (Hashtbl.fold (fun _ (_, first, k) l -> (first, k) :: l) slots []) in
  let rec fit at = function
    | [] -> if at + n <= st.nblocks then Some at else None
    | (first, k) :: rest ->
      if at + n <= first then Some at else fit (max at (first + k)) rest in
  fit (1 + !tblocks) used

let free_slot () =
  let taken = Hashtbl.fold (fun _ (s, _, _) l -> s :: l) slots [] in
  let rec find i = if i >= !tblocks * 16 then None
    else if List.mem i taken then find (i + 1) else Some i in
  find 0

(* Write the table block holding slot (entries from slots). *)
let write_table st slot =
  let tb = slot / 16 in
  let b = Bytes.make blk '\000' in
  Hashtbl.iter (fun obj (s, first, _) ->
      if s / 16 = tb then begin
        let f = Hashtbl.find files obj in
        let o = (s mod 16) * entsz in
        set32 b o obj;
        Bytes.blit_string f.random 0 b (o + 4) 6;
        set32 b (o + 12) f.size;
        set32 b (o + 16) first;
        set32 b (o + 28) (sum b o 28)
      end) slots;
  st.write (1 + tb) b

(* Store committed file obj; STD_OK or STD_NOSPACE. *)
let persist obj f =
  match !disk with
  | None -> std_ok
  | Some st ->
    let n = nblocks_of f.size in
    match free_slot (), alloc st n with
    | Some slot, Some first ->
      if n > 0 then begin
        let b = Bytes.make (n * blk) '\000' in
        Bytes.blit f.data 0 b 0 f.size;
        st.write first b
      end;
      Hashtbl.replace slots obj (slot, first, n);
      write_table st slot;
      std_ok
    | _ -> -1004 (* STD_NOSPACE *)

let unpersist obj =
  match !disk, Hashtbl.find_opt slots obj with
  | Some st, Some (slot, _, _) ->
    Hashtbl.remove slots obj;
    write_table st slot
  | _ -> ()

(* Read the layout on st into files; Damaged on any bad field. *)
let load st =
  if st.nblocks < 8 then raise (Damaged "too small for a file system");
  let sb = st.read 0 1 in
  if Bytes.sub_string sb 0 8 <> magic then
    raise (Damaged "no AFS layout (bad magic; afs -m makes one)");
  if get32 sb (blk - 4) <> sum sb 0 (blk - 4) then
    raise (Damaged "superblock checksum");
  if get32 sb 8 <> 1 then raise (Damaged "unknown version");
  if get32 sb 12 <> st.nblocks then
    raise (Damaged (Printf.sprintf "superblock says %d blocks, the store has %d"
                      (get32 sb 12) st.nblocks));
  tblocks := get32 sb 16;
  if !tblocks < 1 || 1 + !tblocks >= st.nblocks then
    raise (Damaged "table size");
  get_port := Bytes.sub_string sb 20 6;
  put_port := priv2pub !get_port;
  super_random := Bytes.sub_string sb 26 6;
  let tab = st.read 1 !tblocks in
  let runs = ref [] in
  for slot = 0 to !tblocks * 16 - 1 do
    let o = slot * entsz in
    let obj = get32 tab o in
    if obj <> 0 then begin
      let bad what = raise (Damaged (Printf.sprintf "table entry %d: %s"
                                       slot what)) in
      if get32 tab (o + 28) <> sum tab o 28 then bad "checksum";
      if obj > max_obj || Hashtbl.mem files obj then bad "object number";
      let size = get32 tab (o + 12) and first = get32 tab (o + 16) in
      let n = nblocks_of size in
      if size < 0 || first <= !tblocks || first + n > st.nblocks then
        bad "blocks out of the store";
      if List.exists (fun (a, k) -> first < a + k && a < first + n) !runs
      then bad "blocks shared with another file";
      runs := (first, n) :: !runs;
      let data = if n = 0 then Bytes.empty
        else Bytes.sub (st.read first n) 0 size in
      Hashtbl.replace files obj
        { data; size; committed = true; random = Bytes.sub_string tab (o + 4) 6;
          cmp_obj = 0; cmp_rights = 0 };
      Hashtbl.replace slots obj (slot, first, n);
      if obj >= !next_obj then next_obj := obj + 1
    end
  done

let reserve f n =
  if n > Bytes.length f.data then begin
    let cap = max n (max 4096 (2 * Bytes.length f.data)) in
    let d = Bytes.create cap in
    Bytes.blit f.data 0 d 0 f.size;
    f.data <- d
  end

type op = Modify | Insert | Delete

(* Apply a change of n bytes at off (data from req for Modify/Insert). *)
let apply f op off req n =
  match op with
  | Modify ->
    let newsize = max f.size (off + n) in
    reserve f newsize;
    Bytes.blit req 0 f.data off n;
    f.size <- newsize
  | Insert ->
    reserve f (f.size + n);
    Bytes.blit f.data off f.data (off + n) (f.size - off);
    Bytes.blit req 0 f.data off n;
    f.size <- f.size + n
  | Delete ->
    Bytes.blit f.data (off + n) f.data off (f.size - off - n);
    f.size <- f.size - n

let same_contents a b =
  a.size = b.size && Bytes.sub a.data 0 a.size = Bytes.sub b.data 0 b.size

(* Commit obj if h_extra asks; the capability in h (compare mode may
   give the original back). *)
exception Failed of int

let finish h obj made rights =
  let f = Hashtbl.find files obj in
  let result =
    if h.h_extra land bs_commit = 0 then obj
    else begin
      let orig = f.cmp_obj in
      match if orig <> 0 then Hashtbl.find_opt files orig else None with
      | Some o when o.committed && same_contents f o ->
        Hashtbl.remove files obj; orig
      | _ ->
        let e = persist obj f in
        if e <> std_ok then raise (Failed e);
        f.committed <- true; f.cmp_obj <- 0; obj
    end in
  put_cap h result
    (if result = obj then (if made then prv_all_rights else rights)
     else f.cmp_rights);
  std_ok

let copy_file o =
  match new_file () with
  | None -> None
  | Some (obj, f) ->
    reserve f o.size;
    Bytes.blit o.data 0 f.data 0 o.size;
    f.size <- o.size;
    Some obj

let change h op req reqlen =
  match check_cap h with
  | Error e -> e
  | Ok (0, _) -> std_combad
  | Ok (_, rights) when rights land rgt_modify = 0 -> std_denied
  | Ok (obj, rights) ->
    let f = Hashtbl.find files obj in
    let off = h.h_offset in
    let count =
      if op = Delete then
        (if reqlen < 4 then None else Some (fst (Buf.get_int32 req 0)))
      else Some reqlen in
    match count with
    | None -> std_argbad
    | Some n ->
      if off < 0 || off > f.size || n < 0 || (op <> Modify && n = 0)
         || (op = Delete && n > f.size - off)
         || (op <> Delete && n > max_int - off) then std_argbad
      else if f.committed && n = 0 && op = Modify then std_ok
      else if f.committed then
        match copy_file f with
        | None -> -1004 (* STD_NOSPACE *)
        | Some target ->
          apply (Hashtbl.find files target) op off req n;
          finish h target true rights
      else begin
        apply f op off req n;
        finish h obj false rights
      end

let create h req reqlen =
  match check_cap h with
  | Error e -> e
  | Ok (_, rights) when rights land rgt_create = 0 -> std_denied
  | Ok (orig, _) when orig <> 0 && not (Hashtbl.find files orig).committed ->
    std_capbad
  | Ok (orig, rights) ->
    match new_file () with
    | None -> -1004
    | Some (obj, f) ->
      f.cmp_obj <- orig;
      f.cmp_rights <- rights;
      if reqlen > 0 then apply f Modify 0 req reqlen;
      finish h obj true prv_all_rights

(* A committed file's object and rights for reading, or the error. *)
let readable h =
  match check_cap h with
  | Error e -> Error e
  | Ok (0, _) -> Error std_combad
  | Ok (obj, rights) ->
    let f = Hashtbl.find files obj in
    if not f.committed then Error std_capbad
    else if rights land rgt_read = 0 then Error std_denied
    else Ok f

(* The reply data of the request being served: bytes, offset, length
   (a read replies straight from the file's bytes). *)
let reply_src = ref (Bytes.empty, 0)

(* BS_READ: h_size bytes, or h_extra * 64 KiB from a VX client. *)
let read h =
  match readable h with
  | Error e -> (e, 0)
  | Ok f ->
    let want = if h.h_extra <> 0 then h.h_extra * bigunit else h.h_size in
    let off = h.h_offset in
    if off < 0 || off > f.size then (std_argbad, 0)
    else begin
      let n = min (min (f.size - off) want) bigread in
      reply_src := (f.data, off);
      h.h_size <- n;
      (std_ok, n)
    end

let text h rep s =
  let n = min (min (String.length s) h.h_size) (Bytes.length rep) in
  Bytes.blit_string s 0 rep 0 n;
  h.h_size <- n;
  (std_ok, n)

let need_super h need =
  match check_cap h with
  | Error e -> e
  | Ok (obj, _) when obj <> 0 -> std_combad
  | Ok (_, rights) -> if rights land need = need then std_ok else std_denied

(* One request: its status and reply size (the reply data in rep). *)
let dispatch h req reqlen rep =
  let c = h.h_command in
  let only e = (e, 0) in
  if c = bs_create then only (create h req reqlen)
  else if c = bs_modify then only (change h Modify req reqlen)
  else if c = bs_insert then only (change h Insert req reqlen)
  else if c = bs_delete then only (change h Delete req reqlen)
  else if c = bs_read then read h
  else if c = bs_size then
    (match readable h with
     | Error e -> only e
     | Ok f -> h.h_offset <- f.size; only std_ok)
  else if c = bs_fsck || c = bs_disk_compact then
    (let e = need_super h rgt_admin in h.h_offset <- 0; only e)
  else if c = bs_sync then
    only (match check_cap h with Error e -> e | Ok _ -> std_ok)
  else if c = std_age then only (need_super h prv_all_rights)
  else if c = std_touch || c = std_ntouch then
    only (match check_cap h with Error e -> e | Ok _ -> std_ok)
  else if c = std_destroy_c then
    only (match check_cap h with
        | Error e -> e
        | Ok (0, _) -> std_combad
        | Ok (_, r) when r land rgt_destroy = 0 -> std_denied
        | Ok (obj, _) -> unpersist obj; Hashtbl.remove files obj; std_ok)
  else if c = std_restrict_c then
    (match check_cap h with
     | Error e -> only e
     | Ok (obj, rights) ->
       put_cap h obj (rights land h.h_offset); only std_ok)
  else if c = std_info_c then
    (match check_cap h with
     | Error e -> only e
     | Ok (0, _) -> text h rep "bullet server"
     | Ok (obj, _) ->
       text h rep (Printf.sprintf "-   %d bytes" (Hashtbl.find files obj).size))
  else if c = std_status_c then
    (match check_cap h with
     | Error e -> only e
     | Ok _ ->
       text h rep (Printf.sprintf "afs (ML file server, %s): %d files, \
                                   %d requests\n"
                     (if !disk = None then "in memory" else "on disk")
                     (Hashtbl.length files) !served))
  else if c = std_getparams || c = std_setparams then
    only (need_super h rgt_admin)
  else only std_combad

let server () =
  let req = Bytes.create (reqbufsz + 4096) in
  let rep = Bytes.create 1024 in
  while true do
    let h = new_header () in
    h.h_port <- !get_port;
    let n = getreq h req (Bytes.length req) in
    if n >= 0 then begin
      Mutex.lock lock;
      reply_src := (rep, 0);
      let status, len =
        try dispatch h req n rep
        with Invalid_argument _ | Not_found -> (std_argbad, 0)
           | Failed e -> (e, 0)
           | Sys_error msg ->
             Printf.eprintf "afs: disk: %s\n%!" msg; (-1009, 0) in
      incr served;
      h.h_command <- status;
      if status <> std_ok then h.h_size <- 0;
      (* the reply goes out under the lock: a read's bytes are the
         file's own, which another request may change or drop *)
      let buf, off = !reply_src in
      ignore (putrep_sub h buf off (if status = std_ok then len else 0));
      Mutex.unlock lock
    end
  done

let public name =
  let get = public_getport name in
  let text = Bytes.of_string "bullet server" in
  while true do
    let h = new_header () in
    h.h_port <- get;
    if getreq h Bytes.empty 0 >= 0 then begin
      if h.h_command <> std_info_c then begin
        h.h_command <- std_combad;
        ignore (putrep h Bytes.empty 0)
      end else begin
        h.h_port <- !put_port;
        h.h_priv <- prv_encode 0 public_rights !super_random;
        h.h_command <- std_ok;
        h.h_size <- Bytes.length text;
        ignore (putrep h text (Bytes.length text))
      end
    end
  done

(* -d FILE: load its layout (with -m MIB: make FILE that big with an
   empty layout first); -D NAME: the virtual disk NAME names in the
   capability environment (a blank one, block 0 all zeros, gets an empty
   layout); a clear message and exit 1 when it fails. *)
let open_disk path mib vdisk =
  let fail what = Printf.eprintf "afs: %s: %s\n%!" path what; exit 1 in
  try
    let st =
      if vdisk then begin
        match getcap path with
        | None -> fail "not in the capability environment"
        | Some cap ->
          let st = vdisk_store cap in
          if st.nblocks >= 8 && Bytes.for_all (fun c -> c = '\000') (st.read 0 1)
          then begin
            make_fs st;
            Printf.printf "afs: %s: a blank disk, made an empty layout\n%!"
              path
          end;
          st
      end else begin
        if mib > 0 then begin
          let oc = open_out_bin path in
          seek_out oc (mib * 1024 * 1024 - 1);
          output_char oc '\000';
          close_out oc;
          make_fs (file_store path)
        end;
        file_store path
      end in
    load st;
    disk := Some st
  with
  | Damaged what -> fail ("damaged layout: " ^ what)
  | End_of_file -> fail "damaged layout: shorter than it says"
  | Sys_error what -> fail what

let () =
  let nthreads = ref 3 and print = ref false in
  let pubname = ref "vx:bullet:default" in
  let store = ref "" and make = ref 0 and vdisk = ref false in
  let rec args = function
    | [] -> ()
    | "-t" :: n :: rest ->
      (match int_of_string_opt n with
       | Some k when k >= 1 && k <= 16 -> nthreads := k
       | _ -> prerr_endline "afs: -t wants 1..16"; exit 2);
      args rest
    | "-p" :: rest -> print := true; args rest
    | "-d" :: path :: rest when path <> "" -> store := path; args rest
    | "-D" :: name :: rest when name <> "" ->
      store := name; vdisk := true; args rest
    | "-m" :: mib :: rest ->
      (match int_of_string_opt mib with
       | Some k when k >= 1 && k <= 1024 -> make := k
       | _ -> prerr_endline "afs: -m wants 1..1024 (MiB)"; exit 2);
      args rest
    | "-P" :: name :: rest when name <> "" -> pubname := name; args rest
    | a :: _ ->
      Printf.eprintf "afs: unknown argument %s\nusage: afs [-t THREADS] [-p] [-P NAME] [-d FILE [-m MIB] | -D CAPNAME]\n" a;
      exit 2 in
  args (List.tl (Array.to_list Sys.argv));
  if !make > 0 && (!store = "" || !vdisk) then
    (prerr_endline "afs: -m needs -d FILE"; exit 2);
  if !store <> "" then open_disk !store !make !vdisk;
  if !print then
    print_endline
      (String.concat ""
         (List.map (fun c -> Printf.sprintf "%02x" (Char.code c))
            (List.init 16 (String.get
                             (string_of_cap
                                { cap_port = !put_port;
                                  cap_priv = prv_encode 0 prv_all_rights
                                      !super_random })))));
  let ts = List.init !nthreads (fun _ -> Thread.create server ()) in
  ignore (Thread.create public !pubname);
  Printf.printf "afs: serving with %d threads (%s)\n%!" !nthreads
    (if !disk = None then "in memory"
     else Printf.sprintf "on %s, %d files" !store (Hashtbl.length files));
  List.iter Thread.join ts
