/**
 * The library's bulk send paths on one interface: sendMany() through
 * sendmmsg, through the TX ring, and through the TX ring with
 * PACKET_QDISC_BYPASS. Usage: send_paths.ts <iface> <frames>; prints one
 * JSON object of frames per second by path.
 *
 * @module
 */

import { buildFrame, RawSocket } from "../mod.ts";

const [iface, countText] = Deno.args;
const count = Number(countText);
const frame = buildFrame({
  dst: "ff:ff:ff:ff:ff:ff",
  src: "02:00:00:00:00:00",
  type: 0x88b5,
});
const frames = new Array<Uint8Array>(1024).fill(frame);
const paths = {
  sendmmsg: {},
  txRing: { txRing: true },
  "txRing+bypass": { txRing: true, qdiscBypass: true },
};
const result: Record<string, number> = {};
for (const [name, options] of Object.entries(paths)) {
  using sock = RawSocket.open(iface, { receive: false, ...options });
  const start = performance.now();
  for (let sent = 0; sent < count;) sent += sock.sendMany(frames);
  result[name] = Math.round(count / ((performance.now() - start) / 1000));
}
console.log(JSON.stringify(result));
