(* amoeba.ml - Amoeba for ML programs (see amoeba.mli).  Everything that
   is only bytes and arithmetic is ML; the system calls, F, the random
   ports and the private-part check are the C stubs of
   vam/ocamlrun/amoeba_stubs.c. *)

type port = string

external c_trans : bytes -> bytes -> int -> bytes -> int -> int = "vam_trans"
external c_getreq : bytes -> bytes -> int -> int = "vam_getreq"
external c_putrep : bytes -> bytes -> int -> int -> int = "vam_putrep"
external timeout : int -> int = "vam_timeout"
external c_one_way : string -> string = "vam_one_way"
external uniqport : unit -> string = "vam_uniqport"
external c_prv_encode : int -> int -> string -> string = "vam_prv_encode"
external c_prv_decode : string -> string -> int = "vam_prv_decode"
external c_getcap : string -> string = "vam_getcap"
external err_why : int -> string = "vam_err_why"
external now : unit -> float = "vam_now"

let portsize = 6
let null_port = String.make portsize '\000'

let port_of_name name =
  let n = min (String.length name) portsize in
  String.sub name 0 n ^ String.make (portsize - n) '\000'

let check_port what p =
  if String.length p <> portsize then invalid_arg ("Amoeba." ^ what ^ ": port")

let one_way p = check_port "one_way" p; c_one_way p
let priv2pub = one_way

type private_ = { prv_object : int; prv_rights : int; prv_random : port }
type capability = { cap_port : port; cap_priv : private_ }

let prv_all_rights = 0xff

(* ---- byte layouts ------------------------------------------------------ *)

module Buf = struct
  exception Overflow

  let room b pos n = if pos < 0 || pos + n > Bytes.length b then raise Overflow

  let put_le b pos v n =
    room b pos n;
    for i = 0 to n - 1 do
      Bytes.set b (pos + i) (Char.chr ((v asr (8 * i)) land 0xff))
    done;
    pos + n

  let get_le b pos n =
    room b pos n;
    let v = ref 0 in
    for i = n - 1 downto 0 do
      v := (!v lsl 8) lor Char.code (Bytes.get b (pos + i))
    done;
    !v

  let sign v bits =
    if v land (1 lsl (bits - 1)) <> 0 then v - (1 lsl bits) else v

  let put_int16 b pos v = put_le b pos v 2
  let put_uint16 = put_int16
  let put_int32 b pos v = put_le b pos v 4
  let put_uint32 = put_int32
  let put_objnum = put_int32
  let put_rights = put_int32
  let get_int16 b pos = (sign (get_le b pos 2) 16, pos + 2)
  let get_uint16 b pos = (get_le b pos 2, pos + 2)

  (* On a 32-bit runtime an int has 31 bits: int32 values beyond it wrap. *)
  let get_int32 b pos =
    let lo = get_le b pos 2 and hi = get_le b (pos + 2) 2 in
    ((sign hi 16) * 65536 + lo, pos + 4)

  let get_uint32 b pos =
    let lo = get_le b pos 2 and hi = get_le b (pos + 2) 2 in
    (hi * 65536 + lo, pos + 4)

  let get_objnum = get_int32
  let get_rights = get_int32

  let put_raw b pos s =
    room b pos (String.length s);
    Bytes.blit_string s 0 b pos (String.length s);
    pos + String.length s

  let get_raw b pos n =
    room b pos n;
    (Bytes.sub_string b pos n, pos + n)

  let put_port b pos p = check_port "Buf.put_port" p; put_raw b pos p
  let get_port b pos = get_raw b pos portsize

  let put_priv b pos p =
    check_port "Buf.put_priv" p.prv_random;
    if p.prv_object < 0 || p.prv_object > 0xffffff then
      invalid_arg "Amoeba.Buf.put_priv: object number";
    let pos = put_le b pos p.prv_object 3 in
    let pos = put_le b pos (p.prv_rights land 0xff) 1 in
    put_raw b pos p.prv_random

  let get_priv b pos =
    let obj = get_le b pos 3 in
    let rights = get_le b (pos + 3) 1 in
    let random, pos = get_raw b (pos + 4) portsize in
    ({ prv_object = obj; prv_rights = rights; prv_random = random }, pos)

  let put_cap b pos c = put_priv b (put_port b pos c.cap_port) c.cap_priv

  let get_cap b pos =
    let p, pos = get_port b pos in
    let priv, pos = get_priv b pos in
    ({ cap_port = p; cap_priv = priv }, pos)

  let put_string b pos s =
    if String.contains s '\000' then
      invalid_arg "Amoeba.Buf.put_string: NUL in the string";
    let pos = put_raw b pos s in
    put_le b pos 0 1

  let get_string b pos =
    room b pos 1;
    match Bytes.index_from_opt b pos '\000' with
    | Some e -> (Bytes.sub_string b pos (e - pos), e + 1)
    | None -> raise Overflow
end

let string_of_priv p =
  let b = Bytes.create 10 in
  ignore (Buf.put_priv b 0 p);
  Bytes.to_string b

let priv_of_string s = fst (Buf.get_priv (Bytes.of_string s) 0)

let prv_encode obj rights random =
  check_port "prv_encode" random;
  priv_of_string (c_prv_encode obj rights random)

let prv_decode priv random =
  check_port "prv_decode" random;
  let r = c_prv_decode (string_of_priv priv) random in
  if r < 0 then None else Some r

let std_notnow = -1003

let prv_restrict p mask =
  if p.prv_rights <> prv_all_rights then Error std_notnow
  else Ok (prv_encode p.prv_object (mask land prv_all_rights) p.prv_random)

let string_of_cap c =
  let b = Bytes.create 16 in
  ignore (Buf.put_cap b 0 c);
  Bytes.to_string b

let cap_of_string s =
  if String.length s <> 16 then invalid_arg "Amoeba.cap_of_string";
  fst (Buf.get_cap (Bytes.of_string s) 0)

let getcap name =
  match c_getcap name with "" -> None | s -> Some (cap_of_string s)

(* ---- headers and transactions ------------------------------------------- *)

type header = {
  mutable h_port : port;
  mutable h_signature : port;
  mutable h_priv : private_;
  mutable h_command : int;
  mutable h_offset : int;
  mutable h_size : int;
  mutable h_extra : int;
}

let null_priv = { prv_object = 0; prv_rights = 0; prv_random = null_port }

let new_header () =
  { h_port = null_port; h_signature = null_port; h_priv = null_priv;
    h_command = 0; h_offset = 0; h_size = 0; h_extra = 0 }

let header_for cap cmd =
  { (new_header ()) with h_port = cap.cap_port; h_priv = cap.cap_priv;
                         h_command = cmd }

let h_status h = Buf.sign (h.h_command land 0xffff) 16

(* The C struct header's memory layout (amoeba.h): offsets 0, 6, 12, 22,
   24, 28, 30. *)
let header_bytes h =
  let b = Bytes.create 32 in
  let pos = Buf.put_port b 0 h.h_port in
  let pos = Buf.put_port b pos h.h_signature in
  let pos = Buf.put_priv b pos h.h_priv in
  let pos = Buf.put_uint16 b pos (h.h_command land 0xffff) in
  let pos = Buf.put_int32 b pos h.h_offset in
  let pos = Buf.put_uint16 b pos (h.h_size land 0xffff) in
  ignore (Buf.put_uint16 b pos (h.h_extra land 0xffff));
  b

let header_load h b =
  let p, pos = Buf.get_port b 0 in
  let s, pos = Buf.get_port b pos in
  let priv, pos = Buf.get_priv b pos in
  let cmd, pos = Buf.get_uint16 b pos in
  let off, pos = Buf.get_int32 b pos in
  let size, pos = Buf.get_uint16 b pos in
  let extra, _ = Buf.get_uint16 b pos in
  h.h_port <- p; h.h_signature <- s; h.h_priv <- priv; h.h_command <- cmd;
  h.h_offset <- off; h.h_size <- size; h.h_extra <- extra

let trans h req reqlen rep replen =
  let b = header_bytes h in
  let n = c_trans b req reqlen rep replen in
  header_load h b;
  n

let getreq h buf len =
  let b = header_bytes h in
  let n = c_getreq b buf len in
  header_load h b;
  n

let putrep h buf len = c_putrep (header_bytes h) buf 0 len
let putrep_sub h buf off len = c_putrep (header_bytes h) buf off len

(* ---- standard commands ------------------------------------------------- *)

let std_info_cmd = 1004
let std_restrict_cmd = 1005
let std_status_cmd = 1006

let std_text cmd max cap =
  let h = header_for cap cmd in
  h.h_size <- min max 30000;
  let buf = Bytes.create max in
  let n = trans h Bytes.empty 0 buf max in
  if n < 0 then Error n
  else if h_status h < 0 then Error (h_status h)
  else
    let s = Bytes.sub_string buf 0 n in
    match String.index_opt s '\000' with
    | Some e -> Ok (String.sub s 0 e)
    | None -> Ok s

let std_info cap = std_text std_info_cmd 256 cap
let std_status cap = std_text std_status_cmd 5000 cap

let std_restrict cap mask =
  match prv_restrict cap.cap_priv mask with
  | Ok priv -> Ok { cap with cap_priv = priv }
  | Error _ ->
    let h = header_for cap std_restrict_cmd in
    h.h_offset <- mask;
    let n = trans h Bytes.empty 0 Bytes.empty 0 in
    if n < 0 then Error n
    else if h_status h < 0 then Error (h_status h)
    else Ok { cap with cap_priv = h.h_priv }

(* ---- Bullet ------------------------------------------------------------ *)

module Bullet = struct
  let bs_create = 2001
  let bs_modify = 2005
  let bs_read = 2006
  let bs_size = 2007
  let reqbufsz = 1490 - 32 + 19 * 1490   (* BS_REQBUFSZ *)
  let bigread = 1024 * 1024              (* BS_BIGREAD *)
  let bigunit = 65536                    (* BS_BIGUNIT *)

  (* One transaction: the reply size, or Error. *)
  let bs_trans h req reqlen rep replen =
    let n = trans h req reqlen rep replen in
    if n < 0 then Error n else if h_status h < 0 then Error (h_status h)
    else Ok n

  let b_size file =
    let h = header_for file bs_size in
    match bs_trans h Bytes.empty 0 Bytes.empty 0 with
    | Ok _ -> Ok h.h_offset
    | Error e -> Error e

  let b_read file offset size =
    if offset < 0 || size < 0 then Error (-1002) (* STD_ARGBAD *)
    else begin
      let out = Buffer.create size in
      let buf = Bytes.create (min size bigread) in
      let rec loop offset left =
        let n = min left bigread in
        let h = header_for file bs_read in
        h.h_offset <- offset;
        h.h_size <- min n reqbufsz;
        h.h_extra <- n / bigunit;
        match bs_trans h Bytes.empty 0 buf n with
        | Error e -> Error e
        | Ok got ->
          Buffer.add_subbytes out buf 0 got;
          if left - got > 0 && (got = n || got >= reqbufsz) then
            loop (offset + got) (left - got)
          else Ok (Buffer.contents out)
      in
      loop offset size
    end

  let b_create server data commit =
    let b = Bytes.unsafe_of_string data in
    let rec send cap cmd offset =
      let left = String.length data - offset in
      let n = min left reqbufsz in
      let h = header_for cap cmd in
      h.h_offset <- offset;
      h.h_size <- n;
      h.h_extra <- (if left > reqbufsz || not commit then 0 else 1);
      let piece = if offset = 0 then b else Bytes.sub b offset n in
      match bs_trans h piece n Bytes.empty 0 with
      | Error e -> Error e
      | Ok _ ->
        let made = { cap_port = h.h_port; cap_priv = h.h_priv } in
        if left > reqbufsz then send made bs_modify (offset + n)
        else Ok made
    in
    send server bs_create 0
end

(* ---- SOAP -------------------------------------------------------------- *)

module Soap = struct
  let sp_lookup_cmd = 2106
  let maxsteps = 10
  let rpc_notfound = -2

  (* A capset from a reply: initial, final, then (cap, current) each; the
     current members. *)
  let get_capset b pos =
    let _, pos = Buf.get_int16 b pos in
    let final, pos = Buf.get_int16 b pos in
    let rec members i pos acc =
      if i = final then List.rev acc
      else
        let c, pos = Buf.get_cap b pos in
        let cur, pos = Buf.get_int16 b pos in
        members (i + 1) pos (if cur <> 0 then c :: acc else acc)
    in
    members 0 pos []

  (* One SP_LOOKUP of path at the first member of caps that answers. *)
  let rec ask caps path =
    match caps with
    | [] -> Error rpc_notfound
    | cap :: others ->
      let req = Bytes.create (String.length path + 1) in
      let reqlen = Buf.put_string req 0 path in
      let rep = Bytes.create 8192 in
      let h = header_for cap sp_lookup_cmd in
      h.h_size <- reqlen;
      let n = trans h req reqlen rep 8192 in
      if n = rpc_notfound then ask others path
      else if n < 0 then Error n
      else if h_status h < 0 then Error (h_status h)
      else
        let b = Bytes.sub rep 0 n in
        let rest, pos = Buf.get_string b 0 in
        Ok (rest, get_capset b pos)

  let sp_lookup path =
    let start = if String.length path > 0 && path.[0] = '/' then "ROOT"
      else "WORK" in
    let rec walk caps rest steps =
      let i = ref 0 in
      while !i < String.length rest && rest.[!i] = '/' do incr i done;
      let rest = String.sub rest !i (String.length rest - !i) in
      if rest = "" then Ok caps
      else if steps >= maxsteps then Error (-1011)     (* STD_OVERFLOW *)
      else
        match ask caps rest with
        | Error e -> Error e
        | Ok (_, []) -> Error (-1009)                   (* STD_SYSERR *)
        | Ok (rest, caps) -> walk caps rest (steps + 1)
    in
    match getcap start with
    | None -> Error rpc_notfound
    | Some root ->
      (try walk [ root ] path 0 with Buf.Overflow -> Error (-1009))
end
