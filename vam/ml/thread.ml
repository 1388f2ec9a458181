(* thread.ml - threads for ML programs over systhreads' primitives
   (st_stubs.c; on VX its system layer is vam/ocamlrun/st_vx.h). *)

type t
external thread_initialize : unit -> unit = "caml_thread_initialize"
external thread_cleanup : unit -> unit = "caml_thread_cleanup"
external thread_new : (unit -> unit) -> t = "caml_thread_new"
external uncaught_exception : exn -> unit = "caml_thread_uncaught_exception"
external yield : unit -> unit = "caml_thread_yield"
external self : unit -> t = "caml_thread_self" [@@noalloc]
external id : t -> int = "caml_thread_id" [@@noalloc]
external join : t -> unit = "caml_thread_join"
external exit_stub : unit -> unit = "caml_thread_exit"
external threads_on : unit -> unit = "vam_threads_on"
external sleep_ms : int -> unit = "vam_sleep"

let create f x =
  thread_new (fun () ->
      try f x with e -> flush stdout; flush stderr; uncaught_exception e)

let exit () = exit_stub ()

let delay s = if s > 0. then sleep_ms (int_of_float (s *. 1000. +. 0.5))

(* The runtime's tick records SIGVTALRM every 50 ms; its handler makes
   the running thread yield. *)
let () =
  (try Sys.set_signal Sys.sigvtalrm (Sys.Signal_handle (fun _ -> yield ()))
   with Invalid_argument _ | Sys_error _ -> ());
  thread_initialize ();
  threads_on ();
  Callback.register "Thread.at_shutdown" thread_cleanup
