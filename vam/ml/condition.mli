(* condition.mli - condition variables for ML threads (OCaml's systhreads
   interface). *)

type t
val create : unit -> t
val wait : t -> Mutex.t -> unit
(** Releases the mutex (which the caller holds), sleeps until signalled,
    takes the mutex again. *)

val signal : t -> unit
val broadcast : t -> unit
