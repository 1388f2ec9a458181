(* vam_threads.ml - Amoeba threads from ML (Thread, Mutex, Condition).

     vam_threads local               threads, Mutex, Condition and join on
                                     their own (no RPC)
     vam_threads serve NAME THREADS  an RPC server on get-port NAME with
                                     THREADS threads, each in getreq

   The server's commands (h_command): 1 slow: sleep h_offset ms, then
   reply; 2 fast: reply at once with h_size = the slow requests being
   slept on right now; 3 quit: reply, then the program prints
   "vam_threads: N requests served" and exits 0.  The C client
   vam/vam_tclient drives it.  Prints ok/not ok lines; exit status 0 only
   when all passed. *)
open Amoeba

let passed = ref 0
let failed = ref 0

let check name ok =
  if ok then incr passed else incr failed;
  Printf.printf "%s %d - %s\n%!" (if ok then "ok" else "not ok")
    (!passed + !failed) name

let finish () =
  Printf.printf "%d passed, %d failed\n%!" !passed !failed;
  exit (if !failed = 0 then 0 else 1)

(* Four threads add 1000 each under a mutex; a producer hands 100 values
   to a consumer through a one-slot buffer with two conditions. *)
let local () =
  let m = Mutex.create () in
  let total = ref 0 in
  let adder () =
    for _ = 1 to 1000 do
      Mutex.lock m;
      let v = !total in
      if v land 63 = 0 then Thread.yield ();
      total := v + 1;
      Mutex.unlock m
    done in
  let ts = List.init 4 (fun _ -> Thread.create adder ()) in
  List.iter Thread.join ts;
  check "4 threads x 1000 increments under a mutex" (!total = 4000);
  let slot = ref None and sum = ref 0 in
  let full = Condition.create () and empty = Condition.create () in
  let producer () =
    for i = 1 to 100 do
      Mutex.lock m;
      while !slot <> None do Condition.wait empty m done;
      slot := Some i;
      Condition.signal full;
      Mutex.unlock m
    done in
  let consumer () =
    for _ = 1 to 100 do
      Mutex.lock m;
      let rec take () =
        match !slot with
        | None -> Condition.wait full m; take ()
        | Some v -> slot := None; v in
      sum := !sum + take ();
      Condition.signal empty;
      Mutex.unlock m
    done in
  let c = Thread.create consumer () in
  let p = Thread.create producer () in
  Thread.join p;
  Thread.join c;
  check "producer and consumer through Condition" (!sum = 5050);
  check "try_lock on a held mutex fails"
    (Mutex.lock m; let r = Mutex.try_lock m in Mutex.unlock m; not r);
  check "unlocking a mutex not held raises Sys_error"
    (try Mutex.unlock m; false with Sys_error _ -> true);
  let t0 = now () in
  let sleeper = Thread.create (fun () -> Thread.delay 0.3) () in
  let spins = ref 0 in
  while !spins < 5 do incr spins; Thread.yield () done;
  Thread.join sleeper;
  check "Thread.delay sleeps" (now () -. t0 >= 0.25);
  let dead = Thread.create (fun () -> failwith "on purpose") () in
  Thread.join dead;
  check "an exception ends its thread alone" true;
  finish ()

let serve name nthreads =
  let get = port_of_name name in
  let m = Mutex.create () in
  let quit = Condition.create () in
  let sleeping = ref 0 and served = ref 0 and stop = ref false in
  let worker () =
    let buf = Bytes.create 8192 in
    while true do
      let h = new_header () in
      h.h_port <- get;
      let n = getreq h buf (Bytes.length buf) in
      if n < 0 then Printf.printf "# getreq: %s\n%!" (err_why n)
      else begin
        let cmd = h.h_command in
        h.h_command <- 0;
        (match cmd with
         | 1 ->
           Mutex.lock m; incr sleeping; Mutex.unlock m;
           Thread.delay (float_of_int h.h_offset /. 1000.);
           Mutex.lock m; decr sleeping; Mutex.unlock m
         | 2 -> Mutex.lock m; h.h_size <- !sleeping; Mutex.unlock m
         | 3 -> ()
         | _ -> h.h_command <- -17 (* STD_COMERR *));
        ignore (putrep h buf 0);
        Mutex.lock m;
        incr served;
        if cmd = 3 then begin stop := true; Condition.signal quit end;
        Mutex.unlock m
      end
    done in
  for _ = 1 to nthreads do ignore (Thread.create worker ()) done;
  Printf.printf "vam_threads: serving %s with %d threads\n%!" name nthreads;
  Mutex.lock m;
  while not !stop do Condition.wait quit m done;
  Printf.printf "vam_threads: %d requests served\n%!" !served;
  exit 0

let () =
  match Array.to_list Sys.argv with
  | [ _; "local" ] -> local ()
  | [ _; "serve"; name; n ] when int_of_string_opt n <> None
                                 && int_of_string n > 0 ->
    serve name (int_of_string n)
  | _ ->
    prerr_endline "usage: vam_threads local | vam_threads serve NAME THREADS";
    exit 2
