(* amoeba.mli - Amoeba for ML programs: ports, capabilities and rights,
   the one-way function F, headers, trans/getreq/putrep with bytes
   buffers, timeout, the std_info/std_status stubs and the buffer
   marshalling of spec section 1.5.  The C half is vam/ocamlrun/
   amoeba_stubs.c inside VX's ocamlrun.  Wire layouts are Amoeba 5.3's:
   a port is 6 bytes, a private part 10, a capability 16, a header 32. *)

type port = string
(** 6 bytes. *)

val null_port : port
val port_of_name : string -> port
(** The port whose bytes are the name's first 6 bytes, zero-padded (as
    the kernel's echo test names its service). *)

val one_way : port -> port
(** Amoeba's one-way function F. *)

val priv2pub : port -> port
(** The put-port of a get-port: [one_way]. *)

val uniqport : unit -> port
(** A fresh random port. *)

type private_ = { prv_object : int; prv_rights : int; prv_random : port }
type capability = { cap_port : port; cap_priv : private_ }

val prv_all_rights : int
val prv_encode : int -> int -> port -> private_
(** [prv_encode obj rights random]: the private part a server hands out
    for object [obj] with [rights]; Invalid_argument when out of range. *)

val prv_decode : private_ -> port -> int option
(** [prv_decode priv random]: the rights, or None when forged. *)

val prv_restrict : private_ -> int -> (private_, int) result
(** [prv_restrict priv mask]: the private part with only the rights in
    [mask], made locally; possible only from all rights (else Error
    STD_NOTNOW, -1003). *)

val string_of_cap : capability -> string
(** The 16 bytes of a capability. *)

val cap_of_string : string -> capability
val getcap : string -> capability option
(** A capability of the capability environment (ROOT, WORK, STDOUT...). *)

type header = {
  mutable h_port : port;
  mutable h_signature : port;
  mutable h_priv : private_;
  mutable h_command : int;  (** h_status in replies *)
  mutable h_offset : int;
  mutable h_size : int;
  mutable h_extra : int;
}

val new_header : unit -> header
val header_for : capability -> int -> header
(** A request header to a capability's object with a command. *)

val h_status : header -> int
(** The reply status: h_command read as a signed 16-bit error code. *)

val trans : header -> bytes -> int -> bytes -> int -> int
(** [trans h req reqlen rep replen]: one transaction; the reply header
    replaces [h]'s fields; the reply's size, or a negative error. *)

val getreq : header -> bytes -> int -> int
(** [getreq h buf len]: waits for a request on the get-port [h.h_port];
    the request header replaces [h]; its size or a negative error. *)

val putrep : header -> bytes -> int -> int
(** [putrep h buf len]: the reply; 0 or a negative error.  It does not
    release the runtime's master lock (a reply does not wait for a
    request), so the bytes go to the kernel without a copy. *)

val putrep_sub : header -> bytes -> int -> int -> int
(** [putrep_sub h buf off len]: the reply is [len] bytes of [buf] from
    [off]; Invalid_argument when they are not inside [buf]. *)

val timeout : int -> int
(** Locate timeout in ms for later transactions; the previous value. *)

val err_why : int -> string

val now : unit -> float
(** Wall-clock seconds (gettimeofday), for timing. *)

val std_info : capability -> (string, int) result
val std_status : capability -> (string, int) result

val std_restrict : capability -> int -> (capability, int) result
(** The capability with only the rights in the mask: made locally from
    all rights, else asked of the server (STD_RESTRICT). *)

(** Buffer marshalling (spec 1.5): little-endian integers, raw ports,
    privates and capabilities, NUL-terminated strings.  Each function
    takes the buffer, a position and (put) a value, and returns the next
    position; it raises Overflow when the value does not fit. *)
module Buf : sig
  exception Overflow

  val put_int16 : bytes -> int -> int -> int
  val put_uint16 : bytes -> int -> int -> int
  val put_int32 : bytes -> int -> int -> int
  val put_uint32 : bytes -> int -> int -> int
  val put_objnum : bytes -> int -> int -> int
  val put_rights : bytes -> int -> int -> int
  val put_port : bytes -> int -> port -> int
  val put_priv : bytes -> int -> private_ -> int
  val put_cap : bytes -> int -> capability -> int
  val put_string : bytes -> int -> string -> int
  val get_int16 : bytes -> int -> int * int
  val get_uint16 : bytes -> int -> int * int
  val get_int32 : bytes -> int -> int * int
  val get_uint32 : bytes -> int -> int * int
  val get_objnum : bytes -> int -> int * int
  val get_rights : bytes -> int -> int * int
  val get_port : bytes -> int -> port * int
  val get_priv : bytes -> int -> private_ * int
  val get_cap : bytes -> int -> capability * int
  val get_string : bytes -> int -> string * int
end

(** Bullet file server client stubs (spec 6.2), as server/bullet/bullet.h:
    errors are Error code (negative). *)
module Bullet : sig
  val b_size : capability -> (int, int) result
  val b_read : capability -> int -> int -> (string, int) result
  (** [b_read file offset size]: up to [size] bytes from [offset] (short
      at the end of the file). *)

  val b_create : capability -> string -> bool -> (capability, int) result
  (** [b_create server data commit]: a new file holding [data]. *)
end

(** SOAP directory server: [sp_lookup path] from ROOT (a path starting
    with '/') or WORK, across servers as the C sp_lookup does; the
    capabilities of the entry's capset. *)
module Soap : sig
  val sp_lookup : string -> (capability list, int) result
end
