(* vam_oom.ml - allocates without bound until memory runs out: the
   runtime raises Out_of_memory (or stops with its fatal "out of memory"
   error); either way the program ends alone with a clear message. *)
let () =
  print_endline "vam_oom: allocating";
  let keep = ref [] in
  let n = ref 0 in
  while true do
    keep := Array.make 262144 !n :: !keep;   (* 1 MiB each *)
    incr n;
    if !n mod 16 = 0 then Printf.printf "vam_oom: %d MiB\n%!" !n
  done
