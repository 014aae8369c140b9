/**
 * Conformance of decoded fields over tcpdump's own test captures: every
 * Ethernet frame's layers against tshark's own fields, as the decode
 * tests compare them (tests/tshark_layers.ts). Prints the counts, the
 * disagreements grouped by layer and field, and a few of each.
 *
 *   deno run -A tests/conformance_fields.ts [DIR] [--show N]
 *
 * DIR defaults to ../shared/corpus/tcpdump-tests. Needs tshark.
 *
 * @module
 */

import { decodeFrame, decodeLink } from "../lib/decode.ts";
import { readPcap } from "../lib/pcap.ts";
import { compareWithTshark } from "./tshark_layers.ts";
import { corpusArgs } from "./conformance.ts";

if (import.meta.main) {
  const { files, show } = corpusArgs(Deno.args, 2);
  let compared = 0, frames = 0, fields = 0;
  const kinds = new Map<string, string[]>();
  for (const path of files) {
    let layers;
    try {
      layers = readPcap(await Deno.readFile(path)).map((f) => {
        const link = decodeLink(f.bytes, f.linkType); // cooked too
        return link === undefined
          ? []
          : decodeFrame(f.bytes, f.length, link).layers;
      });
    } catch {
      continue; // a file rawframe refuses
    }
    // Frames may be cut by a snap length: both read what is there.
    const agreement = await compareWithTshark(path, layers, true);
    compared++;
    frames += agreement.frames;
    fields += agreement.fields;
    for (const mismatch of agreement.mismatches) {
      const kind = mismatch.match(/^frame \d+: (\S+)/)?.[1] ?? mismatch;
      const seen = kinds.get(kind) ?? [];
      seen.push(`${path.split("/").pop()}: ${mismatch}`);
      kinds.set(kind, seen);
    }
  }
  const sorted = [...kinds].sort((a, b) => b[1].length - a[1].length);
  for (const [kind, seen] of sorted) {
    console.log(`${kind}: ${seen.length}`);
    for (const line of seen.slice(0, show)) console.log(`  ${line}`);
  }
  const differ = sorted.reduce((n, [, seen]) => n + seen.length, 0);
  console.log(
    `${compared} files, ${frames} frames: ${fields} fields compared with tshark's, ${differ} differ`,
  );
}
