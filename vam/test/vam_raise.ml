(* vam_raise.ml - ends with an uncaught exception: the runtime prints
   "Fatal error: exception Vam_raise.Boom(...)" and exits with status 2. *)
exception Boom of string

let () =
  print_endline "vam_raise: raising";
  raise (Boom "uncaught")
