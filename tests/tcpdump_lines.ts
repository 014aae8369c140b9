/**
 * tcpdump's own summary of each frame of a capture file, the oracle for
 * decoded lines: `tcpdump -n -t -S -r FILE`, with the link-layer part
 * (`-e`) kept only where tcpdump names LLC nowhere else (802.3 frames).
 *
 * @module
 */

import { sh } from "./helpers.ts";

/**
 * tcpdump's lines with a VXLAN header's line and its inner frame's line
 * (tcpdump starts a new one there) joined by `: `, as rawframe's one line
 * per frame has them.
 */
export function joinVxlan(lines: string[]): string[] {
  const joined: string[] = [];
  let open = false;
  for (const line of lines) {
    if (open) joined[joined.length - 1] += `: ${line}`;
    else joined.push(line);
    open = !open &&
      /VXLAN, flags \[[I.]\] \(0x[0-9a-f]{2}\), vni \d+$/.test(line);
  }
  return joined;
}

/** tcpdump's line for each frame of `file`, without the link-layer part. */
export async function tcpdumpLines(file: string): Promise<string[]> {
  const lines = async (extra: string[]) =>
    joinVxlan(
      (await sh("tcpdump", "-n", "-t", "-S", ...extra, "-r", file)).split("\n")
        .filter((l) => l !== "" && !l.startsWith("\t")),
    );
  const plain = await lines([]);
  const linked = await lines(["-e"]);
  // 802.3 frames: tcpdump names the LLC header only with -e.
  return plain.map((line, i) =>
    linked[i].includes(", 802.3, length ")
      ? linked[i].replace(/^.*?, 802\.3, length \d+: /, "")
      : line
  );
}

/** tcpdump's spacing quirks aside (`IP  [|ip]`, `missing!2001:`), the same words. */
export function words(text: string): string {
  return text.replace(/missing!(?=\S)/, "missing! ").replace(/\s+/g, " ")
    .trim().replace(/^\[\|ip6\]$/, "IP6 [|ip6]");
}
