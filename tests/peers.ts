/**
 * Makes sure the Debian packages the tests use are installed, before
 * `deno task test` runs them: as root it installs what is missing with
 * apt-get (and says what); otherwise it names the command to run.
 *
 * The packages: tcpdump and tshark (the capturing peers), python3-scapy
 * (an independent sender), iputils-ping (real ICMP traffic), libpcap0.8
 * (for --filter) and libpcap0.8-dev, gcc, libc6-dev and linux-libc-dev
 * (the struct-layout test compiles tests/offsets.c), iproute2, util-linux
 * and procps (namespaces, veth pairs, sysctl), bsdextrautils (hexdump,
 * the --hex reference), strace (when rawframe starts catching signals),
 * time (peak memory of a child), jq (records edited as users do) and
 * netsniff-ng (trafgen, the flood the capture benchmark's harness is
 * tested with), lldpd (the LLDP peer) and dnsmasq-base (the DNS and
 * DHCP server; the tests run their own daemons, in a namespace).
 *
 * Usage: deno run --allow-run --allow-read --allow-env --allow-sys=uid tests/peers.ts
 *
 * @module
 */

/** Debian packages the tests use. */
export const TEST_PACKAGES: readonly string[] = [
  "tcpdump",
  "tshark",
  "iputils-ping",
  "python3-scapy",
  "libpcap0.8",
  "libpcap0.8-dev",
  "iproute2",
  "util-linux",
  "procps",
  "bsdextrautils",
  "strace",
  "time",
  "jq",
  "netsniff-ng",
  "lldpd",
  "dnsmasq-base",
  "gcc",
  "libc6-dev",
  "linux-libc-dev",
];

async function installed(pkg: string): Promise<boolean> {
  const out = await new Deno.Command("dpkg-query", {
    args: ["-W", "-f=${Status}", pkg],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  return out !== undefined &&
    new TextDecoder().decode(out.stdout).includes("install ok installed");
}

async function apt(args: string[]): Promise<void> {
  const status = await new Deno.Command("apt-get", {
    args,
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "null",
    stderr: "inherit",
  }).spawn().status;
  if (!status.success) {
    console.error(`error: apt-get ${args.join(" ")} failed`);
    Deno.exit(1);
  }
}

if (import.meta.main) {
  const missing: string[] = [];
  for (const pkg of TEST_PACKAGES) {
    if (!await installed(pkg)) missing.push(pkg);
  }
  if (missing.length > 0) {
    if (Deno.uid() !== 0) {
      console.error(
        `error: the tests need these Debian packages: ${missing.join(" ")}; ` +
          `install them with: sudo apt-get install ${missing.join(" ")}`,
      );
      Deno.exit(1);
    }
    console.error(`tests: installing ${missing.join(" ")} with apt-get`);
    await apt(["update", "-qq"]);
    await apt(["install", "-y", "-qq", "--no-install-recommends", ...missing]);
  }
}
