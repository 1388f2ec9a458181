(* mutex.mli - locks for ML threads (OCaml's systhreads interface): over
   libamoeba mutexes on VX, POSIX mutexes on Linux. *)

type t
val create : unit -> t
val lock : t -> unit
(** Blocks until the mutex is free, letting the other threads run;
    Sys_error when the caller holds it already. *)

val try_lock : t -> bool
val unlock : t -> unit
(** Sys_error when the caller does not hold it. *)
