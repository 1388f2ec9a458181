(* vam_hello.ml - the smallest bytecode program: prints its arguments
   (and VX_NODE, the node it runs on, when set). *)
let () =
  Printf.printf "hello from OCaml %s (%s, %d-bit words)\n" Sys.ocaml_version
    Sys.os_type Sys.word_size;
  Array.iteri (fun i a -> Printf.printf "argv[%d]=%s\n" i a) Sys.argv;
  match Sys.getenv_opt "VX_NODE" with
  | Some n -> Printf.printf "VX_NODE=%s\n" n
  | None -> ()
