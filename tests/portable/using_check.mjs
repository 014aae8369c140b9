// deno-lint-ignore-file explicit-module-boundary-types
/** Opens a socket in a block with `using`, returning it once disposed. */
export function openAndDispose(lib, name) {
  let kept;
  {
    using sock = lib.RawSocket.open(name, { receive: false });
    kept = sock;
    if (kept.closed) throw new Error("closed too early");
  }
  return kept;
}
