/**
 * Built frames against a real peer: the Linux kernel in another namespace
 * answers what rawframe builds — an ARP request, ICMP and ICMPv6 echoes, a
 * neighbour solicitation, UDP to a Python socket (and to a closed port),
 * TCP SYNs to a listening and a closed port — and each answer is decoded.
 * Requests are sent again until answered, so a busy machine only slows it.
 */

import { equal } from "node:assert/strict";
import { type BuildLayer, buildPacket } from "../lib/build.ts";
import { decodeFrame, type Layer } from "../lib/decode.ts";
import { RawSocket } from "../lib/socket.ts";
import { integration, vethPair } from "./helpers.ts";
import { peerNamespace, tcpListener } from "./peer_netns.ts";
import { openLibc } from "../ffi/libc.ts";

// libc stays loaded for the whole run (tests may not leak a library).
if (integration.ignore === false) openLibc();

const OURS = "10.0.9.1";
const PEER = "10.0.9.2";
const OURS6 = "2001:db8:9::1";
const PEER6 = "2001:db8:9::2";

/** Sends `layers` until a frame whose layers pass `answer` comes back. */
async function ask(
  sock: RawSocket,
  dst: string,
  layers: BuildLayer[],
  answer: (layers: Layer[]) => boolean,
): Promise<Layer[]> {
  const frame = buildPacket({ dst, src: sock.interface.mac, layers });
  for (let attempt = 0; attempt < 20; attempt++) {
    sock.send(frame);
    const until = Date.now() + 500;
    while (Date.now() < until) {
      const got = await sock.receive({ timeoutMs: 100 });
      if (got === null) continue;
      const decoded = decodeFrame(got.bytes).layers;
      if (answer(decoded)) return decoded;
    }
  }
  throw new Error(`no answer to ${JSON.stringify(layers)}`);
}

/** The layer named `name`, typed loosely for field checks; it must be there. */
function find(layers: Layer[], name: string): Record<string, unknown> {
  const layer = layers.find((l) => l.layer === name);
  if (layer === undefined) {
    throw new Error(`no ${name} in ${JSON.stringify(layers)}`);
  }
  return layer as unknown as Record<string, unknown>;
}

Deno.test({
  name: "the kernel answers what rawframe builds",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    await using peer = await peerNamespace(pair.b);
    await peer.sh("ip", "addr", "add", `${PEER}/24`, "dev", pair.b);
    await peer.sh("ip", "addr", "add", `${PEER6}/64`, "dev", pair.b, "nodad");
    await peer.sh(
      "ip",
      "neigh",
      "add",
      OURS,
      "lladdr",
      pair.macA,
      "dev",
      pair.b,
    );
    await peer.sh(
      "ip",
      "-6",
      "neigh",
      "add",
      OURS6,
      "lladdr",
      pair.macA,
      "dev",
      pair.b,
    );
    const udp = peer.spawn(
      "/usr/bin/python3",
      "-c",
      `import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("${PEER}", 9999))
print("ready", file=sys.stderr, flush=True)
data, who = s.recvfrom(100)
print(data.hex(), who[0], who[1], flush=True)`,
    );
    const tcp = await tcpListener(peer, PEER, 8080);
    try {
      await udp.waitFor(/ready/);
      using sock = RawSocket.open(pair.a);
      const v4 = { layer: "ipv4" as const, src: OURS, dst: PEER };
      const v6 = { layer: "ipv6" as const, src: OURS6, dst: PEER6 };

      const arp = await ask(sock, "ff:ff:ff:ff:ff:ff", [
        { layer: "arp", op: 1, sha: pair.macA, spa: OURS, tpa: PEER },
      ], (l) => l[0]?.layer === "arp" && find(l, "arp").op === 2);
      equal(find(arp, "arp").spa, PEER);
      equal(find(arp, "arp").sha, pair.macB);

      const echo = await ask(
        sock,
        pair.macB,
        [v4, {
          layer: "icmp",
          type: 8,
          id: 4242,
          seq: 7,
        }, { layer: "raw", data: "61".repeat(32) }],
        (l) => layerOf(l, "icmp")?.type === 0,
      );
      equal(find(echo, "icmp").id, 4242);
      equal(find(echo, "icmp").seq, 7);

      const echo6 = await ask(sock, pair.macB, [v6, {
        layer: "icmpv6",
        type: 128,
        id: 77,
        seq: 3,
      }], (l) => layerOf(l, "icmpv6")?.type === 129);
      equal(find(echo6, "icmpv6").id, 77);

      // Neighbour solicitation for PEER6: target, and our link-layer address.
      const target = "20010db8000900000000000000000002";
      const sllao = "0101" + pair.macA.replaceAll(":", "");
      const na = await ask(sock, "33:33:ff:00:00:02", [
        { layer: "ipv6", src: OURS6, dst: "ff02::1:ff00:2", hlim: 255 },
        { layer: "icmpv6", type: 135 },
        { layer: "raw", data: target + sllao },
      ], (l) => layerOf(l, "icmpv6")?.type === 136);
      equal(find(na, "ipv6").src, PEER6);

      await ask(sock, pair.macB, [v4, {
        layer: "udp",
        sport: 40000,
        dport: 9999,
      }, {
        layer: "raw",
        data: "48690a",
      }], () => /48690a/.test(udp.stdout));
      equal((await udp.done()).stdout.trim(), `48690a ${OURS} 40000`);

      const closed = await ask(sock, pair.macB, [v4, {
        layer: "udp",
        sport: 40001,
        dport: 9998,
      }], (l) => layerOf(l, "icmp")?.type === 3);
      equal(find(closed, "icmp").code, 3);

      const synAck = await ask(sock, pair.macB, [v4, {
        layer: "tcp",
        sport: 40002,
        dport: 8080,
        flags: "S",
        seq: 1000,
        options: [{ kind: 2, data: "05b4" }],
      }], (l) => layerOf(l, "tcp")?.dport === 40002);
      equal(find(synAck, "tcp").flags, "S.");
      equal(find(synAck, "tcp").ack, 1001);

      const reset = await ask(sock, pair.macB, [v4, {
        layer: "tcp",
        sport: 40003,
        dport: 8081,
        flags: "S",
        seq: 5,
      }], (l) => layerOf(l, "tcp")?.dport === 40003);
      equal(find(reset, "tcp").flags, "R.");
    } finally {
      await Promise.all([udp, tcp].map((c) => c.done(0)));
    }
  },
});

/** The layer named `name`, if there is one. */
function layerOf(
  layers: Layer[],
  name: string,
): Record<string, unknown> | undefined {
  return layers.find((l) => l.layer === name) as unknown as
    | Record<string, unknown>
    | undefined;
}
