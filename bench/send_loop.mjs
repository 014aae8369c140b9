/**
 * rawframe's per-frame API in a plain loop, on any runtime: `sock.send(frame)`
 * N times, the counterpart of bench/send.c. Prints frames per second.
 *
 * Usage: <runtime> bench/send_loop.mjs source|package <iface> <count>
 * (`source`: the repository's TypeScript, for Deno and Bun; `package`: the
 * npm package built into dist/npm/, for Node).
 */

import process from "node:process";

const [from, iface, countText] = process.argv.slice(2);
const lib = await import(
  from === "package" ? "../dist/npm/mod.js" : "../mod.ts"
);
const count = Number(countText);
const sock = lib.RawSocket.open(iface, { receive: false });
const frame = lib.buildFrame({
  dst: "ff:ff:ff:ff:ff:ff",
  src: "02:00:00:00:00:00",
  type: 0x88b5,
});
const start = performance.now();
for (let i = 0; i < count; i++) sock.send(frame);
const seconds = (performance.now() - start) / 1000;
sock.close();
console.log(Math.round(count / seconds));
