/**
 * Where `listen` puts the frames it takes: a pcap file (records copied
 * straight from the ring), NDJSON records (written as bytes straight from
 * the ring), or human lines with hex dumps (from a copy). Everything is
 * buffered and written once per batch of frames, so a lone frame still
 * shows at once and a flood costs one write per batch.
 *
 * @module
 */

import { openOutput, type Output } from "./files.ts";
import { LineWriter, writeHexdump } from "./line_writer.ts";
import { writeAll } from "./output.ts";
import { frameLine } from "../lib/format.ts";
import { FrameJsonWriter } from "../lib/json_writer.ts";
import { PcapWriter } from "../lib/pcap.ts";
import type { ReceivedFrame } from "../lib/received_frame.ts";
import type { RingFrame } from "../lib/types.ts";
import type { ListenPlan } from "./listen_plan.ts";

/** The outputs of one listen. */
export interface ListenOutput extends Disposable {
  /** Takes pcap records (copied straight from the ring). */
  pcap?: PcapWriter;
  /** For each frame still in the ring (JSON). */
  record?: (frame: RingFrame) => void;
  /** For each frame's copy (human lines). */
  show?: (frame: ReceivedFrame) => void;
  /** Writes what the last batch produced. */
  flush(): void;
}

/**
 * Opens the outputs `plan` asks for; `nameOf` names a frame's interface.
 * Disposing flushes what is left and closes the file.
 */
export function openListenOutput(
  plan: ListenPlan,
  nameOf: (ifindex: number) => string,
): ListenOutput {
  const file: Output | undefined = plan.write &&
    openOutput(plan.write.path, "-w");
  const pcap = file && plan.write &&
    new PcapWriter(file.write, plan.write.precision);
  const json = plan.lines && plan.json
    ? new FrameJsonWriter((bytes) => writeAll(Deno.stdout, bytes))
    : undefined;
  const lines = plan.lines && !plan.json ? new LineWriter() : undefined;
  const flush = (): void => {
    pcap?.flush();
    json?.flush();
    lines?.flush();
  };
  const record = json &&
    ((frame: RingFrame) => json.add(frame, nameOf(frame.ifindex)));
  return {
    ...(pcap ? { pcap } : {}),
    ...(record ? { record } : {}),
    ...(lines
      ? {
        show: (frame: ReceivedFrame) => {
          lines.writeLine(frameLine(frame));
          if (plan.hex) writeHexdump(lines, frame.bytes);
        },
      }
      : {}),
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
