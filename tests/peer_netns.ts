/**
 * A second network namespace, inside the test namespace, for the far end
 * of a veth pair: traffic between two addresses of one namespace never
 * leaves it, so real ARP, ICMP, neighbour discovery, UDP and TCP between
 * two hosts needs the peer's end moved out. The namespace lives as long
 * as a `sleep` holding it; disposing ends the sleep, which deletes the
 * namespace and the veth end in it.
 *
 * @module
 */

import { Child, inPrivateNetns, run, sh } from "./helpers.ts";

/** The far end's namespace, with commands run inside it. */
export interface PeerNamespace extends AsyncDisposable {
  /** Runs a command in the peer's namespace to completion; throws if it fails. */
  sh(command: string, ...args: string[]): Promise<string>;
  /** Starts a command in the peer's namespace. */
  spawn(command: string, ...args: string[]): Child;
}

/**
 * Moves `iface` into a new namespace and brings it and loopback up there,
 * with IPv6 enabled on it (the test namespace turns IPv6 off).
 */
export async function peerNamespace(iface: string): Promise<PeerNamespace> {
  if (!inPrivateNetns) {
    throw new Error("peerNamespace() outside the test namespace");
  }
  // unshare without --fork execs sleep: its pid holds the namespace.
  const holder = new Deno.Command("unshare", {
    args: ["--net", "sleep", "600"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const inside = ["-t", String(holder.pid), "-n"];
  const peer: PeerNamespace = {
    sh: (command, ...args) => sh("nsenter", ...inside, command, ...args),
    spawn: (command, ...args) =>
      new Child("nsenter", [...inside, command, ...args]),
    async [Symbol.asyncDispose]() {
      holder.kill("SIGKILL");
      await holder.status;
    },
  };
  try {
    // The new namespace exists once nsenter can enter it as a different one.
    for (let tries = 0;; tries++) {
      const ns = await run("readlink", [`/proc/${holder.pid}/ns/net`]);
      if (ns.stdout.trim() !== Deno.readLinkSync("/proc/self/ns/net")) break;
      if (tries > 500) throw new Error("the peer namespace did not appear");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await sh("ip", "link", "set", iface, "netns", String(holder.pid));
    await peer.sh("ip", "link", "set", "lo", "up");
    await peer.sh("sysctl", "-qw", `net.ipv6.conf.${iface}.disable_ipv6=0`);
    await peer.sh("ip", "link", "set", iface, "up");
  } catch (error) {
    await peer[Symbol.asyncDispose]();
    throw error;
  }
  return peer;
}

/**
 * Starts a Python TCP socket listening on `address`:`port` in the peer's
 * namespace, and resolves once it listens (the kernel there then answers
 * a SYN with SYN-ACK). `await child.done(0)` ends it.
 */
export async function tcpListener(
  peer: PeerNamespace,
  address: string,
  port: number,
): Promise<Child> {
  const child = peer.spawn(
    "/usr/bin/python3",
    "-c",
    `import socket, sys, time
s = socket.socket(); s.bind(("${address}", ${port})); s.listen()
print("ready", file=sys.stderr, flush=True); time.sleep(60)`,
  );
  await child.waitFor(/ready/);
  return child;
}
