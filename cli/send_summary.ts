/**
 * What `rawframe send` says when it is done: one line, one JSON object,
 * or nothing.
 *
 * @module
 */

import { out, plural } from "./output.ts";
import { parseFrame } from "../lib/frame.ts";
import { etherTypeText } from "../lib/format.ts";
import type { SendPlan } from "./send_plan.ts";

/** What a run did. */
export interface SendResult {
  frames: Uint8Array[];
  sent: number;
  bytes: number;
  seconds: number;
  interrupted: boolean;
}

/** What the summary says about the frames, besides counts. */
function about(plan: SendPlan, frames: Uint8Array[]): Record<string, unknown> {
  if (plan.source.kind === "file") return { file: plan.source.file };
  const parsed = parseFrame(frames[0]);
  return {
    src: parsed.src,
    dst: parsed.dst,
    type: parsed.type,
    ...(plan.source.kind === "build" && parsed.vlans.length > 0
      ? { vlan: parsed.vlans }
      : {}),
  };
}

/** Prints the summary: one JSON object, one line, or nothing. */
export function report(plan: SendPlan, result: SendResult): void {
  const { frames, sent, bytes, seconds, interrupted } = result;
  const pps = seconds > 0 ? sent / seconds : 0;
  const facts = about(plan, frames);
  if (plan.output === "json") {
    out(JSON.stringify({
      sent,
      bytes,
      ...facts,
      iface: plan.iface,
      seconds: Number(seconds.toFixed(6)),
      pps: Math.round(pps),
      ...(interrupted ? { interrupted: true } : {}),
    }));
    return;
  }
  if (plan.output === "quiet") return;
  const size = frames.every((f) => f.length === frames[0]?.length)
    ? ` of ${frames[0]?.length ?? 0} bytes`
    : ` (${bytes} bytes)`;
  const route = facts.file !== undefined
    ? ` from ${facts.file}`
    : `, ${facts.src} > ${facts.dst}, type ${
      etherTypeText(facts.type as number)
    }`;
  const tags = (facts.vlan as { id: number; pcp: number }[] | undefined)
    ?.map((t) => `, vlan ${t.id} p ${t.pcp}`).join("") ?? "";
  const timing = sent > 1 || interrupted
    ? ` in ${seconds.toFixed(3)} s (${Math.round(pps)} frames/s)`
    : "";
  const stopped = interrupted ? ", stopped by signal" : "";
  out(
    `sent ${
      plural(sent, "frame")
    }${size}${route}${tags}, on ${plan.iface}${timing}${stopped}`,
  );
}
