/**
 * tshark's verdict on every checksum of some frames, with checksum
 * validation turned on (IPv4, UDP and TCP; ICMP, ICMPv6, GRE, VRRP and
 * IGMP are always checked), every header of a tunnel included: the independent
 * check of frames rawframe built.
 */

import { pcapHeader, pcapRecord } from "../lib/pcap.ts";
import { run } from "./helpers.ts";

/** A classic pcap file of `frames`, in memory. */
export function pcapOf(frames: readonly Uint8Array[]): Uint8Array {
  const parts = [
    pcapHeader(),
    ...frames.map((f, i) => pcapRecord(f, { seconds: i, nanoseconds: 0 })),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** How many checksums tshark found good and bad, and its lines. */
export interface Verdicts {
  good: number;
  bad: number;
  lines: string[];
}

/** tshark's verdicts on the checksums of `frames`. */
export async function tsharkChecksums(
  frames: readonly Uint8Array[],
): Promise<Verdicts> {
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    await Deno.writeFile(file, pcapOf(frames));
    const fields = ["ip", "udp", "tcp", "icmp", "icmpv6", "gre", "vrrp", "igmp"]
      .concat(["cdp"])
      .map((p) => `${p}.checksum.status`);
    const out = await run("tshark", [
      ...["-r", file, "-T", "fields", "-E", "separator=,"],
      ...["-E", "occurrence=a"], // a tunnel's inner headers too
      ...["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"],
      ...["-o", "tcp.check_checksum:TRUE"],
      ...fields.flatMap((f) => ["-e", f]),
    ]);
    if (out.code !== 0) throw new Error(`tshark failed: ${out.stderr}`);
    const lines = out.stdout.trim().split("\n");
    // Each status: 0 bad, 1 good, 2 not checked.
    const all = lines.flatMap((l) => l.split(",")).filter((v) => v !== "");
    return {
      good: all.filter((v) => v === "1").length,
      bad: all.filter((v) => v === "0").length,
      lines,
    };
  } finally {
    await Deno.remove(file);
  }
}
