(* thread.mli - threads for ML programs: OCaml's systhreads interface
   without its Unix part.  On VX each ML thread is an Amoeba thread
   (libamoeba's thread_newthread), on Linux a POSIX thread (Debian's
   systhreads runtime in ocamlrun-amunix).  One thread runs ML at a time
   (the runtime's master lock); a thread blocked in Amoeba.getreq,
   Amoeba.trans, Amoeba.putrep or delay lets the others run, and a
   thread computing is asked to yield every 50 ms.  Linking this module
   turns threads on: from then the Amoeba calls copy their buffers. *)

type t
val create : ('a -> unit) -> 'a -> t
(** [create f x] runs [f x] in a new thread; an exception escaping [f]
    ends that thread alone, with a message on stderr. *)

val self : unit -> t
val id : t -> int
val exit : unit -> unit
val join : t -> unit
val yield : unit -> unit
val delay : float -> unit
(** Sleeps that many seconds (rounded to milliseconds), the other threads
    running meanwhile. *)
