/**
 * `rawframe send`'s arguments, and the files they name, read into a plan:
 * a plain value, decided before any socket opens (parse → plan).
 *
 * @module
 */

import {
  choice,
  exclusive,
  expectPositionals,
  parseArgs,
  positiveNumber,
  quote,
  type Values,
  wholeNumber,
} from "./args.ts";
import { fileChunks, readUserFile } from "./files.ts";
import { inflated } from "../lib/gunzip.ts";
import { isCooked } from "../lib/cooked.ts";
import { parseLayerSpec } from "./layer_spec.ts";
import { valueText, type Variation, varyingValue } from "./varying.ts";
import {
  cycleLength,
  layeredFrame,
  type LayeredSource,
} from "./layered_frames.ts";
import { readJsonFrames } from "./json_frames.ts";
import {
  formatMac,
  HEADER_SIZE,
  parseEtherType,
  parseFrame,
  parseHex,
  parseMac,
  vlanTag,
  type VlanTagInit,
} from "../lib/frame.ts";
import { recordedSchedule, type Schedule } from "../lib/series.ts";
import { FrameError, InputError } from "../lib/errors.ts";
import { MAX_PAYLOAD } from "../contract/limits.ts";
import type { Timestamp } from "../contract/types.ts";
import { isValidTimestamp } from "../lib/time_format.ts";

/** `rawframe send --help`. */
export const HELP = `Usage: rawframe send <dst-mac> <iface> [options]
       rawframe send <dst-mac> <iface> --layers "LAYER / LAYER ..." [options]
       rawframe send <iface> --frame HEX | --from-pcap FILE | --from-json FILE [options]

Sends Ethernet frames from <iface> to <dst-mac> (default: "Hi", EtherType 0x88b5).

Frame:
  --layers SPEC     build the frame from layers, outermost first, as scapy
                    writes them; lengths and checksums are computed:
                      "ipv4 src=10.0.0.1 dst=10.0.0.2 / udp dport=53"
                      "ipv6 src=2001:db8::1 dst=2001:db8::2 / icmpv6 type=128 id=1 seq=1"
                      "arp op=1 spa=10.0.0.1 tpa=10.0.0.2"
                      "ip src=10.0.0.1 dst=10.0.0.2 / tcp dport=80 flags=S options=mss:1460"
                      "lldp chassis=02:00:00:00:00:01 port=\"ge-0/0/1\" name=sw1"
                      "lacp actor.system=02:00:00:00:00:01 actor.key=13"
                    layers: arp ipv4 (ip) ipv6 (ip6) icmp icmpv6 (icmp6) udp
                    tcp llc snap stp lldp lacp raw (data=HEX); fields as
                    read --json names them; "..." around a value with spaces
                    or "/". --payload, --hex or --file add data after it.
                    Fields may vary from frame to frame (with -c): sport=1000-1999
                    counts, id=rand or dport=rand:1024-2047 is random,
                    src=10.0.0.1-10.0.0.254 counts addresses; so do MACs
                    (--src, <dst-mac>, sha, tha: FROM-TO or rand)
  --type T          EtherType: hex (0x88b5, 88b5) or a name (ipv4, arp, ipv6,
                    vlan, lldp, exp1, exp2, ...)            default 0x88b5
  --src MAC         source MAC                   default: the interface's MAC
                    (with --layers: FROM-TO or rand, varying)
  --vlan ID[:PCP]   add an 802.1Q tag; repeat for QinQ (the first is outer
                    and gets TPID 0x88a8)
  --payload TEXT    payload text (UTF-8)                    default "Hi"
  --hex HEX         payload as hex bytes, e.g. 48:69 or 4869
  --file PATH       payload from a file ('-': standard input)
  --no-pad          do not pad the frame to 60 bytes
  --frame HEX       send this whole frame, byte for byte (no <dst-mac>)
  --from-pcap FILE  replay every frame of a pcap/pcapng file (no <dst-mac>)
  --timing T        with --from-pcap: fast, or original (keep the gaps)
  --from-json FILE  send the frames of read/listen --json records ('-': standard
                    input): a record with "payload" byte for byte, one
                    without it built from its "layers" (edit, then resend)

Series:
  -c, --count N     send N frames; 0 means until Ctrl-C      default 1
  --interval MS     wait MS milliseconds between frames (with -c)
  --rate PPS        send PPS frames per second instead (with -c)

Output:
  --json            print the summary as one JSON object
  -q, --quiet       print nothing on success (not with --json)
  -h, --help        show this help

MACs may be written 08:00:27:dd:d7:43, 08-00-27-dd-d7-43, 0800.27dd.d743 or
080027ddd743. Ctrl-C stops a series with a summary. --file and --from-pcap
need --allow-read.`;

const OPTIONS = {
  type: { type: "string" },
  src: { type: "string" },
  vlan: { type: "string", multiple: true },
  payload: { type: "string" },
  hex: { type: "string" },
  file: { type: "string" },
  "no-pad": { type: "boolean" },
  layers: { type: "string" },
  frame: { type: "string" },
  "from-pcap": { type: "string" },
  "from-json": { type: "string" },
  timing: { type: "string" },
  count: { type: "string", short: "c" },
  interval: { type: "string" },
  rate: { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
} as const;

/** A frame to build; its source defaults to the interface's MAC. */
export interface BuildSource extends LayeredSource {
  kind: "build";
}

/** What to send. */
export type SendSource =
  | BuildSource
  | { kind: "frame"; frame: Uint8Array }
  | { kind: "file"; file: string; frames: Uint8Array[] };

/** Everything `send` will do, decided before any socket opens. */
export interface SendPlan {
  /** Interface to send on. */
  iface: string;
  /** What to send. */
  source: SendSource;
  /** Frames in all, cycling through the source's (Infinity: until Ctrl-C). */
  count: number;
  /** When each frame is due. */
  schedule: Schedule;
  /** How to report. */
  output: "text" | "json" | "quiet";
}

/**
 * Reads `send`'s arguments (and the files they name) into a plan.
 *
 * @returns the plan, or undefined when help was asked for.
 * @throws {InputError} for any invalid argument.
 */
export async function planSend(args: string[]): Promise<SendPlan | undefined> {
  const { values, positionals } = parseArgs("send", args, OPTIONS);
  if (values.flag("help")) return undefined;
  checkCombinations(values);
  const whole = values.has("frame") || values.has("from-pcap") ||
    values.has("from-json");
  expectPositionals(
    "send",
    positionals,
    whole ? ["iface"] : ["dst-mac", "iface"],
  );
  const count = wholeNumber("--count", values.string("count"), 0) ?? 1;
  const common = {
    iface: positionals[positionals.length - 1],
    schedule: pacing(values),
    output: values.flag("json")
      ? "json" as const
      : values.flag("quiet")
      ? "quiet" as const
      : "text" as const,
  };
  const json = values.string("from-json");
  if (json !== undefined) {
    const frames = await readJsonFrames(json);
    return {
      ...common,
      source: { kind: "file", file: json, frames },
      count: frames.length,
    };
  }
  const file = values.string("from-pcap");
  if (file !== undefined) {
    const { frames, times } = await readCapture(file);
    const timing = values.string("timing") ?? "fast";
    if (timing === "original") assertTimes(file, times);
    return {
      ...common,
      source: { kind: "file", file, frames },
      count: frames.length,
      ...(timing === "original" && frames.length > 0
        ? { schedule: recordedSchedule(times) }
        : {}),
    };
  }
  return {
    ...common,
    source: await sourceOf(values, positionals[0]),
    count: count === 0 ? Infinity : count,
  };
}

/** Options that shape a frame we build: meaningless for a whole frame. */
const FRAME_OPTIONS = ["type", "src", "vlan", "no-pad", "layers"];

/** Refuses options that contradict each other or mean nothing here. */
function checkCombinations(values: Values): void {
  exclusive(values, [
    "payload",
    "hex",
    "file",
    "frame",
    "from-pcap",
    "from-json",
  ]);
  exclusive(values, ["interval", "rate"]);
  exclusive(values, ["json", "quiet"]);
  choice("--timing", values.string("timing"), ["fast", "original"], "fast");
  if (values.has("timing") && !values.has("from-pcap")) {
    throw new InputError("--timing goes with --from-pcap");
  }
  if (
    values.string("timing") === "original" &&
    (values.has("interval") || values.has("rate"))
  ) {
    throw new InputError(
      `--timing original keeps the recorded gaps: ${
        values.has("rate") ? "--rate" : "--interval"
      } has no meaning with it`,
    );
  }
  const replay = ["from-pcap", "from-json"].find((name) => values.has(name));
  if (replay !== undefined && values.has("count")) {
    throw new InputError(
      `--count does not apply to --${replay}: it sends each frame of the file once`,
    );
  }
  const whole = values.has("frame")
    ? "--frame: the frame is sent as given"
    : values.has("from-pcap")
    ? "--from-pcap: frames are replayed as recorded"
    : values.has("from-json")
    ? "--from-json: each record says its frame"
    : undefined;
  const extra = FRAME_OPTIONS.find((name) => values.has(name));
  if (whole !== undefined && extra !== undefined) {
    throw new InputError(`--${extra} has no meaning with ${whole}`);
  }
}

/**
 * Reads a capture as it streams in, checking every frame before any is
 * sent: a malformed file, or a frame too short for an Ethernet header,
 * stops the reading at once (an endless input cannot exhaust memory).
 */
async function readCapture(
  path: string,
): Promise<{ frames: Uint8Array[]; times: Timestamp[] }> {
  const { PcapReader } = await import("../lib/pcap_reader.ts");
  const reader = new PcapReader();
  const frames: Uint8Array[] = [];
  const times: Timestamp[] = [];
  const take = (chunk: Uint8Array): void => {
    for (const { bytes, timestamp, linkType } of reader.push(chunk)) {
      if (isCooked(linkType)) {
        throw new FrameError(
          `frame ${
            frames.length + 1
          } is from a Linux cooked capture ('tcpdump -i any'): it starts with the kernel's cooked header, not an Ethernet header, so it cannot be sent on an Ethernet interface; capture on the interface itself (-i eth0) to replay`,
        );
      }
      if (bytes.length < HEADER_SIZE) {
        throw new FrameError(
          `frame ${
            frames.length + 1
          } has ${bytes.length} bytes, fewer than an Ethernet header (${HEADER_SIZE})`,
        );
      }
      frames.push(bytes);
      times.push(timestamp);
    }
  };
  try {
    for await (const chunk of inflated(fileChunks(path, "--from-pcap"))) {
      take(chunk);
    }
    reader.end();
  } catch (error) {
    if (!(error instanceof FrameError)) throw error;
    throw new FrameError(`--from-pcap ${quote(path)}: ${error.message}`, {
      cause: error,
    });
  }
  return { frames, times };
}

/** Refuses to keep the gaps of a capture whose times are not times. */
function assertTimes(file: string, times: Timestamp[]): void {
  const bad = times.findIndex((time) => !isValidTimestamp(time));
  if (bad >= 0) {
    throw new FrameError(
      `--from-pcap ${quote(file)}: frame ${
        bad + 1
      } has a timestamp out of range, so --timing original cannot keep its gap; use --timing fast`,
    );
  }
}

/**
 * The schedule --interval or --rate asks for; they pace a series, so
 * they need --count (a replay has its own).
 */
function pacing(values: Values): Schedule {
  const interval = positiveNumber(
    "--interval",
    values.string("interval"),
    "milliseconds",
    true,
  );
  const rate = positiveNumber(
    "--rate",
    values.string("rate"),
    "frames per second",
  );
  const pace = ["interval", "rate"].find((name) => values.has(name));
  if (
    pace && !values.has("count") && !values.has("from-pcap") &&
    !values.has("from-json")
  ) {
    throw new InputError(
      `--${pace} paces a series, and one frame is sent: give --count N (0: until Ctrl-C)`,
    );
  }
  if (rate !== undefined) return { kind: "rate", pps: rate };
  if (interval) return { kind: "interval", ms: interval };
  return { kind: "fast" };
}

/** What the options say to send, when it is not a capture file. */
async function sourceOf(values: Values, dstText: string): Promise<SendSource> {
  const frameHex = values.string("frame");
  if (frameHex !== undefined) {
    const frame = parseHex(frameHex);
    parseFrame(frame); // at least a header
    return { kind: "frame", frame };
  }
  const payloadFile = values.string("file");
  const srcText = values.string("src");
  const vlans = values.strings("vlan").map(parseVlan);
  const macs = varyingMacs(dstText, srcText, values.has("layers"));
  const source: BuildSource = {
    kind: "build",
    dst: formatMac(parseMac(macs.dst)),
    type: parseEtherType(values.string("type") ?? "0x88b5"),
    vlans,
    payload: payloadFile !== undefined
      ? await readUserFile(payloadFile, "--file", MAX_PAYLOAD)
      : values.has("hex")
      ? parseHex(values.string("hex")!)
      : values.string("payload") ?? "Hi",
    pad: !values.flag("no-pad"),
  };
  if (macs.src !== undefined) source.src = formatMac(parseMac(macs.src));
  const spec = values.string("layers");
  if (spec !== undefined) {
    const parsed = parseLayerSpec(spec);
    const { layers } = parsed;
    const variations = [...macs.variations, ...parsed.variations];
    source.layers = layers;
    if (variations.length > 0) source.variations = variations;
    if (variations.length > 0 && !values.has("count")) {
      const [first] = variations;
      const what = first.layer >= 0
        ? `--layers: ${first.field}`
        : first.field === "src"
        ? "--src"
        : "<dst-mac>";
      throw new InputError(
        `${what} varies from frame to frame, and one frame is sent: give --count N (0: until Ctrl-C)`,
      );
    }
    const given = ["payload", "hex", "file"].some((name) => values.has(name));
    if (!given) source.payload = new Uint8Array(0);
    if (!values.has("type")) source.type = 0; // the first layer's
    // Checks it all: the frames at both ends of every range, and the cycle.
    const mac = source.src ?? "00:00:00:00:00:00";
    layeredFrame(source, mac);
    layeredFrame(source, mac, (v) => v.to);
    cycleLength(variations);
  }
  return source;
}

/**
 * The Ethernet addresses, at their first value where they vary
 * (`--src 02:00:00:00:00:01-02:00:00:00:00:ff`, `rand`): the frames of a
 * series built from layers, as mausezahn's `-a rand`, vary them.
 */
function varyingMacs(
  dstText: string,
  srcText: string | undefined,
  layered: boolean,
): { dst: string; src?: string; variations: Variation[] } {
  const out: { dst: string; src?: string; variations: Variation[] } = {
    dst: dstText,
    variations: [],
  };
  if (srcText !== undefined) out.src = srcText;
  for (
    const [field, what] of [["dst", "<dst-mac>"], ["src", "--src"]] as const
  ) {
    const text = out[field];
    const varying = text === undefined
      ? undefined
      : varyingValue("mac", what, text);
    if (varying === undefined) continue;
    if (!layered) {
      throw new InputError(
        `${what} ${
          quote(text!)
        } varies from frame to frame: that takes --layers`,
      );
    }
    out.variations.push({ layer: -1, field, ...varying });
    out[field] = String(valueText("mac", varying.from));
  }
  return out;
}

/** `ID[:PCP]` as given to --vlan. */
function parseVlan(text: string): VlanTagInit {
  const match = text.match(/^(\d+)(?::(\d+))?$/);
  if (!match) {
    throw new InputError(
      `invalid --vlan ${quote(text)}: give ID or ID:PCP, such as 42 or 42:3`,
    );
  }
  const tag = { id: Number(match[1]), pcp: Number(match[2] ?? 0) };
  vlanTag(tag); // validates: ID 0–4094, PCP 0–7
  return tag;
}
