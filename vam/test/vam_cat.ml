(* vam_cat.ml - standard input to standard output, line by line, each
   line as "cat: LINE"; the exit status is the number of lines read (at
   most 100), so a caller sees input, output and status pass through. *)
let () =
  let rec loop n =
    match input_line stdin with
    | line -> Printf.printf "cat: %s\n%!" line; loop (n + 1)
    | exception End_of_file -> n
  in
  let n = loop 0 in
  Printf.printf "cat: %d lines\n%!" n;
  exit (min n 100)
