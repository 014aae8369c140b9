/**
 * `send --layers`: frames crafted on the command line without hex. What
 * goes on the wire is read back by tcpdump/tshark (checksums checked by
 * tshark), the Linux kernel in a peer namespace answers an ARP request and
 * a TCP SYN, and every bad spec is a one-line usage error before any
 * socket opens.
 */

import { deepEqual, equal, match, throws } from "node:assert/strict";
import { parseLayers, parseLayerSpec } from "../cli/layer_spec.ts";
import { cycleLength } from "../cli/layered_frames.ts";
import { tsharkChecksums } from "./tshark_checksums.ts";
import { decodeFrame, type Layer } from "../lib/decode.ts";
import { InputError } from "../lib/errors.ts";
import { capture, cli, integration, sh, vethPair, within } from "./helpers.ts";
import { peerNamespace, tcpListener } from "./peer_netns.ts";

Deno.test("--layers text reads into layers", () => {
  deepEqual(
    parseLayers(
      "ip src=10.0.0.1 dst=10.0.0.2 ttl=0x10 df=true / tcp dport=80 flags=S options=mss:1460,sackok,ts:1:0,nop,wscale:7,30:0101",
    ),
    [
      {
        layer: "ipv4",
        src: "10.0.0.1",
        dst: "10.0.0.2",
        ttl: 16,
        df: true,
      },
      {
        layer: "tcp",
        dport: 80,
        flags: "S",
        options: [
          { kind: 2, data: "05b4" },
          { kind: 4 },
          { kind: 8, data: "0000000100000000" },
          { kind: 1 },
          { kind: 3, data: "07" },
          { kind: 30, data: "0101" },
        ],
      },
    ],
  );
  deepEqual(parseLayers("udp / dns id=7 name=example.com type=28"), [
    { layer: "udp" },
    { layer: "dns", id: 7, questions: [{ name: "example.com", type: 28 }] },
  ]);
  deepEqual(
    parseLayers(
      "dns flags=0x8180 / dhcp msgtype=3 requested=10.0.0.5 flags=0x8000",
    ),
    [{ layer: "dns", flags: 0x8180 }, {
      layer: "dhcp",
      msgtype: 3,
      requested: "10.0.0.5",
      flags: 0x8000,
    }],
  );
  deepEqual(parseLayers("mpls labels=100,200 / mpls label=3 s=true ttl=1"), [
    { layer: "mpls", labels: [{ label: 100 }, { label: 200 }] },
    { layer: "mpls", labels: [{ label: 3, s: true, ttl: 1 }] },
  ]);
  deepEqual(parseLayers("ip6 src=::1 dst=::2 / icmp6 type=128"), [
    { layer: "ipv6", src: "::1", dst: "::2" },
    { layer: "icmpv6", type: 128 },
  ]);
  for (
    const bad of [
      "ip / / udp",
      "ip ttl",
      "ip ttl=1 ttl=2",
      "ip ttl=-1",
      "ip df=yes",
      "tcp options=wscale",
      "tcp options=wscale:300",
      "dns type=28",
      "dns name=a type=rand",
      "",
    ]
  ) {
    throws(() => parseLayers(bad), InputError, bad);
  }
});

const SPEC = "ip src=10.0.9.1 dst=10.0.9.2";

Deno.test({
  name: "send --layers: bad specs are usage errors, nothing sent",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    // The kernel's count of frames sent (its /sys is the host's here).
    const sent = async () =>
      JSON.parse(await sh("ip", "-j", "-s", "link", "show", "dev", pair.a))[0]
        .stats64.tx.packets;
    const before = await sent();
    for (
      const [spec, message] of [
        [`${SPEC.slice(0, -2)} / udp`, /ipv4\.dst must be an IPv4 address/],
        [`${SPEC} tll=3`, /unknown option "tll"/],
        [`${SPEC} / smtp`, /unknown layer "smtp"/],
        [`${SPEC} / udp dport=65536`, /udp\.dport must be a whole number/],
        [`${SPEC} / tcp flags=SX`, /tcp\.flags/],
        [`${SPEC} / udp sport=1-9`, /sport varies .* give --count N/],
      ] as const
    ) {
      const out = await cli("send", pair.macB, pair.a, "--layers", spec);
      equal(out.code, 2, spec);
      match(out.stderr, /^error: --layers/, spec);
      match(out.stderr, message, spec);
      equal(out.stderr.trim().split("\n").length, 1, spec);
    }
    equal(await sent(), before);
  },
});

/** The first frame of `frames` whose layers include `name`, decoded. */
function withLayer(frames: Uint8Array[], name: string): Layer[] {
  for (const frame of frames) {
    const { layers } = decodeFrame(frame);
    if (layers.some((l) => l.layer === name)) return layers;
  }
  throw new Error(`no ${name} among ${frames.length} frames`);
}

Deno.test({
  name: "send --layers: the kernel answers an ARP request and a TCP SYN",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    await using peer = await peerNamespace(pair.b);
    await peer.sh("ip", "addr", "add", "10.0.9.2/24", "dev", pair.b);
    await peer.sh(
      "ip",
      "neigh",
      "add",
      "10.0.9.1",
      "lladdr",
      pair.macA,
      "dev",
      pair.b,
    );
    const listener = await tcpListener(peer, "10.0.9.2", 8080);
    try {
      const arp = await askWithCli(pair.a, "arp and arp[6:2] = 2", [
        "ff:ff:ff:ff:ff:ff",
        pair.a,
        "--layers",
        "arp op=1 spa=10.0.9.1 tpa=10.0.9.2",
      ]);
      const reply = withLayer(arp, "arp")[0] as unknown as Record<
        string,
        unknown
      >;
      equal(reply.spa, "10.0.9.2");
      equal(reply.sha, pair.macB);
      const tcp = await askWithCli(pair.a, "tcp src port 8080", [
        pair.macB,
        pair.a,
        "--layers",
        `${SPEC} / tcp sport=40000 dport=8080 flags=S seq=100 options=mss:1460`,
      ]);
      const synAck = withLayer(tcp, "tcp").find((l) =>
        l.layer === "tcp"
      ) as unknown as Record<string, unknown>;
      equal(synAck.flags, "S.");
      equal(synAck.ack, 101);
    } finally {
      await listener.done(0);
    }
  },
});

/** Sends with the CLI until the capture on `iface` sees an answer. */
async function askWithCli(
  iface: string,
  filter: string,
  args: string[],
): Promise<Uint8Array[]> {
  const seen = await capture(iface, filter, 1);
  const ended = seen.frames();
  for (let attempt = 0; attempt < 10; attempt++) {
    const out = await cli("send", ...args, "-q");
    equal(out.code, 0, out.stderr);
    const frames = await within(ended, 500, undefined);
    if (frames !== undefined) return frames;
  }
  await seen.stop();
  throw new Error(`no answer to send ${args.join(" ")}`);
}

Deno.test("--layers fields that vary: counters and random values", () => {
  const { layers, variations } = parseLayerSpec(
    "ip src=10.0.0.1-10.0.0.4 dst=10.0.0.9 id=rand / udp sport=1000-1009 dport=rand:1024-2047",
  );
  deepEqual(layers, [
    { layer: "ipv4", src: "10.0.0.1", dst: "10.0.0.9", id: 0 },
    { layer: "udp", sport: 1000, dport: 1024 },
  ]);
  deepEqual(variations.map((v) => [v.field, v.from, v.to, v.random]), [
    ["src", 0x0a000001, 0x0a000004, false],
    ["id", 0, 0xffff, true],
    ["sport", 1000, 1009, false],
    ["dport", 1024, 2047, true],
  ]);
  equal(cycleLength(variations), 20 * 205); // lcm(4, 10), made >= 4096
  for (
    const bad of [
      "ip src=10.0.0.9-10.0.0.1 dst=10.0.0.2",
      "ip src=rand dst=10.0.0.2",
      "udp len=rand",
      "udp sport=5-x",
    ]
  ) {
    throws(() => parseLayerSpec(bad), InputError, bad);
  }
  throws(
    () =>
      cycleLength(parseLayerSpec("udp sport=0-65535 dport=0-65534").variations),
    /come back to their start only after/,
  );
});

Deno.test({
  name: "send --layers with counters: each frame as counted, checksums right",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const seen = await capture(pair.b, "udp", 25);
    const out = await cli(
      "send",
      pair.macB,
      pair.a,
      "--layers",
      "ip src=10.0.0.1 dst=10.0.0.2 id=rand / udp sport=1000-1009 dport=9",
      "--payload",
      "x",
      "-c",
      "25",
      "--json",
    );
    equal(out.code, 0, out.stderr);
    equal(JSON.parse(out.stdout).sent, 25);
    const frames = await seen.frames();
    equal(frames.length, 25);
    const sports = frames.map((f) =>
      (decodeFrame(f).layers[1] as unknown as { sport: number }).sport
    );
    deepEqual(sports, [...Array(25).keys()].map((i) => 1000 + (i % 10)));
    const ids = new Set(
      frames.map((f) =>
        (decodeFrame(f).layers[0] as unknown as { id: number }).id
      ),
    );
    equal(ids.size > 20, true, `ids ${[...ids]}`);
    const verdicts = await tsharkChecksums(frames);
    deepEqual([verdicts.good, verdicts.bad], [50, 0]);
  },
});

Deno.test({
  name:
    "send --layers builds an 802.3 frame: LLC and an STP BPDU, as tcpdump reads it",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const seen = await capture(pair.b, "stp", 1);
    const out = await cli(
      "send",
      "01:80:c2:00:00:00",
      pair.a,
      "--layers",
      "llc / stp version=2 flags=0x3c root=8000.02:00:00:00:00:01 cost=4 bridge=8001.02:00:00:00:00:02",
      "-q",
    );
    equal(out.code, 0, out.stderr);
    const [frame] = await seen.frames();
    equal((frame[12] << 8) | frame[13], 39); // 802.3 length: LLC 3 + RST 36
    const { info } = decodeFrame(frame);
    match(
      info ?? "",
      /^LLC, dsap STP \(0x42\) Individual, ssap STP \(0x42\) Command, ctrl 0x03: STP 802\.1w, Rapid STP, Flags \[Learn, Forward\], bridge-id 8001\.02:00:00:00:00:02\.8001, length 36$/,
    );
  },
});

Deno.test({
  name:
    "send --layers builds tunnels: GRE with key and sequence, AH over IPv6, ESP; tshark finds every checksum good",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const specs: [string, string][] = [
      [
        "ip src=10.0.0.1 dst=10.0.0.2 / gre key=5 seq=9 / ip src=192.168.0.1 dst=192.168.0.2 / icmp type=8 id=1 seq=1",
        "IP 10.0.0.1 > 10.0.0.2: GREv0, key=0x5, seq 9, length 40: IP 192.168.0.1 > 192.168.0.2: ICMP echo request, id 1, seq 1, length 8",
      ],
      [
        "ip6 src=2001:db8::1 dst=2001:db8::2 / ah spi=0x100 seq=3 icv=0102030405060708090a0b0c / udp sport=40000 dport=40001 / raw data=6869",
        "IP6 2001:db8::1 > 2001:db8::2: AH(spi=0x00000100,seq=0x3,icv=0x0102030405060708090a0b0c): 40000 > 40001: UDP, length 2",
      ],
      [
        "ip src=10.0.0.1 dst=10.0.0.2 / esp spi=0x1234 seq=7 / raw data=00112233",
        "IP 10.0.0.1 > 10.0.0.2: ESP(spi=0x00001234,seq=0x7), length 12",
      ],
    ];
    const seen = await capture(pair.b, "ip or ip6", specs.length);
    for (const [spec] of specs) {
      const out = await cli("send", pair.macB, pair.a, "--layers", spec, "-q");
      equal(out.code, 0, out.stderr);
    }
    const frames = await seen.frames();
    // The lines tcpdump prints for these frames (checked against it).
    deepEqual(
      frames.map((f) => decodeFrame(f).info),
      specs.map(([, line]) => line),
    );
    const checksums = await tsharkChecksums(frames);
    // GRE: both IPv4 headers and ICMP; AH: UDP; ESP: its IPv4 header.
    deepEqual([checksums.good, checksums.bad], [5, 0], checksums.lines.join());
  },
});
