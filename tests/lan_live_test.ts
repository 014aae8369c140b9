/**
 * What a LAN's daemons say, live between two namespaces: dnsmasq (the
 * resolver of many home routers and of libvirt) answers DNS queries over
 * UDP and TCP — from a Python socket, as any program's resolver sends
 * them, and one rawframe crafts with `send --layers` — and leases an
 * address by DHCP to a client rawframe plays (discover, offer, request,
 * ack) — and ntpd (NTPsec, where it is installed) answers an NTP
 * request rawframe builds. `listen -w`
 * captures both directions; `read --json` must decode them as tshark
 * does, field by field, and each line as tcpdump prints it.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import {
  cli,
  integration,
  jsonLines,
  sh,
  startListen,
  vethPair,
} from "./helpers.ts";
import { peerNamespace } from "./peer_netns.ts";
import { decodedAsOthers } from "./decoded_as_others.ts";

/** Whether `command` is on PATH. */
async function have(command: string): Promise<boolean> {
  const out = await new Deno.Command("sh", {
    args: ["-c", `command -v ${command}`],
    stdout: "null",
    stderr: "null",
  }).output();
  return out.success;
}

/** ntpd (NTPsec) is installed: the NTP exchange runs. */
const HAVE_NTPD = await have("ntpd");

const HERE = "10.9.0.1";
const RESOLVER = "10.9.0.2";

/** A program's lookups: host.lan over UDP, then www.lan (AAAA) over TCP. */
const LOOKUPS = `
import socket, struct
def query(id, name, qtype):
    labels = b"".join(bytes([len(l)]) + l.encode() for l in name.split("."))
    return struct.pack("!HHHHHH", id, 0x0100, 1, 0, 0, 0) + labels + b"\\0" + struct.pack("!HH", qtype, 1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
u.sendto(query(0x1111, "host.lan", 1), ("${RESOLVER}", 53))
u.recv(512)
t = socket.create_connection(("${RESOLVER}", 53), timeout=5)
q = query(0x2222, "www.lan", 28)
t.sendall(struct.pack("!H", len(q)) + q)
t.recv(512)
t.close()
`;

Deno.test({
  name:
    "dnsmasq answers DNS over UDP and TCP (a program's queries and one rawframe crafts): listen -w captures them, read --json decodes them as tshark does, each line as tcpdump prints it",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    await using peer = await peerNamespace(pair.b);
    await sh("ip", "addr", "add", `${HERE}/24`, "dev", pair.a);
    await peer.sh("ip", "addr", "add", `${RESOLVER}/24`, "dev", pair.b);
    const dnsmasq = peer.spawn(
      "dnsmasq",
      ...["--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts"],
      ...["--log-facility=-", "--user=root", "--pid-file="],
      ...[`--interface=${pair.b}`, "--bind-interfaces"],
      ...["--address=/host.lan/10.9.0.50", "--address=/www.lan/2001:db8::50"],
    );
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      await dnsmasq.waitFor(/started/);
      // Queries and answers: UDP, and the TCP segments that carry data.
      const listen = await startListen(
        pair.a,
        ...["-w", file, "-c", "6", "--timeout", "30"],
        ...["--filter", "udp port 53 or (tcp port 53 and tcp[13] & 8 != 0)"],
      );
      await sh("/usr/bin/python3", "-c", LOOKUPS);
      const sent = await cli(
        "send",
        pair.macB,
        pair.a,
        "--layers",
        `ip src=${HERE} dst=${RESOLVER} / udp sport=40053 / dns id=0x3333 name=host.lan`,
      );
      equal(sent.code, 0, sent.stderr);
      const heard = await listen.done(35_000);
      equal(heard.code, 0, `${heard.stderr}${dnsmasq.both}`);
      const { records, lines } = await decodedAsOthers(file, 100);
      match(lines[0], /: 4369\+ A\? host\.lan\. \(26\)$/);
      match(lines[1], /: 4369\* 1\/0\/0 A 10\.9\.0\.50 \(42\)$/);
      match(lines[2], /length 27 8738\+ AAAA\? www\.lan\. \(25\)$/);
      match(lines[3], /8738\* 1\/0\/0 AAAA 2001:db8::50 \(53\)$/);
      match(
        lines[4],
        /40053 > 10\.9\.0\.2\.53: 13107\+ A\? host\.lan\. \(26\)$/,
      );
      match(
        lines[5],
        /\.53 > 10\.9\.0\.1\.40053: 13107\* 1\/0\/0 A 10\.9\.0\.50/,
      );
      const answer = records[5].layers.at(-1);
      deepEqual(answer.answers, [{
        name: "host.lan.",
        type: 1,
        class: 1,
        ttl: answer.answers[0].ttl,
        data: "10.9.0.50",
      }]);
    } finally {
      dnsmasq.process.kill("SIGTERM");
      await dnsmasq.done();
      await Deno.remove(file);
    }
  },
});

/** dnsmasq as a DHCP server on `iface` (10.9.0.100 to .150), in `peer`. */
function dhcpServer(
  peer: Awaited<ReturnType<typeof peerNamespace>>,
  iface: string,
  leases: string,
) {
  return peer.spawn(
    "dnsmasq",
    ...["--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts"],
    ...["--log-facility=-", "--user=root", "--pid-file=", "--port=0"],
    ...[`--interface=${iface}`, "--bind-interfaces", "--no-ping"],
    ...["--dhcp-range=10.9.0.100,10.9.0.150,1h", `--dhcp-leasefile=${leases}`],
  );
}

Deno.test({
  name:
    "dnsmasq leases an address to rawframe by DHCP (discover, offer, request, ack, each crafted with send --layers): read --json decodes the exchange as tshark does, each line as tcpdump prints it",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    await using peer = await peerNamespace(pair.b);
    await peer.sh("ip", "addr", "add", `${RESOLVER}/24`, "dev", pair.b);
    const leases = await Deno.makeTempFile();
    const file = await Deno.makeTempFile({ suffix: ".pcap" });
    const dnsmasq = dhcpServer(peer, pair.b, leases);
    const chaddr = pair.macA.replaceAll(":", "");
    const client = (fields: string) =>
      cli(
        "send",
        "ff:ff:ff:ff:ff:ff",
        pair.a,
        "--layers",
        `ip src=0.0.0.0 dst=255.255.255.255 / udp sport=68 / dhcp xid=0x4242 flags=0x8000 chaddr=${chaddr} ${fields}`,
      );
    try {
      await dnsmasq.waitFor(/DHCP, IP range/);
      const capture = await startListen(
        pair.a,
        ...["-w", file, "-c", "4", "--timeout", "30"],
        ...["--filter", "udp port 67 or udp port 68"],
      );
      const reply = () =>
        startListen(
          pair.a,
          ...["--json", "-c", "1", "--timeout", "20"],
          ...["--filter", "udp src port 67"],
        );
      const offered = await reply();
      equal((await client("msgtype=1 hostname=rawframe")).code, 0);
      const dhcpOf = (record: { layers: { layer: string }[] } | undefined) =>
        // deno-lint-ignore no-explicit-any
        record?.layers.find((l) => l.layer === "dhcp") as any;
      const offer = dhcpOf(jsonLines((await offered.done(25_000)).stdout)[0]);
      equal(offer?.msgtype, 2, `${dnsmasq.both}`);
      match(offer.yiaddr, /^10\.9\.0\.1[0-5]\d$/);
      const acked = await reply();
      const request =
        `msgtype=3 requested=${offer.yiaddr} server=${offer.server}`;
      equal((await client(request)).code, 0);
      const ack = dhcpOf(jsonLines((await acked.done(25_000)).stdout)[0]);
      equal(ack?.msgtype, 5, `${dnsmasq.both}`);
      equal(ack.yiaddr, offer.yiaddr);
      equal(ack.lease, 3600);
      const heard = await capture.done(35_000);
      equal(heard.code, 0, heard.stderr);
      const { records, lines } = await decodedAsOthers(file, 100);
      deepEqual(
        records.map((r) => dhcpOf(r).msgtype),
        [1, 2, 3, 5],
      );
      match(lines[0], /BOOTP\/DHCP, Request from [0-9a-f:]{17}, length \d+$/);
      match(lines[1], /\.67 > [0-9.]+\.68: BOOTP\/DHCP, Reply, length \d+$/);
      match(await Deno.readTextFile(leases), new RegExp(offer.yiaddr));
    } finally {
      dnsmasq.process.kill("SIGTERM");
      await dnsmasq.done();
      await Deno.remove(file);
      await Deno.remove(leases);
    }
  },
});

Deno.test({
  name:
    "ntpd answers an NTP request rawframe builds (its origin timestamp is our transmit timestamp): read --json decodes both as tshark does, each line as tcpdump prints it",
  ...integration,
  // NTPsec is not among the test packages: installing it starts a time
  // daemon on the host. This test runs its own, where ntpd is there.
  ignore: integration.ignore || !HAVE_NTPD,
  async fn() {
    await using pair = await vethPair();
    await using peer = await peerNamespace(pair.b);
    await sh("ip", "addr", "add", `${HERE}/24`, "dev", pair.a);
    await peer.sh("ip", "addr", "add", `${RESOLVER}/24`, "dev", pair.b);
    const dir = await Deno.makeTempDir();
    await Deno.writeTextFile(`${dir}/ntp.conf`, `driftfile ${dir}/drift\n`);
    const ntpd = peer.spawn(
      "ntpd",
      "-n",
      "-c",
      `${dir}/ntp.conf`,
      "-I",
      pair.b,
    );
    const file = `${dir}/ntp.pcap`;
    const xmt = "e9a1b2c3d4e5f607";
    let capture;
    try {
      // ntpd says where it listens on stdout or stderr, by its version.
      await ntpd.waitFor(
        /Listen normally on \d+ \S+ 10\.9\.0\.2/,
        15_000,
        "both",
      );
      capture = await startListen(
        pair.a,
        ...["-w", file, "--timeout", "60", "--filter", "udp port 123"],
      );
      // Sent until answered: ntpd may still be settling its sockets.
      let answered = false;
      for (let tries = 0; tries < 10 && !answered; tries++) {
        const answer = await startListen(
          pair.a,
          ...["--json", "-c", "1", "--timeout", "2"],
          ...["--filter", "udp src port 123 and src host 10.9.0.2"],
        );
        const sent = await cli(
          "send",
          pair.macB,
          pair.a,
          "--layers",
          `ip src=${HERE} dst=${RESOLVER} / udp / ntp xmt=${xmt}`,
        );
        equal(sent.code, 0, sent.stderr);
        answered = jsonLines((await answer.done(5_000)).stdout).length === 1;
      }
      equal(answered, true, ntpd.both);
      const heard = await capture.done(500); // ended by SIGTERM, as Ctrl-C
      match(heard.stderr, /frames? received/, heard.stderr);
      const { records, lines } = await decodedAsOthers(file, 20);
      // The requests (one, or more while ntpd settled), then its answer.
      match(lines[0], /123 > 10\.9\.0\.2\.123: NTPv4, Client, length 48$/);
      const last = lines.length - 1;
      match(lines[last], /\.123 > 10\.9\.0\.1\.123: NTPv4, Server, length 48$/);
      const answer = records[last].layers.at(-1);
      equal(answer.mode, 4);
      equal(answer.org, xmt);
    } finally {
      await capture?.done(0); // ended already, unless an assertion failed
      await ntpd.done(0); // SIGTERM, if it still runs
      await Deno.remove(dir, { recursive: true });
    }
  },
});
