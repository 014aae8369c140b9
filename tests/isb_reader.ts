/**
 * The interface statistics blocks of a pcapng file, read by a separate
 * parser written from the pcapng specification in Python (not rawframe's
 * reader), as an independent check of what rawframe writes.
 */
import { run } from "./helpers.ts";

const ISB_READER = `
import struct, sys
data = open(sys.argv[1], "rb").read()
at = 0
while at < len(data):
    kind, length = struct.unpack_from("<II", data, at)
    if kind == 5:
        iface, high, low = struct.unpack_from("<III", data, at + 8)
        o, found = at + 20, {}
        while True:
            code, size = struct.unpack_from("<HH", data, o)
            if code == 0: break
            found[code] = data[o + 4:o + 4 + size]
            o += 4 + (size + 3) // 4 * 4
        c = {k: struct.unpack("<Q", v)[0] for k, v in found.items() if k in (4, 5, 7)}
        print(iface, (high << 32) | low, c.get(4), c.get(5), c.get(7))
    at += length
`;

/** One statistics block: its interface, time and counts (null when absent). */
export interface Statistics {
  iface: number;
  /** The block's time in the interface's units. */
  time: number;
  /** isb_ifrecv, isb_ifdrop, isb_usrdeliv. */
  received: number | null;
  dropped: number | null;
  delivered: number | null;
}

/** The statistics blocks of pcapng file `file`, in order. */
export async function statisticsBlocks(file: string): Promise<Statistics[]> {
  const out = await run("/usr/bin/python3", ["-c", ISB_READER, file]);
  if (out.code !== 0) throw new Error(`reading ${file}: ${out.stderr}`);
  const count = (text: string) => text === "None" ? null : Number(text);
  return out.stdout.trim().split("\n").filter((l) => l !== "").map((line) => {
    const [iface, time, received, dropped, delivered] = line.split(" ");
    return {
      iface: Number(iface),
      time: Number(time),
      received: count(received),
      dropped: count(dropped),
      delivered: count(delivered),
    };
  });
}
