(* vam_am.ml - the Amoeba library for ML on one node: F, private parts
   and rights, buffer marshalling, capabilities from the environment,
   std_info to the directory server (ROOT), std_restrict (locally and by
   the server), a transaction to a port nobody serves, the SOAP and
   Bullet stubs (lookup, size, read, create).  Prints ok/not ok lines and "N passed, N failed"; exit
   status 0 only when every check passed. *)
open Amoeba

let passed = ref 0
let failed = ref 0

let check name ok =
  if ok then incr passed else incr failed;
  Printf.printf "%s %d - %s\n%!" (if ok then "ok" else "not ok")
    (!passed + !failed) name

let check_f name f =
  check name (try f () with e ->
      Printf.printf "# %s: %s\n" name (Printexc.to_string e); false)

let ports () =
  let p = port_of_name "echo" in
  let q = uniqport () and r = uniqport () in
  String.length p = 6 && p = "echo\000\000" && one_way p = one_way p
  && one_way p <> p && priv2pub q <> q && q <> r && String.length q = 6

let privates () =
  let random = uniqport () in
  let all = prv_encode 42 prv_all_rights random in
  let some = prv_encode 42 0x03 random in
  let forged = { some with prv_rights = 0x07 } in
  all.prv_object = 42 && prv_decode all random = Some 0xff
  && prv_decode some random = Some 0x03 && prv_decode forged random = None
  && prv_decode all (uniqport ()) = None
  && (try ignore (prv_encode 0x1000000 1 random); false
      with Invalid_argument _ -> true)

let marshalling () =
  let b = Bytes.create 64 in
  let cap = { cap_port = uniqport ();
              cap_priv = prv_encode 7 3 (uniqport ()) } in
  let pos = Buf.put_int16 b 0 (-2) in
  let pos = Buf.put_uint32 b pos 0x12345678 in
  let pos = Buf.put_int32 b pos (-5) in
  let pos = Buf.put_cap b pos cap in
  let pos = Buf.put_string b pos "name" in
  let a, p1 = Buf.get_int16 b 0 in
  let u, p2 = Buf.get_uint32 b p1 in
  let i, p3 = Buf.get_int32 b p2 in
  let c, p4 = Buf.get_cap b p3 in
  let s, p5 = Buf.get_string b p4 in
  let little = Bytes.sub_string b 2 4 = "\x78\x56\x34\x12" in
  let over = try ignore (Buf.put_cap b 60 cap); false
    with Buf.Overflow -> true in
  let noterm = try ignore (Buf.get_string (Bytes.make 3 'x') 0); false
    with Buf.Overflow -> true in
  pos = 31 && p5 = pos && a = -2 && u = 0x12345678 && i = -5 && c = cap
  && s = "name" && little && over && noterm
  && cap_of_string (string_of_cap cap) = cap

let environment () =
  match getcap "ROOT", getcap "NO_SUCH_CAP" with
  | Some root, None ->
    (match std_info root with
     | Ok s -> Printf.printf "# std_info ROOT: %S\n" s; String.length s > 0
     | Error e -> Printf.printf "# std_info ROOT: %s\n" (err_why e); false)
  | _ -> false

(* From all rights locally, then through the directory server. *)
let restrict () =
  match getcap "ROOT" with
  | None -> false
  | Some root ->
    let local = std_restrict root 0x03 in
    let remote = match local with
      | Ok c -> std_restrict c 0x01
      | Error e -> Error e in
    let show = function
      | Ok c -> Printf.sprintf "rights %#x" c.cap_priv.prv_rights
      | Error e -> err_why e in
    Printf.printf "# ROOT rights %#x; restricted: %s, then %s\n"
      root.cap_priv.prv_rights (show local) (show remote);
    let weak = { root with cap_priv = { root.cap_priv with prv_rights = 3 } } in
    (match local, remote with
     | Ok l, Ok r ->
       l.cap_priv.prv_rights = 0x03 && r.cap_priv.prv_rights = 0x01
       && l.cap_port = root.cap_port && r.cap_port = root.cap_port
     | _ -> false)
    && root.cap_priv.prv_rights = prv_all_rights
    && prv_restrict weak.cap_priv 1 = Error (-1003)

let read_all path =
  let ic = open_in_bin path in
  let s = really_input_string ic (in_channel_length ic) in
  close_in ic;
  s

(* SOAP finds the bytecode file; Bullet reads it: the same bytes as the
   standard library's open_in (over the POSIX layer). *)
let soap_bullet_read () =
  let path = "/home/vam_am.byte" in
  match Soap.sp_lookup path with
  | Ok (file :: _) ->
    let want = read_all path in
    Bullet.b_size file = Ok (String.length want)
    && Bullet.b_read file 0 (String.length want + 100) = Ok want
    && Bullet.b_read file 10 5 = Ok (String.sub want 10 5)
  | Ok [] -> false
  | Error e -> Printf.printf "# sp_lookup %s: %s\n" path (err_why e); false

(* b_create through the Bullet server of /profile/cap/bulletsvr/default:
   a small file and one of several transactions. *)
let bullet_create () =
  match Soap.sp_lookup "/profile/cap/bulletsvr/default" with
  | Ok (server :: _) ->
    let big = String.init 100000 (fun i -> Char.chr (i * 7 land 0xff)) in
    let made data =
      match Bullet.b_create server data true with
      | Ok f -> Bullet.b_size f = Ok (String.length data)
                && Bullet.b_read f 0 (String.length data) = Ok data
      | Error e -> Printf.printf "# b_create: %s\n" (err_why e); false
    in
    made "made by ML" && made big
  | Ok [] -> false
  | Error e -> Printf.printf "# bulletsvr: %s\n" (err_why e); false

let missing () =
  match Soap.sp_lookup "/home/no-such-file" with
  | Error e -> Printf.printf "# sp_lookup missing: %s\n" (err_why e); e < 0
  | Ok _ -> false

let nobody () =
  let old = timeout 1000 in
  let h = new_header () in
  h.h_port <- priv2pub (uniqport ());
  let rep = Bytes.create 16 in
  let n = trans h Bytes.empty 0 rep 16 in
  ignore (timeout old);
  Printf.printf "# trans to nobody: %d (%s)\n" n (err_why n);
  n < 0 && String.length (err_why n) > 0

let bad_args () =
  let h = new_header () in
  try ignore (trans h (Bytes.create 4) 5 Bytes.empty 0); false
  with Invalid_argument _ -> true

let () =
  check_f "ports: port_of_name, F, uniqport" ports;
  check_f "private parts: prv_encode, prv_decode, rights, forgery" privates;
  check_f "buffer marshalling (spec 1.5), Overflow" marshalling;
  check_f "getcap ROOT; std_info to the directory server" environment;
  check_f "std_restrict: locally from all rights, then by the server"
    restrict;
  check_f "trans to a port nobody serves: an error, err_why" nobody;
  check_f "Soap.sp_lookup and Bullet.b_size/b_read of a file" soap_bullet_read;
  check_f "Bullet.b_create: 10 bytes and 100000 (several transactions)"
    bullet_create;
  check_f "Soap.sp_lookup of a missing name: an error" missing;
  check_f "a length beyond the buffer is Invalid_argument" bad_args;
  Printf.printf "%d passed, %d failed\n" !passed !failed;
  exit (if !failed = 0 then 0 else 1)
