/**
 * `deno task demo`: the pyng/pyngd experience in one command. Inside the
 * private namespace tests/netns.ts made, it links two interfaces with a
 * veth pair, listens on one end and sends "Hi" from the other.
 *
 * @module
 */

import { Child, sh } from "./helpers.ts";

const cliPath = new URL("../cli.ts", import.meta.url).pathname;
const deno = Deno.execPath();
if (Deno.env.get("RAWFRAME_NETNS") !== "1") {
  console.error(
    "error: run the demo through `deno task demo` (it needs a private network namespace)",
  );
  Deno.exit(1);
}

function show(command: string): void {
  console.log(`\n$ ${command}`);
}

await sh(
  "ip",
  "link",
  "add",
  "name",
  "demo0",
  "type",
  "veth",
  "peer",
  "name",
  "demo1",
);
await sh("ip", "link", "set", "demo0", "up");
await sh("ip", "link", "set", "demo1", "up");
console.log("A private network namespace with a veth pair: demo0 <-> demo1.");
show("rawframe interfaces");
console.log(
  (await sh(deno, "run", "--allow-ffi", cliPath, "interfaces")).trimEnd(),
);
const mac = JSON.parse(
  await sh(deno, "run", "--allow-ffi", cliPath, "interfaces", "--json"),
)
  .find((i: { name: string }) => i.name === "demo1").mac;

show("rawframe listen demo1 --count 1 &        # pyngd demo1");
const listen = new Child(deno, [
  "run",
  "--allow-ffi",
  cliPath,
  "listen",
  "demo1",
  "--count",
  "1",
  "--timeout",
  "10",
]);
await listen.waitFor(/listening on/);
show(`rawframe send ${mac} demo0                 # pyng ${mac} demo0`);
console.log(
  (await sh(deno, "run", "--allow-ffi", cliPath, "send", mac, "demo0"))
    .trimEnd(),
);
const out = await listen.done();
console.log("\nwhat listen printed (stderr and stdout, as they came):");
console.log(listen.both.trimEnd());
if (out.code !== 0 || !out.stdout.includes('"Hi"')) {
  console.error("error: the frame did not arrive");
  Deno.exit(1);
}
show("rawframe listen demo1 --echo &         # answer layer-2 pings");
const echo = new Child(deno, [
  ...["run", "--allow-ffi", cliPath, "listen", "demo1", "--echo"],
  ...["--count", "3", "--timeout", "10"],
]);
await echo.waitFor(/listening on/);
show(`rawframe ping ${mac} demo0 -c 3 --interval 200`);
const ping = await sh(
  deno,
  "run",
  "--allow-ffi",
  cliPath,
  "ping",
  mac,
  "demo0",
  "-c",
  "3",
  "--interval",
  "200",
);
console.log(ping.trimEnd());
await echo.done();
console.log(
  "\nwhat listen --echo printed (each request, and the reply it sent):",
);
console.log(echo.both.trimEnd());

console.log(
  "\nOn a real machine: sudo deno run --allow-ffi cli.ts send <dst-mac> <iface>",
);
