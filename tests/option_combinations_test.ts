/**
 * Every option does what it says or is refused: a combination in which
 * one would be ignored is a usage error (exit 2) naming the conflict; the
 * combinations that make sense do what README says.
 */
import { assertEquals, assertThrows, assertTrue } from "./assert.ts";
import { cliWithFiles } from "./helpers.ts";
import { planListen } from "../cli/listen.ts";
import { planRead } from "../cli/read.ts";
import { planSend } from "../cli/send.ts";
import { planPing } from "../cli/ping.ts";
import { InputError } from "../lib/errors.ts";

const MAC = "02:00:00:00:00:01";

/** Combinations refused, with what the error says. */
const REFUSED: [string, string[], string][] = [
  ["read", ["f.pcap", "--json", "--hex"], "--hex dumps under each line"],
  ["send", [MAC, "eth0", "--json", "-q"], "give only one of --json, --quiet"],
  ["send", [MAC, "eth0", "--interval", "5"], "--interval paces a series"],
  ["send", [MAC, "eth0", "--rate", "5"], "--rate paces a series"],
  [
    "send",
    ["eth0", "--from-pcap", "f", "--timing", "original", "--rate", "5"],
    "--timing original keeps the recorded gaps: --rate",
  ],
  ["listen", ["eth0", "--json", "--hex"], "--hex dumps under each line"],
  ["listen", ["eth0", "--hex", "-q"], "-q prints none"],
  ["listen", ["eth0", "--hex", "-w", "f"], "-w prints none (add --print)"],
  ["listen", ["eth0", "--hex", "-w", "-"], "-w prints none"],
  ["listen", ["eth0", "-w", "f", "--print", "-q"], "only one of --print"],
  [
    "listen",
    ["eth0", "--time-stamp-precision", "nano"],
    "sets the timestamps of a -w file",
  ],
  ["listen", ["eth0", "--pcapng"], "--pcapng goes with -w FILE"],
  ["listen", ["eth0", "-G", "5"], "-G goes with -w FILE"],
  ["read", ["in.pcap", "-C", "5"], "-C goes with -w FILE"],
  ["read", ["in.pcap", "-w", "x", "-W", "2"], "counts the files of -C or -G"],
  ["read", ["in.pcap", "-w", "x", "-tttt"], "-w writes the frames to a file"],
  ["read", ["in.pcap", "--json", "-tt"], "--json records hold it as RFC 3339"],
];

async function plan(command: string, args: string[]): Promise<unknown> {
  switch (command) {
    case "send":
      return await planSend(args);
    case "listen":
      return planListen(args);
    case "read":
      return planRead(args);
    default:
      return planPing(args);
  }
}

/** What planning `command args` threw, or undefined. */
async function refusal(command: string, args: string[]): Promise<unknown> {
  try {
    await plan(command, args);
  } catch (error) {
    return error;
  }
  return undefined;
}

Deno.test("options that would be ignored together are refused, naming the conflict", async () => {
  for (const [command, args, says] of REFUSED) {
    const error = await refusal(command, args);
    assertTrue(
      error instanceof InputError && error.message.includes(says),
      `${command} ${args.join(" ")}: ${error}`,
    );
  }
});

Deno.test("a refused combination is exit 2 and one error line, before anything opens", async () => {
  const out = await cliWithFiles("listen", "no-such-if", "--hex", "-q");
  assertEquals(out.code, 2);
  assertEquals(out.stdout, "");
  assertEquals(
    out.stderr,
    "error: --hex dumps under each printed line, and -q prints none\n",
  );
  // With --json the one line is JSON.
  const json = await cliWithFiles("listen", "no-such-if", "--json", "--hex");
  assertEquals(json.code, 2);
  assertEquals(JSON.parse(json.stderr), {
    error:
      "--hex dumps under each line; --json records hold the bytes already (payload): give one",
    exit: 2,
  });
});

Deno.test("the combinations that make sense do what README says", async () => {
  // -q --json: no records, the summary as one JSON object.
  const quietJson = planListen(["eth0", "-q", "--json"])!;
  assertEquals([quietJson.lines, quietJson.json], [false, true]);
  // -w FILE --print --hex: a pcap file, and lines with hex dumps.
  const printed = planListen(["eth0", "-w", "f", "--print", "--hex"])!;
  assertEquals([printed.lines, printed.hex, printed.write?.path], [
    true,
    true,
    "f",
  ]);
  // --hex alone: lines with dumps under them.
  assertEquals(planListen(["eth0", "--hex"])!.hex, true);
  assertEquals(planRead(["f", "--hex"])!.hex, true);
  // --time-stamp-precision with -w: the file's precision.
  assertEquals(
    planListen(["eth0", "-w", "-", "--time-stamp-precision", "nano"])!.write,
    { path: "-", precision: "nano", format: "pcap" },
  );
  // A paced series with its count.
  const paced = await planSend([MAC, "eth0", "-c", "1", "--interval", "5"]);
  assertEquals(paced!.schedule, { kind: "interval", ms: 5 });
  // ping -q --json: the summary object only.
  const ping = planPing([MAC, "eth0", "-q", "--json"])!;
  assertEquals([ping.quiet, ping.json], [true, true]);
  assertThrows(() => planRead(["f", "--json", "--hex"]), InputError, "--hex");
});

Deno.test("values are taken exactly as given: a stray space or newline is refused, quoted", async () => {
  const dst = "02:00:00:00:00:0b";
  const frame = `${dst.replaceAll(":", "")}02000000000188b54869`;
  const vectors: [string, string[], string][] = [
    ["send", [`${dst}\n`, "eth0"], `"${dst}\\n"`],
    ["send", [` ${dst}`, "eth0"], `" ${dst}"`],
    ["send", [dst, "eth0", "--src", `${MAC} `], `"${MAC} "`],
    ["send", [dst, "eth0", "--type", "IPv4 "], `"IPv4 "`],
    ["send", [dst, "eth0", "--type", "\t0x88b5"], `"\\t0x88b5"`],
    ["send", [dst, "eth0", "--hex", "4869\n"], `"4869\\n"`],
    ["send", ["eth0", "--frame", ` ${frame}`], `" ${frame}"`],
    ["listen", ["eth0", "--dst", `${dst}\r`], `"${dst}\\r"`],
    ["listen", ["eth0", "--type", "arp\n"], `"arp\\n"`],
    ["read", ["f.pcap", "--src", ` ${MAC}`], `" ${MAC}"`],
    ["ping", [`\n${dst}`, "eth0"], `"\\n${dst}"`],
    ["ping", [dst, "eth0", "--type", "exp1 "], `"exp1 "`],
  ];
  for (const [command, args, quoted] of vectors) {
    const error = await refusal(command, args);
    assertTrue(
      error instanceof InputError && error.message.includes(quoted),
      `${command} ${JSON.stringify(args)}: ${error}`,
    );
  }
  // Whitespace between hex bytes is a separator, as documented.
  const spaced = await planSend([dst, "eth0", "--hex", "48 69"]);
  assertEquals(
    spaced?.source.kind === "build" && spaced.source.payload,
    new Uint8Array([0x48, 0x69]),
  );
});
