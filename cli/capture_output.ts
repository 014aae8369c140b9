/**
 * Where `listen` and `read` put the frames they take, the same outputs
 * for both: a pcap file (records copied straight from the source's
 * memory), NDJSON records (written as bytes straight from it), or human
 * lines with hex dumps (from a copy). Everything is buffered and written
 * once per batch of frames, so a lone frame still shows at once and a
 * flood costs one write per batch.
 *
 * @module
 */

import { openOutput, type Output } from "./files.ts";
import { LineWriter, writeHexdump } from "./line_writer.ts";
import { writeAll } from "./output.ts";
import {
  type CapturedFrame,
  FrameJsonWriter,
  frameLine,
  LineClock,
  type TimeStyle,
} from "../lib/format.ts";
import { CapturedView } from "../lib/captured_view.ts";
import { PcapWriter } from "../lib/pcap.ts";
import { type InterfaceCounts, PcapngWriter } from "../lib/pcapng_writer.ts";
import { RotatingFiles } from "../lib/rotating_files.ts";
import type { RecordSink } from "../lib/capture_loop.ts";
import type { WritePlan } from "./write_plan.ts";
import type { RingFrame, Timestamp } from "../contract/types.ts";
import { wallClock } from "../lib/clock.ts";
import { host } from "./host/runtime.ts";

/** What a command asks of its outputs. */
export interface OutputPlan {
  /** A capture file to write (`-`: standard output). */
  write?: WritePlan;
  /** A line (or, with `json`, a record) for each frame. */
  lines: boolean;
  /** NDJSON records instead of lines. */
  json: boolean;
  /** A hex dump under each line. */
  hex: boolean;
  /** More of each layer's fields in lines, as tcpdump -v. */
  verbose: boolean;
  /** Echo replies sent are shown too, after their requests. */
  echo?: boolean;
  /** How lines show the time (tcpdump's -t options). @default local */
  time?: TimeStyle;
  /** What a pcap file's records start with (a file read). @default 1, Ethernet */
  linkType?: number;
}

/** The outputs of one capture. */
export interface CaptureOutput extends Disposable {
  /** Takes capture records (copied straight from the source). */
  pcap?: RecordSink;
  /** For each frame still in the source's memory (JSON). */
  record?: (frame: RingFrame) => void;
  /** For each frame's copy (human lines). */
  show?: (frame: CapturedFrame) => void;
  /** For each echo reply sent at `timestamp`: shown as the frame it is. */
  answered?: (
    reply: Uint8Array,
    request: CapturedFrame,
    timestamp: Timestamp,
  ) => void;
  /** Writes what the last batch produced. */
  flush(): void;
  /**
   * Ends a pcapng file with each interface's statistics (what the kernel
   * counted, when known); nothing for pcap.
   */
  statistics(
    counts: ReadonlyMap<string | null, InterfaceCounts | undefined>,
  ): void;
  /** True once -G with -W has written its last file: the capture stops. */
  readonly full: boolean;
}

/**
 * Opens the outputs `plan` asks for; `nameOf` names a frame's interface,
 * and `nameOfIndex` an interface index (a socket's frames: they go
 * straight from the ring into a pcapng file). Disposing flushes what is
 * left and closes the file.
 */
export function openCaptureOutput(
  plan: OutputPlan,
  nameOf: (frame: RingFrame) => string | null,
  nameOfIndex?: (ifindex: number) => string,
): CaptureOutput {
  const file = plan.write && openFile(plan.write);
  const pcap = file && plan.write &&
    writerFor(plan.write, file.write, nameOf, nameOfIndex, plan.linkType);
  const json = plan.lines && plan.json
    ? new FrameJsonWriter((bytes) => writeAll(host.stdout, bytes))
    : undefined;
  const lines = plan.lines && !plan.json ? new LineWriter() : undefined;
  const flush = (): void => {
    pcap?.flush();
    json?.flush();
    lines?.flush();
  };
  const record = json &&
    ((frame: RingFrame) => json.add(frame, nameOf(frame)));
  const show = lines && lineShower(plan, lines);
  const view = new CapturedView();
  // A reply is shown after its request, as the frame that left.
  const answered = plan.echo && (lines || json) &&
    ((reply: Uint8Array, request: CapturedFrame, timestamp: Timestamp) => {
      const sent: CapturedFrame = {
        iface: request.iface,
        bytes: reply,
        length: reply.length,
        pkttype: "outgoing",
        direction: "out",
        timestamp,
      };
      if (show) show(sent);
      else json?.add(view.show(sent), sent.iface);
    });
  return {
    ...(pcap ? { pcap } : {}),
    ...(record ? { record } : {}),
    ...(show ? { show } : {}),
    ...(answered ? { answered } : {}),
    flush,
    statistics(counts) {
      if (pcap instanceof PcapngWriter) writeStatistics(pcap, counts);
      flush();
    },
    get full() {
      return file?.full ?? false;
    },
    [Symbol.dispose]() {
      try {
        flush();
      } finally {
        file?.close();
      }
    },
  };
}

/** Shows each frame as a line (and a hex dump), as `plan` asks. */
function lineShower(
  plan: OutputPlan,
  lines: LineWriter,
): (frame: CapturedFrame) => void {
  const options = {
    verbose: plan.verbose,
    clock: new LineClock(plan.time ?? "local"),
  };
  return (frame) => {
    lines.writeLine(frameLine(frame, options));
    if (plan.hex) writeHexdump(lines, frame.bytes);
  };
}

/** A statistics block for each interface the file describes, as of now. */
function writeStatistics(
  pcap: PcapngWriter,
  counts: ReadonlyMap<string | null, InterfaceCounts | undefined>,
): void {
  const now = wallClock();
  for (const { name } of pcap.interfaces) {
    pcap.statistics(name, now, counts.get(name));
  }
}

/** A -w file: one, or files in turn (-C, -G). */
interface CaptureFile extends Output {
  /** -G with -W has written its last file. */
  readonly full: boolean;
}

/** Opens the file (or the first of the files) `plan` writes. */
function openFile(plan: WritePlan): CaptureFile {
  if (plan.rotation === undefined) {
    const output = openOutput(plan.path, "-w");
    return { write: output.write, close: output.close, full: false };
  }
  const files = new RotatingFiles(
    plan.path,
    plan.rotation,
    (name) => openOutput(name, "-w"),
    () => Date.now(),
  );
  return {
    write: (bytes) => files.write(bytes),
    close: () => files.close(),
    get full() {
      return files.full;
    },
  };
}

/** The writer of `plan`'s format, writing through `sink`. */
function writerFor(
  plan: WritePlan,
  sink: (bytes: Uint8Array) => void,
  nameOf: (frame: RingFrame) => string | null,
  nameOfIndex?: (ifindex: number) => string,
  linkType?: number,
): PcapWriter | PcapngWriter {
  const { format, precision } = plan;
  return format === "pcapng"
    ? new PcapngWriter(sink, {
      precision,
      interfaceOf: nameOf,
      ...(nameOfIndex === undefined ? {} : { interfaceNameOf: nameOfIndex }),
    })
    : new PcapWriter(sink, precision, undefined, linkType);
}
