(* vam_std.ml - OCaml's standard library on VX's ocamlrun: Printf,
   Buffer, Hashtbl, exceptions, Marshal, deep recursion, the garbage
   collector under allocation pressure, files through VX's POSIX layer
   (Bullet and SOAP) and Sys.time.  Prints "ok N - what" or
   "not ok N - what" per check, then "N passed, N failed"; exit status 0
   only when every check passed.  Usage: ocamlrun vam_std.byte DIR
   (DIR: a writable directory, e.g. /tmp). *)

let passed = ref 0
let failed = ref 0

let check name ok =
  if ok then incr passed else incr failed;
  Printf.printf "%s %d - %s\n%!" (if ok then "ok" else "not ok")
    (!passed + !failed) name

(* A check whose body may raise: an exception is a failure, named. *)
let check_f name f =
  let ok =
    try f () with e ->
      Printf.printf "# %s: %s\n" name (Printexc.to_string e);
      false
  in
  check name ok

exception Mine of int * string

let printf_buffer () =
  let b = Buffer.create 4 in
  for i = 1 to 100 do Buffer.add_string b (string_of_int i) done;
  Buffer.add_char b '!';
  let s = Printf.sprintf "%d|%5s|%-3d|%x|%.3f|%s|%c|%Ld" (-42) "ab" 7 255
            3.14159 "z" 'q' 1234567890123L in
  Buffer.length b = 193 && Buffer.nth b 192 = '!'
  && s = "-42|   ab|7  |ff|3.142|z|q|1234567890123"
  && string_of_float 0.1 = "0.1" && float_of_string "2.5e3" = 2500.

let hashtbl () =
  let h = Hashtbl.create 16 in
  for i = 0 to 9999 do Hashtbl.replace h (string_of_int i) i done;
  Hashtbl.remove h "5000";
  let sum = Hashtbl.fold (fun _ v acc -> acc + v) h 0 in
  Hashtbl.length h = 9999 && Hashtbl.find h "1234" = 1234
  && not (Hashtbl.mem h "5000") && sum = 49995000 - 5000

let exceptions () =
  let r1 = try raise (Mine (3, "x")) with Mine (n, s) -> n = 3 && s = "x" in
  let r2 = try ignore (List.assoc 9 [1, 2]); false with Not_found -> true in
  let r3 = try failwith "f" with Failure m -> m = "f" in
  let r4 = try ignore (1 / 0); false with Division_by_zero -> true in
  let r5 = try ignore ([| 1 |]).(3); false with Invalid_argument _ -> true in
  let fin = ref false in
  let r6 = (try Fun.protect ~finally:(fun () -> fin := true)
                  (fun () -> raise Exit) with Exit -> !fin) in
  r1 && r2 && r3 && r4 && r5 && r6

let rec depth n = if n = 0 then 0 else 1 + depth (n - 1)

let marshal () =
  let v = (List.init 1000 (fun i -> (i, string_of_int i)), [| 1.5; 2.5 |]) in
  let s = Marshal.to_string v [] in
  (Marshal.from_string s 0 : (int * string) list * float array) = v

(* Several MB of live data, rebuilt many times: minor and major
   collections and a compaction, with every value still intact. *)
let gc_pressure () =
  let keep = Array.make 64 [||] in
  for round = 0 to 63 do
    keep.(round) <- Array.init 8192 (fun i -> string_of_int (round + i));
    (* garbage in between *)
    ignore (List.init 20000 (fun i -> (i, i)))
  done;
  Gc.full_major ();
  Gc.compact ();
  let st = Gc.quick_stat () in
  let ok = ref true in
  Array.iteri (fun round a ->
      if a.(8191) <> string_of_int (round + 8191) then ok := false) keep;
  Printf.printf "# gc: %d minor, %d major collections, heap %d KiB\n"
    st.Gc.minor_collections st.Gc.major_collections
    (st.Gc.heap_words * (Sys.word_size / 8) / 1024);
  !ok && st.Gc.major_collections > 0
  && st.Gc.heap_words * (Sys.word_size / 8) > 2 * 1024 * 1024

let files dir =
  let path = Filename.concat dir "vam_std.txt" in
  if Sys.file_exists path then Sys.remove path;
  let oc = open_out path in
  for i = 1 to 2000 do Printf.fprintf oc "line %d\n" i done;
  close_out oc;
  let ic = open_in path in
  let n = ref 0 and last = ref "" in
  (try
     while true do last := input_line ic; incr n done
   with End_of_file -> ());
  let len = in_channel_length ic in
  close_in ic;
  let ok = !n = 2000 && !last = "line 2000" && len > 10000
           && Sys.file_exists path && Array.mem "vam_std.txt" (Sys.readdir dir)
  in
  Sys.remove path;
  ok && not (Sys.file_exists path)

let missing_file () =
  try ignore (open_in "/no/such/file"); false with Sys_error m ->
    Printf.printf "# %s\n" m;
    String.length m > 0

let time () =
  let t0 = Sys.time () in
  let x = ref 0 in
  while Sys.time () -. t0 < 0.05 do incr x done;
  let t1 = Sys.time () in
  t1 >= t0 +. 0.05 && t1 < t0 +. 30.

let () =
  let dir = if Array.length Sys.argv > 1 then Sys.argv.(1) else "/tmp" in
  check "bytecode runs: Sys.argv, 32-bit words" (Sys.word_size = 32
                                                 && max_int = 0x3fffffff);
  check_f "Printf, Buffer, float conversions" printf_buffer;
  check_f "Hashtbl with 10000 keys" hashtbl;
  check_f "exceptions: raise, match, Fun.protect" exceptions;
  check_f "recursion 100000 deep" (fun () -> depth 100000 = 100000);
  check_f "Marshal round trip" marshal;
  check_f "GC under allocation pressure (MBs), compaction" gc_pressure;
  check_f ("files: open_out, open_in, readdir, remove in " ^ dir)
    (fun () -> files dir);
  check_f "a missing file is Sys_error" missing_file;
  check_f "Sys.time advances" time;
  check_f "Sys.getenv VX_NODE" (fun () -> String.length (Sys.getenv "VX_NODE") > 0);
  Printf.printf "%d passed, %d failed\n" !passed !failed;
  exit (if !failed = 0 then 0 else 1)
