/**
 * rawframe's per-frame API in a plain loop: `sock.send(frame)` N times,
 * the counterpart of bench/send.c. Usage: send_loop.ts <iface> <count>;
 * prints frames per second.
 *
 * @module
 */

import { buildFrame, RawSocket } from "../mod.ts";

const [iface, countText] = Deno.args;
const count = Number(countText);
using sock = RawSocket.open(iface, { receive: false });
const frame = buildFrame({
  dst: "ff:ff:ff:ff:ff:ff",
  src: "02:00:00:00:00:00",
  type: 0x88b5,
});
const start = performance.now();
for (let i = 0; i < count; i++) sock.send(frame);
const seconds = (performance.now() - start) / 1000;
console.log(Math.round(count / seconds));
