/**
 * Layer-2 ping against ICMP ping on the same path: two network namespaces
 * joined by one veth pair (pingA here, pingB in a second namespace where
 * `rawframe listen --echo` answers and the kernel answers ICMP). Rounds
 * alternate iputils `ping` and `rawframe ping`, each 50 probes 50 ms
 * apart; the table shows the medians of their average times, rawframe's
 * responder hold time (reported in each reply and left out of time=),
 * and the ratio of the averages.
 *
 * Alone (inside a private namespace):
 * `deno run -A tests/netns.ts deno run -A bench/ping.ts [rounds]`
 *
 * @module
 */

import { CLI, DENO, median, must, progress, row } from "./tools.ts";

const HERE = "pingA";
const THERE = "pingB";
const PEER_IP = "10.77.0.2";
const PEER_MAC = "02:77:00:00:00:02";
const PROBES = 50;
const GAP_MS = 50;

/** One round's averages, ms. */
export interface PingRound {
  /** iputils ping's average RTT. */
  icmp: number;
  /** rawframe ping's average time= (round trip less hold). */
  rawframe: number;
  /** rawframe ping's average round trip, hold included. */
  roundTrip: number;
  /** The responder's average hold time. */
  hold: number;
  /** rawframe ping's mdev. */
  mdev: number;
  /** iputils ping's mdev. */
  icmpMdev: number;
}

/** The far namespace, its responder, and how to take them down. */
async function farEnd(): Promise<{ close(): Promise<void> }> {
  await must("ip", [
    ...["link", "add", "name", HERE, "type", "veth"],
    ...["peer", "name", THERE, "address", PEER_MAC],
  ]);
  const holder = new Deno.Command("unshare", {
    args: ["--net", "sleep", "3600"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await new Promise((r) => setTimeout(r, 300)); // the namespace is made
  const inside = ["-t", String(holder.pid), "-n"];
  await must("ip", ["link", "set", THERE, "netns", String(holder.pid)]);
  await must("ip", ["addr", "add", "10.77.0.1/24", "dev", HERE]);
  await must("ip", ["link", "set", HERE, "up"]);
  await must("nsenter", [...inside, "ip", "link", "set", "lo", "up"]);
  await must("nsenter", [
    ...inside,
    ...["ip", "addr", "add", `${PEER_IP}/24`, "dev", THERE],
  ]);
  await must("nsenter", [...inside, "ip", "link", "set", THERE, "up"]);

  const echo = new Deno.Command("nsenter", {
    args: [
      ...inside,
      DENO,
      "run",
      "--allow-ffi",
      CLI,
      "listen",
      THERE,
      "--echo",
      "-q",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = echo.stderr.getReader();
  await reader.read(); // "listening on ..."
  reader.releaseLock();
  return {
    async close() {
      echo.kill("SIGINT");
      await echo.stderr.cancel();
      await echo.status;
      holder.kill("SIGKILL");
      await holder.status;
    },
  };
}

/** iputils ping's average and mdev, ms. */
async function icmpPing(): Promise<[number, number]> {
  const out = await must("ping", [
    ...["-n", "-q", "-c", String(PROBES), "-i", String(GAP_MS / 1000), PEER_IP],
  ]);
  const m = out.stdout.match(/= [\d.]+\/([\d.]+)\/[\d.]+\/([\d.]+) ms/);
  if (!m) throw new Error(`unexpected ping output: ${out.stdout}`);
  return [Number(m[1]), Number(m[2])];
}

/** rawframe ping's summary: averages of time=, round trip and hold. */
async function layer2Ping(): Promise<Omit<PingRound, "icmp" | "icmpMdev">> {
  const out = await must(DENO, [
    ...["run", "--allow-ffi", CLI, "ping", PEER_MAC, HERE, "--json"],
    ...["-c", String(PROBES), "--interval", String(GAP_MS)],
  ]);
  const events = out.stdout.trim().split("\n").map((l) => JSON.parse(l));
  const replies = events.filter((e) => e.event === "reply");
  const summary = events.at(-1);
  const roundTrip = replies.reduce((a, r) => a + r.round_trip_ms, 0) /
    replies.length;
  return {
    rawframe: summary.rtt_ms.avg,
    mdev: summary.rtt_ms.mdev,
    roundTrip,
    hold: summary.hold_ms.avg,
  };
}

/** Runs `rounds` alternating rounds. */
export async function measurePing(rounds: number): Promise<PingRound[]> {
  const far = await farEnd();
  try {
    await icmpPing(); // warm both paths
    await layer2Ping();
    const results: PingRound[] = [];
    for (let round = 0; round < rounds; round++) {
      progress(`round ${round + 1} of ${rounds}: ping`);
      let icmp: [number, number];
      let ours;
      if (round % 2 === 0) {
        icmp = await icmpPing();
        ours = await layer2Ping();
      } else {
        ours = await layer2Ping();
        icmp = await icmpPing();
      }
      results.push({ ...ours, icmp: icmp[0], icmpMdev: icmp[1] });
    }
    return results;
  } finally {
    await far.close();
    await must("ip", ["link", "del", HERE]).catch(() => {});
  }
}

/** Prints the table: medians of the rounds' averages, and the ratio. */
export function printPing(rounds: PingRound[]): void {
  const ms = (pick: (r: PingRound) => number): string =>
    `${median(rounds.map(pick)).toFixed(3)} ms`;
  console.log(
    `| ping over one veth pair between two namespaces, ${PROBES} probes ${GAP_MS} ms apart | average | mdev |`,
  );
  console.log(row(["---", "---:", "---:"]));
  console.log(row([
    "iputils ping (ICMP, answered by the far kernel)",
    ms((r) => r.icmp),
    ms((r) => r.icmpMdev),
  ]));
  console.log(row([
    "rawframe ping → listen --echo: time= (kernel stamps, hold left out)",
    ms((r) => r.rawframe),
    ms((r) => r.mdev),
  ]));
  console.log(row([
    "rawframe ping: whole round trip, hold included",
    ms((r) => r.roundTrip),
    "",
  ]));
  console.log(row(["listen --echo: hold time", ms((r) => r.hold), ""]));
  const ratios = rounds.map((r) => r.rawframe / r.icmp);
  console.log(row([
    "**ratio of averages, rawframe / iputils** (goal ≤ 2)",
    `**${median(ratios).toFixed(2)}**`,
    `rounds: ${ratios.map((r) => r.toFixed(2)).join(", ")}`,
  ]));
}

if (import.meta.main) {
  // It makes links and a namespace: never on the host's own network.
  if (Deno.env.get("RAWFRAME_NETNS") !== "1") {
    console.error(
      "error: run it inside a private namespace: deno run -A tests/netns.ts deno run -A bench/ping.ts",
    );
    Deno.exit(1);
  }
  printPing(await measurePing(Number(Deno.args[0] ?? 3)));
}
