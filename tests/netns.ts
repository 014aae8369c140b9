/**
 * Runs a command inside a fresh, private network namespace, so tests and
 * the demo can make veth pairs and send frames without touching the host's
 * interfaces, and a private mount namespace, so a test can mount a small
 * tmpfs (a disk that fills up) that nobody else sees. As root: `unshare
 * --net --mount`. As anyone else: `unshare --user --map-root-user --net
 * --mount` (where the kernel allows user namespaces).
 *
 * Inside, loopback is up and IPv6 is off (no router solicitations or DAD
 * frames on new links), and RAWFRAME_NETNS=1 tells the tests where they
 * are; RAWFRAME_NETNS_USERNS=1 says it is a user namespace, where tcpdump
 * cannot capture and tests use tshark instead.
 *
 * Usage: deno run --allow-run --allow-read --allow-env --allow-sys=uid tests/netns.ts <command> [args...]
 *
 * @module
 */

const [command, ...args] = Deno.args;
if (command === undefined) {
  console.error("usage: tests/netns.ts <command> [args...]");
  Deno.exit(2);
}

const root = Deno.uid() === 0;
const unshare = root
  ? ["--net", "--mount"]
  : ["--user", "--map-root-user", "--net", "--mount"];
// `deno` means this very Deno, even when it came from npx and is not on PATH.
const program = command === "deno" ? Deno.execPath() : command;
const setup = [
  "ip link set lo up",
  "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
  'exec "$@"',
].join(" && ");

const probe = await new Deno.Command("unshare", {
  args: [...unshare, "true"],
  stdout: "null",
  stderr: "piped",
}).output().catch(() => undefined);
if (!probe?.success) {
  const why = probe
    ? new TextDecoder().decode(probe.stderr).trim()
    : "unshare not found (install util-linux)";
  console.error(
    `error: cannot make a private network namespace: ${why}` +
      (root
        ? ""
        : "; this kernel may not allow user namespaces for ordinary users: run as root (sudo)"),
  );
  Deno.exit(1);
}

let child: Deno.ChildProcess;
try {
  child = new Deno.Command("unshare", {
    args: [...unshare, "--", "sh", "-c", setup, "sh", program, ...args],
    env: {
      RAWFRAME_NETNS: "1",
      RAWFRAME_NETNS_USERNS: root ? "0" : "1",
      PATH: `${Deno.env.get("PATH")}:/usr/sbin:/sbin`,
    },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
} catch (err) {
  console.error(
    `error: cannot start unshare (${
      err instanceof Error ? err.message : err
    }): install util-linux and iproute2`,
  );
  Deno.exit(1);
}
// Forward Ctrl-C to the child and let it end on its own terms.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => child.kill(signal));
}
const status = await child.status;
Deno.exit(status.code);
