(* vam_echo.ml - the echo protocol of the kernel's net_echo tests
   (tests/kernel/test_net.c) in ML: the service's get-port is its name;
   the server replies with the request body (none when h_command is 1),
   h_offset + 1 and h_size = requests executed so far.

     vam_echo client NAME       0 B .. 1 MiB echoed, data compared
     vam_echo serve NAME COUNT  serve COUNT requests, then exit 0

   Prints ok/not ok lines and "N passed, N failed"; exit status 0 only
   when all passed. *)
open Amoeba

let maxdata = 1024 * 1024
let passed = ref 0
let failed = ref 0

let check name ok =
  if ok then incr passed else incr failed;
  Printf.printf "%s %d - %s\n%!" (if ok then "ok" else "not ok")
    (!passed + !failed) name

let finish () =
  Printf.printf "%d passed, %d failed\n" !passed !failed;
  exit (if !failed = 0 then 0 else 1)

let client name =
  let put = priv2pub (port_of_name name) in
  let out = Bytes.init maxdata (fun i ->
      Char.chr ((i lxor (i lsr 8) lxor (i lsr 16)) land 0xff)) in
  let inb = Bytes.create maxdata in
  ignore (timeout 10000);
  List.iteri (fun k size ->
      let h = new_header () in
      h.h_port <- put;
      h.h_offset <- k;
      Bytes.fill inb 0 size '\xee';
      let n = trans h out size inb maxdata in
      let same = n = size && Bytes.sub out 0 size = Bytes.sub inb 0 size in
      if n < 0 then Printf.printf "# trans: %s\n" (err_why n);
      check (Printf.sprintf "ML client: %d bytes echoed by %s" size name)
        (same && h.h_offset = k + 1 && h_status h = 0))
    [0; 1; 1457; 1458; 1459; 3000; 30000; 100000; maxdata];
  finish ()

let serve name count =
  let get = port_of_name name in
  let buf = Bytes.create maxdata in
  Printf.printf "vam_echo: serving %s\n%!" name;
  let executed = ref 0 in
  while !executed < count do
    let h = new_header () in
    h.h_port <- get;
    let n = getreq h buf maxdata in
    if n < 0 then Printf.printf "# getreq: %s\n%!" (err_why n)
    else begin
      incr executed;
      h.h_offset <- h.h_offset + 1;
      h.h_size <- !executed;
      let n = if h.h_command = 1 then 0 else n in
      h.h_command <- 0;
      let r = putrep h buf n in
      check (Printf.sprintf "ML server: request %d (%d bytes) answered"
               !executed n) (r = 0)
    end
  done;
  finish ()

let () =
  match Array.to_list Sys.argv with
  | [ _; "client"; name ] -> client name
  | [ _; "serve"; name; count ] -> serve name (int_of_string count)
  | _ ->
    prerr_endline "usage: vam_echo client NAME | vam_echo serve NAME COUNT";
    exit 2
