(* vam_afsdisk.ml - files that must survive a restart of AFS (vam/afs,
   -d FILE), for tests/vam/t_afs_disk.py.

     vam_afsdisk write SUPERCAP LIST   make the files, their capabilities
                                       into LIST (a host file)
     vam_afsdisk read SUPERCAP LIST    read them back, compare

   SUPERCAP: 32 hex digits (afs -p).  The files: 0 bytes, 1 byte, 1500
   bytes, 1 MiB of a pattern, and one destroyed after its creation (read
   back: STD_CAPBAD).  Prints ok lines and "N passed, N failed"; exit 0
   only when all passed. *)
open Amoeba

let passed = ref 0
let failed = ref 0

let check name ok =
  if ok then incr passed else incr failed;
  Printf.printf "%s %d - %s\n%!" (if ok then "ok" else "not ok")
    (!passed + !failed) name

let hex s = String.concat "" (List.init (String.length s) (fun i ->
    Printf.sprintf "%02x" (Char.code s.[i])))
let unhex h = String.init (String.length h / 2) (fun i ->
    Char.chr (int_of_string ("0x" ^ String.sub h (2 * i) 2)))

let contents n = String.init n (fun i -> Char.chr ((i * 7 + n) land 0xff))
let sizes = [0; 1; 1500; 1024 * 1024]

let destroy cap =
  let h = new_header () in
  h.h_port <- cap.cap_port;
  h.h_priv <- cap.cap_priv;
  h.h_command <- 1003;
  let n = trans h Bytes.empty 0 Bytes.empty 0 in
  if n < 0 then n else h_status h

let write super list =
  let oc = open_out list in
  List.iter (fun n ->
      match Bullet.b_create super (contents n) true with
      | Ok cap ->
        check (Printf.sprintf "b_create of %d bytes" n) true;
        Printf.fprintf oc "%d %s\n" n (hex (string_of_cap cap))
      | Error e ->
        check (Printf.sprintf "b_create of %d bytes: %s" n (err_why e)) false)
    sizes;
  (match Bullet.b_create super "to be destroyed" true with
   | Ok cap ->
     check "a file destroyed after its creation" (destroy cap = 0);
     Printf.fprintf oc "gone %s\n" (hex (string_of_cap cap))
   | Error e -> check ("b_create: " ^ err_why e) false);
  close_out oc

let read_all cap size =
  let buf = Buffer.create size in
  let rec go off =
    if off >= size then Ok (Buffer.contents buf)
    else match Bullet.b_read cap off (min 30000 (size - off)) with
      | Ok "" -> Ok (Buffer.contents buf)
      | Ok s -> Buffer.add_string buf s; go (off + String.length s)
      | Error e -> Error e in
  go 0

(* The first call after the server's node rebooted may meet a stale
   route (an RPC error): a client tries again, as for any server restart. *)
let rec status super tries =
  match std_status super with
  | Ok s -> Ok s
  | Error e when tries > 1 && e > -1000 ->
    Printf.printf "# std_status: %s (tried again)\n%!" (err_why e);
    status super (tries - 1)
  | Error e -> Error e

let read super list =
  check "the super-capability is the same after the restart (STD_STATUS)"
    (match status super 3 with
     | Ok s -> String.length s > 0
     | Error e -> Printf.printf "# std_status: %s\n" (err_why e); false);
  let ic = open_in list in
  (try while true do
       match String.split_on_char ' ' (input_line ic) with
       | [ "gone"; c ] ->
         let r = Bullet.b_size (cap_of_string (unhex c)) in
         check "the destroyed file stays destroyed (STD_CAPBAD)"
           (r = Error (-1000))
       | [ n; c ] ->
         let n = int_of_string n and cap = cap_of_string (unhex c) in
         let same = match Bullet.b_size cap, read_all cap n with
           | Ok k, Ok s -> k = n && s = contents n
           | _ -> false in
         check (Printf.sprintf "%d bytes read back after the restart" n) same
       | _ -> check "a well-formed list" false
     done with End_of_file -> ());
  close_in ic

let () =
  ignore (timeout 10000);
  (match Array.to_list Sys.argv with
   | [ _; "write"; s; l ] -> write (cap_of_string (unhex s)) l
   | [ _; "read"; s; l ] -> read (cap_of_string (unhex s)) l
   | _ -> prerr_endline "usage: vam_afsdisk write|read SUPERCAP LIST"; exit 2);
  Printf.printf "%d passed, %d failed\n" !passed !failed;
  exit (if !failed = 0 && !passed > 0 then 0 else 1)
