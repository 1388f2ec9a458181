(* vam_raise.ml - ends with an uncaught exception: the runtime prints
   "Fatal error: exception Vam_raise.Boom(...)" and exits with status 2.
   With the argument "stack" it recurses without end instead: the
   runtime's stack limit makes that Stack_overflow, uncaught as well. *)
exception Boom of string

let rec deep n = 1 + deep (n + 1)

let () =
  if Array.length Sys.argv > 1 && Sys.argv.(1) = "stack" then begin
    print_endline "vam_raise: recursing";
    ignore (deep 0)
  end;
  print_endline "vam_raise: raising";
  raise (Boom "uncaught")
