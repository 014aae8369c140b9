/**
 * Decoding on real traffic: two hosts (this namespace and a peer's, joined
 * by a veth pair) talk ARP, ICMP, IPv6 neighbour discovery, UDP and TCP
 * through the kernel's own stacks (iputils ping, Python sockets), and
 * scapy sends LLDP, STP, RSTP, MSTP, LACP and SNAP from the peer.
 * `rawframe listen -w` captures it, `rawframe read --json` decodes it,
 * and every decoded field is compared with tshark's own fields, frame by
 * frame, and every summary with tcpdump's line.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import {
  cliWithFiles,
  integration,
  inUserNamespace,
  jsonLines,
  sh,
  startListen,
  vethPair,
} from "./helpers.ts";
import { type PeerNamespace, peerNamespace } from "./peer_netns.ts";
import { compareWithTshark } from "./tshark_layers.ts";
import { tcpdumpLines, words } from "./tcpdump_lines.ts";
import type { Layer } from "../lib/decode.ts";

const CORPUS = new URL("./fixtures/decode_corpus.py", import.meta.url).pathname;

const HERE = { v4: "10.9.0.1", v6: "2001:db8:9::1" };
const PEER = { v4: "10.9.0.2", v6: "2001:db8:9::2" };

/** A TCP server in the peer: echoes what one client sends, then closes. */
const ECHO_SERVER = `
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 40998)); s.listen(1)
print("ready", file=sys.stderr, flush=True)
c, _ = s.accept(); c.sendall(c.recv(100)); c.close()`;

/** UDP to closed ports (answered with ICMP errors), TCP to the echo server and to a closed port. */
const CLIENT = `
import socket
for family, peer in [(socket.AF_INET, "${PEER.v4}"), (socket.AF_INET6, "${PEER.v6}")]:
    u = socket.socket(family, socket.SOCK_DGRAM); u.sendto(b"u" * 20, (peer, 40999)); u.close()
t = socket.create_connection(("${PEER.v4}", 40998), timeout=10)
t.sendall(b"hello"); assert t.recv(100) == b"hello"; t.close()
for family, peer in [(socket.AF_INET, "${PEER.v4}"), (socket.AF_INET6, "${PEER.v6}")]:
    try: socket.create_connection((peer, 40997), timeout=10)
    except ConnectionRefusedError: pass`;

/** Addresses on both ends, IPv6 on (the test namespace turns it off). */
async function addresses(here: string, peer: PeerNamespace, there: string) {
  await sh("sysctl", "-qw", `net.ipv6.conf.${here}.disable_ipv6=0`);
  await sh("ip", "addr", "add", `${HERE.v4}/24`, "dev", here);
  await sh("ip", "addr", "add", `${HERE.v6}/64`, "dev", here, "nodad");
  await peer.sh("ip", "addr", "add", `${PEER.v4}/24`, "dev", there);
  await peer.sh("ip", "addr", "add", `${PEER.v6}/64`, "dev", there, "nodad");
}

/** Every protocol the decoder knows, through the kernel's stacks and scapy. */
async function makeTraffic(peer: PeerNamespace, there: string) {
  const server = peer.spawn("/usr/bin/python3", "-c", ECHO_SERVER);
  await server.waitFor(/ready/);
  await sh("ping", "-n", "-c", "2", "-i", "0.2", "-W", "5", PEER.v4);
  await sh("ping", "-n", "-6", "-c", "2", "-i", "0.2", "-W", "5", PEER.v6);
  await sh("/usr/bin/python3", "-c", CLIENT);
  assertEquals((await server.done()).code, 0);
  await peer.sh("/usr/bin/python3", CORPUS, "--send", there);
}

/** What kinds of layer the capture holds: names, ICMPv6 types, TCP flags. */
function kinds(frames: Layer[][]): Set<string> {
  const seen = new Set<string>();
  for (const layer of frames.flat()) {
    seen.add(layer.layer);
    if (layer.layer === "icmpv6") seen.add(`icmpv6 ${layer.type}`);
    if (layer.layer === "tcp") seen.add(`tcp ${layer.flags}`);
    if (layer.layer === "stp") seen.add(`stp v${layer.version}`);
  }
  return seen;
}

/**
 * LLDP, LACP and SNAP frames, where our line differs from tcpdump's on
 * purpose (tests/decode_test.ts states those lines).
 */
function saysMoreByDesign(layers: Layer[]): boolean {
  return layers.some((l) => ["lldp", "lacp", "snap"].includes(l.layer));
}

Deno.test({
  ...integration,
  name:
    "real traffic of every protocol, captured by listen -w and read back: every decoded field agrees with tshark's, every summary with tcpdump's",
  async fn() {
    await using pair = await vethPair();
    await using peer = await peerNamespace(pair.b);
    await addresses(pair.a, peer, pair.b);
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    const listen = await startListen(pair.a, "-w", file);
    await makeTraffic(peer, pair.b);
    listen.process.kill("SIGINT");
    assertEquals((await listen.done()).code, 0);

    const read = await cliWithFiles("read", "--json", file);
    assertEquals([read.code, read.stderr], [0, ""]);
    const records = jsonLines(read.stdout);
    const layers: Layer[][] = records.map((r) => r.layers);
    const seen = kinds(layers);
    for (
      const kind of [
        "arp",
        "ipv4",
        "icmp",
        "udp",
        "tcp S",
        "tcp S.",
        "tcp P.",
        "tcp F.",
        "tcp R.",
        "ipv6",
        "icmpv6 128",
        "icmpv6 129",
        "icmpv6 135",
        "icmpv6 136",
        "llc",
        "snap",
        "lldp",
        "stp v0",
        "stp v2",
        "stp v3",
        "lacp",
      ]
    ) assertTrue(seen.has(kind), `no ${kind} in ${[...seen]}`);

    const agreement = await compareWithTshark(file, layers);
    console.log(
      `tshark agreement on real traffic: ${agreement.fields} fields of ${agreement.frames} frames, ${agreement.mismatches.length} mismatches`,
    );
    assertEquals(agreement.mismatches, []);
    assertTrue(agreement.fields >= 150, `${agreement.fields} fields`);

    if (!inUserNamespace) { // tcpdump cannot read files there
      const theirs = await tcpdumpLines(file);
      assertEquals(theirs.length, records.length);
      const differ = records.map((r, i) => ({
        frame: i + 1,
        ours: r.info,
        theirs: theirs[i],
      })).filter(({ frame, ours, theirs }) =>
        !saysMoreByDesign(layers[frame - 1]) &&
        words(ours ?? "") !== words(theirs)
      );
      assertEquals(differ, []);
    }
    await Deno.remove(file);
  },
});
