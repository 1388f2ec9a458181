(* vam_bench.ml - RPC from ML, to set beside C's rpc_client (userland/
   bench): the same server (rpc_server PORT 1m), the same measures.

     vam_bench PORT LABEL NNULL NBIG

   NNULL null transactions, then NBIG transactions of 1 MiB requests,
   after one untimed transaction that locates the server.  Prints
     bench: rpc_LABEL_null T us       (mean response time)
     bench: rpc_LABEL_1m R MB/s       (10^6 bytes per second)
   Exit status 0 when every transaction succeeded. *)
open Amoeba

let mib = 1024 * 1024

let () =
  match Array.to_list Sys.argv with
  | [ _; name; label; nnull; nbig ] ->
    let put = priv2pub (port_of_name name) in
    let req = Bytes.make mib 'm' and rep = Bytes.create 16 in
    let one size =
      let h = new_header () in
      h.h_port <- put;
      let n = trans h req size rep 16 in
      if n < 0 || h_status h < 0 then begin
        Printf.printf "vam_bench: trans: %s\n"
          (err_why (if n < 0 then n else h_status h));
        exit 1
      end
    in
    ignore (timeout 10000);
    one 0;
    let time count size =
      let t0 = now () in
      for _ = 1 to count do one size done;
      now () -. t0
    in
    let nnull = int_of_string nnull and nbig = int_of_string nbig in
    let t = time nnull 0 in
    Printf.printf "bench: rpc_%s_null %.1f us\n%!" label
      (t *. 1e6 /. float nnull);
    let t = time nbig mib in
    Printf.printf "bench: rpc_%s_1m %.2f MB/s\n%!" label
      (float (nbig * mib) /. t /. 1e6)
  | _ ->
    prerr_endline "usage: vam_bench PORT LABEL NNULL NBIG";
    exit 2
