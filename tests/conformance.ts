/**
 * Conformance run over tcpdump's own test captures: for every Ethernet
 * frame rawframe decodes, its one-line summary against tcpdump's
 * (`tcpdump -n -t -S -r`, and `-e` for 802.3 frames, whose LLC line tcpdump
 * only prints with the link header). Prints the counts and the first
 * differences of each file.
 *
 *   deno run -A tests/conformance.ts [DIR] [--show N]
 *
 * DIR defaults to ../shared/corpus/tcpdump-tests. Needs tcpdump.
 *
 * @module
 */

import { encodeLayers } from "../lib/build.ts";
import type { BuildLayer } from "../lib/build.ts";
import { decodeFrame, decodeLink } from "../lib/decode.ts";
import { readPcap } from "../lib/pcap.ts";
import { joinVxlan } from "./tcpdump_lines.ts";

const DEFAULT_DIR =
  new URL("../../shared/corpus/tcpdump-tests", import.meta.url)
    .pathname;
const CLI = new URL("../cli.ts", import.meta.url).pathname;
const decoder = new TextDecoder();

/** One file's comparison. */
export interface FileResult {
  file: string;
  /** Frames rawframe decoded (a summary that is not null). */
  decoded: number;
  /** Of those, summaries equal to tcpdump's. */
  equal: number;
  /**
   * Summaries where tcpdump goes on to decode what rawframe leaves as
   * payload (an application protocol over UDP or TCP, say): rawframe's
   * line is tcpdump's up to where rawframe stops.
   */
  further: number;
  /** The differing summaries: rawframe's, then tcpdump's. */
  differences: [string, string][];
  /** Why the file was not compared, when it was not. */
  skipped?: string;
}

async function output(command: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "null",
  }).output();
  return decoder.decode(out.stdout);
}

/** tcpdump's lines, continuation lines (indented) joined to their frame. */
function tcpdumpLines(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    // Continued lines are indented by a tab or four spaces; a cooked
    // frame's -e line starts with its direction, padded (" In", "  B").
    if (/^(\t| {4})/.test(line) && lines.length > 0) {
      lines[lines.length - 1] += line;
    } else lines.push(line);
  }
  return joinVxlan(lines);
}

/**
 * What follows the link header and VLAN tags in a `tcpdump -e` line
 * (tcpdump writes a tagged 802.3 frame's as `vlan 46, p 6, 802.3LLC, ...`).
 */
function afterLinkHeader(line: string): string {
  const m = line.match(/, length \d+: (.*)$/);
  const rest = m ? m[1] : line;
  return rest.replace(/^(vlan \d+, p \d+, )+802\.3/, "");
}

/**
 * True when tcpdump's line is rawframe's carried further: rawframe's is a
 * prefix of it, or rawframe says `UDP, length N` or `ip-proto-N` where tcpdump
 * names what the datagram carries.
 */
export function decodesFurther(ours: string, theirs: string): boolean {
  if (theirs.startsWith(ours)) return true;
  const payload = ours.match(/^(.*: )(UDP, length \d+|ip-proto-\d+ \d+)$/);
  return payload !== null && theirs.startsWith(payload[1]) &&
    !theirs.slice(payload[1].length).startsWith(payload[2].split(" ")[0]);
}

/** Compares one capture file. */
export async function compareFile(path: string): Promise<FileResult> {
  const file = path.split("/").at(-1)!;
  const json = await output(Deno.execPath(), [
    "run",
    "--allow-read",
    CLI,
    "read",
    "--json",
    path,
  ]);
  const records = json.split("\n").filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
  const result: FileResult = {
    file,
    decoded: 0,
    equal: 0,
    further: 0,
    differences: [],
  };
  if (records.length === 0) return { ...result, skipped: "not Ethernet" };
  const plain = tcpdumpLines(
    await output("tcpdump", ["-n", "-t", "-S", "-r", path]),
  );
  const linked = tcpdumpLines(
    await output("tcpdump", ["-n", "-t", "-S", "-e", "-r", path]),
  );
  if (plain.length !== records.length || linked.length !== records.length) {
    return {
      ...result,
      skipped: `${records.length} frames, tcpdump printed ${plain.length}`,
    };
  }
  records.forEach((record, i) => {
    if (record.info === null) return;
    result.decoded++;
    const theirs = record.type < 1536 ? afterLinkHeader(linked[i]) : plain[i];
    if (theirs === record.info) result.equal++;
    else if (decodesFurther(record.info, theirs)) result.further++;
    else result.differences.push([record.info, theirs]);
  });
  return result;
}

/** How a file's frames re-encode from their decoded layers. */
export interface RoundTrip {
  /** Frames whose layers can all be built (a `raw` layer ends them). */
  buildable: number;
  /** Of those, layers that encode to the frame's bytes exactly. */
  same: number;
  /** The frames (1-based) that did not. */
  differ: number[];
}

/**
 * Decodes each frame of `file` (bytes of a pcap or pcapng file) and
 * encodes its layers again: they must give the bytes after the Ethernet
 * header up to the end of the datagram (what follows is padding).
 */
export function roundTrip(file: Uint8Array): RoundTrip {
  const result: RoundTrip = { buildable: 0, same: 0, differ: [] };
  let frames;
  try {
    frames = readPcap(file);
  } catch {
    return result; // a file rawframe refuses (another link type, damaged)
  }
  frames.forEach((frame, i) => {
    const link = decodeLink(frame.bytes, frame.linkType); // cooked too
    if (link === undefined) return;
    const { layers } = decodeFrame(frame.bytes, frame.length, link);
    if (layers.at(-1)?.layer !== "raw") return;
    result.buildable++;
    const payload = frame.bytes.subarray(link.at);
    const bytes = encodeLayers(layers as BuildLayer[]);
    const equal = bytes.length <= payload.length &&
      bytes.every((b, j) => b === payload[j]);
    if (equal) result.same++;
    else result.differ.push(i + 1);
  });
  return result;
}

/**
 * A conformance script's arguments, `[DIR] [--show N]`: the capture files
 * of DIR (the corpus by default), sorted, and how many differences to
 * show of each kind.
 */
export function corpusArgs(
  args: string[],
  showByDefault: number,
): { files: string[]; show: number } {
  const showAt = args.indexOf("--show");
  const show = showAt >= 0 ? Number(args[showAt + 1]) : showByDefault;
  // DIR is any argument but --show and its number (none without --show).
  const dir =
    args.find((a, i) =>
      !a.startsWith("--") && (showAt < 0 || i !== showAt + 1)
    ) ?? DEFAULT_DIR;
  const files = [...Deno.readDirSync(dir)]
    .filter((e) => /\.(pcap|pcapng)$/.test(e.name))
    .map((e) => `${dir}/${e.name}`).sort();
  return { files, show };
}

if (import.meta.main) {
  const { files, show } = corpusArgs(Deno.args, 3);
  let decoded = 0, equal = 0, further = 0, compared = 0;
  for (const path of files) {
    const r = await compareFile(path);
    if (r.skipped !== undefined) continue;
    compared++;
    decoded += r.decoded;
    equal += r.equal;
    further += r.further;
    if (r.differences.length === 0) continue;
    console.log(
      `${r.file}: ${r.equal} of ${r.decoded} equal, ${r.differences.length} differ`,
    );
    for (const [ours, theirs] of r.differences.slice(0, show)) {
      console.log(`  rawframe: ${ours}\n  tcpdump:  ${theirs}`);
    }
  }
  let buildable = 0, same = 0;
  for (const path of files) {
    const r = roundTrip(await Deno.readFile(path));
    buildable += r.buildable;
    same += r.same;
    if (r.differ.length > 0) {
      console.log(
        `${path}: frames ${r.differ.slice(0, 5)} re-encode differently`,
      );
    }
  }
  console.log(
    `re-encoding: ${buildable} frames decode completely into buildable layers, ${same} encode to the same bytes, ${
      buildable - same
    } differ`,
  );
  console.log(
    `${compared} Ethernet files, ${decoded} frames decoded: ${equal} equal to tcpdump's, ${further} that tcpdump decodes further, ${
      decoded - equal - further
    } differ`,
  );
}
