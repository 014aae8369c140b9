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
} from "../lib/format.ts";
import { CapturedView } from "../lib/captured_view.ts";
import { PcapWriter, type Precision } from "../lib/pcap.ts";
import type { RingFrame, Timestamp } from "../contract/types.ts";
import { host } from "./host/runtime.ts";

/** What a command asks of its outputs. */
export interface OutputPlan {
  /** A pcap file to write (`-`: standard output). */
  write?: { path: string; precision: Precision };
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
}

/** The outputs of one capture. */
export interface CaptureOutput extends Disposable {
  /** Takes pcap records (copied straight from the source). */
  pcap?: PcapWriter;
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
}

/**
 * Opens the outputs `plan` asks for; `nameOf` names a frame's interface.
 * Disposing flushes what is left and closes the file.
 */
export function openCaptureOutput(
  plan: OutputPlan,
  nameOf: (frame: RingFrame) => string | null,
): CaptureOutput {
  const file: Output | undefined = plan.write &&
    openOutput(plan.write.path, "-w");
  const pcap = file && plan.write &&
    new PcapWriter(file.write, plan.write.precision);
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
  const options = { verbose: plan.verbose };
  const show = lines && ((frame: CapturedFrame) => {
    lines.writeLine(frameLine(frame, options));
    if (plan.hex) writeHexdump(lines, frame.bytes);
  });
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
    [Symbol.dispose]() {
      try {
        flush();
      } finally {
        file?.close();
      }
    },
  };
}
