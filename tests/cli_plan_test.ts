/**
 * Each command's plan, made from its arguments without a network: what a
 * command line means, as a plain value.
 */
import { nearest } from "../lib/suggest.ts";
import { assertEquals, assertThrows } from "./assert.ts";
import { planSend } from "../cli/send.ts";
import { planListen } from "../cli/listen.ts";
import { planPing } from "../cli/ping.ts";
import { parseArgs } from "../cli/args.ts";
import { pcapHeader, pcapRecord } from "../lib/pcap.ts";
import { InputError } from "../lib/errors.ts";

Deno.test("send: pyng's defaults, as a plan", async () => {
  assertEquals(await planSend(["08-00-27-DD-D7-43", "eth0"]), {
    iface: "eth0",
    source: {
      kind: "build",
      dst: "08:00:27:dd:d7:43",
      type: 0x88b5,
      vlans: [],
      payload: "Hi",
      pad: true,
    },
    count: 1,
    schedule: { kind: "fast" },
    output: "text",
  });
});

Deno.test("send: tags, source, hex payload, a paced endless series, JSON", async () => {
  const plan = await planSend([
    ...["02:00:00:00:00:02", "eth0", "--vlan", "100", "--vlan", "42:3"],
    ...["--src", "0200.0000.0001", "--hex", "48:69", "--type", "lldp"],
    ...["-c", "0", "--rate", "2.5", "--json", "--no-pad"],
  ]);
  assertEquals(plan, {
    iface: "eth0",
    source: {
      kind: "build",
      dst: "02:00:00:00:00:02",
      src: "02:00:00:00:00:01",
      type: 0x88cc,
      vlans: [{ id: 100, pcp: 0 }, { id: 42, pcp: 3 }],
      payload: new Uint8Array([0x48, 0x69]),
      pad: false,
    },
    count: Infinity,
    schedule: { kind: "rate", pps: 2.5 },
    output: "json",
  });
});

Deno.test("send: --from-pcap plans every record, with the recorded gaps for --timing original", async () => {
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  const frame = new Uint8Array(60).fill(7);
  await Deno.writeFile(
    file,
    new Uint8Array([
      ...pcapHeader(),
      ...pcapRecord(frame, { seconds: 10, nanoseconds: 0 }),
      ...pcapRecord(frame, { seconds: 10, nanoseconds: 250_000_000 }),
    ]),
  );
  try {
    const plan = await planSend([
      "eth0",
      "--from-pcap",
      file,
      "--timing",
      "original",
      "-q",
    ]);
    assertEquals(plan?.source, { kind: "file", file, frames: [frame, frame] });
    assertEquals(plan?.count, 2);
    assertEquals(plan?.schedule, { kind: "recorded", offsetsMs: [0, 250] });
    assertEquals(plan?.output, "quiet");
    const fast = await planSend(["eth0", "--from-pcap", file]);
    assertEquals(fast?.schedule, { kind: "fast" });
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("send: a whole frame; help is no plan", async () => {
  const plan = await planSend([
    "eth0",
    "--frame",
    "ffffffffffff020000000001 88b5 4869",
  ]);
  assertEquals(plan?.source.kind, "frame");
  assertEquals(plan?.count, 1);
  assertEquals(await planSend(["--help"]), undefined);
});

Deno.test("listen: -i names the interface as tcpdump's does; repeated, several; words after are the filter", () => {
  assertEquals(planListen(["-i", "eth0"]), planListen(["eth0"]));
  assertEquals(planListen(["-c", "3", "-i", "any"])?.ifaces, ["any"]);
  assertEquals(planListen(["-i", "lo", "-i", "eth0"])?.ifaces, ["lo", "eth0"]);
  // Several interfaces write pcapng: only it says which interface a frame is from.
  assertEquals(
    planListen(["-i", "lo", "-i", "eth0", "-w", "x.pcap"])?.write?.format,
    "pcapng",
  );
  assertEquals(planListen(["lo", "udp", "port", "53"])?.filter, "udp port 53");
  assertEquals(planListen(["-i", "lo", "not", "arp"])?.filter, "not arp");
  assertThrows(
    () => planListen(["-i", "lo", "-i", "lo"]),
    InputError,
    `-i "lo" is given twice`,
  );
  assertThrows(
    () => planListen(["-i", "any", "-i", "lo"]),
    InputError,
    `"any" is every interface already`,
  );
  assertThrows(
    () => planListen(["lo", "udp", "--filter", "arp"]),
    InputError,
    "give the filter once",
  );
  assertThrows(
    () => planListen(["lo", "frobnicate"]),
    InputError,
    "frobnicate",
  );
  assertThrows(() => planListen(["-i"]), InputError, `needs a value`);
  assertThrows(
    () => planListen(["-i", "a", "-i", "b", "--echo"]),
    InputError,
    "--echo needs one interface, not 2",
  );
});

Deno.test("listen: tcpdump's flags: -n/-nn/-e accepted, -x/-X/-XX a hex dump, -t counted, typed together", () => {
  const plain = planListen(["eth0"]);
  assertEquals(planListen(["eth0", "-nn", "-e"]), plain);
  assertEquals(planListen(["-nne", "eth0"]), plain);
  for (const flag of ["-x", "-X", "-XX", "-xx"]) {
    assertEquals(planListen(["eth0", flag])?.hex, true);
  }
  const styles = ["-t", "-tt", "-ttt", "-tttt", "-ttttt"].map((t) =>
    planListen(["eth0", t])?.time
  );
  assertEquals(styles, ["none", "epoch", "delta", "date", "since-first"]);
  assertEquals(planListen(["-nvc5", "eth0"])?.count, 5);
  assertThrows(
    () => planListen(["eth0", "-tttttt"]),
    InputError,
    "goes up to -ttttt",
  );
  assertThrows(
    () => planListen(["eth0", "-tttt", "--json"]),
    InputError,
    "-t changes how lines show the time",
  );
  assertThrows(
    () => planListen(["eth0", "-nz"]),
    InputError,
    `unknown option "-z"`,
  );
});

Deno.test("listen: -w's format, precision and rotation, as tcpdump's -C/-G/-W", () => {
  assertEquals(planListen(["eth0", "-w", "x.pcapng"])?.write, {
    path: "x.pcapng",
    precision: "micro",
    format: "pcapng",
  });
  assertEquals(
    planListen(["eth0", "-w", "x", "--pcapng", "-C", "0.5", "-W", "4"])?.write,
    {
      path: "x",
      precision: "micro",
      format: "pcapng",
      rotation: { bytes: 500_000, files: 4 },
    },
  );
  assertEquals(
    planListen(["eth0", "-w", "c-%H%M.pcap", "-G", "60"])?.write?.rotation,
    { seconds: 60 },
  );
  assertThrows(
    () => planListen(["eth0", "-C", "1"]),
    InputError,
    "-C goes with -w FILE",
  );
  assertThrows(
    () => planListen(["eth0", "-w", "x", "-W", "3"]),
    InputError,
    '-W "3" counts the files of -C or -G',
  );
  assertThrows(
    () => planListen(["eth0", "-w", "-", "-C", "1"]),
    InputError,
    "-w needs a file name, not -",
  );
  assertThrows(
    () => planListen(["eth0", "-w", "c-%Q", "-G", "1"]),
    InputError,
    `unknown time conversion "%Q"`,
  );
  assertThrows(
    () => planListen(["eth0", "-w", "x", "-G", "0.5"]),
    InputError,
    "invalid -G",
  );
});

Deno.test("listen: filters, stops and outputs, as a plan", () => {
  assertEquals(planListen(["eth0"]), {
    ifaces: ["eth0"],
    direction: "both",
    promisc: false,
    lines: true,
    json: false,
    hex: false,
    verbose: false,
    time: "local",
    echo: false,
    bufferKiB: 32768,
  });
  assertEquals(
    planListen([
      ...["any", "--type", "exp2", "--src", "02:00:00:00:00:01"],
      ...["--direction", "in", "-c", "5", "--timeout", "1.5"],
      ...["-w", "x.pcap", "--print", "--time-stamp-precision", "nano", "--hex"],
      ...["-B", "2048"],
    ]),
    {
      ifaces: ["any"],
      etherType: 0x88b6,
      src: "02:00:00:00:00:01",
      direction: "in",
      promisc: false,
      count: 5,
      timeoutMs: 1500,
      write: { path: "x.pcap", precision: "nano", format: "pcap" },
      lines: true,
      json: false,
      hex: true,
      verbose: false,
      time: "local",
      echo: false,
      bufferKiB: 2048,
    },
  );
  assertEquals(planListen(["eth0", "-w", "-", "--json"])?.lines, false);
  assertEquals(planListen(["eth0", "-q"])?.lines, false);
});

Deno.test("ping: defaults and options, as a plan", () => {
  assertEquals(planPing(["080027ddd743", "eth0"]), {
    dst: "08:00:27:dd:d7:43",
    iface: "eth0",
    etherType: 0x88b5,
    count: Infinity,
    intervalMs: 1000,
    timeoutMs: 1000,
    json: false,
    quiet: false,
    size: 46,
  });
  assertEquals(
    planPing([
      "080027ddd743",
      "eth0",
      "-c",
      "3",
      "--interval",
      "0.5",
      "--timeout",
      "2",
      "--json",
      "-q",
    ]),
    {
      dst: "08:00:27:dd:d7:43",
      iface: "eth0",
      etherType: 0x88b5,
      count: 3,
      intervalMs: 0.5,
      timeoutMs: 2000,
      json: true,
      quiet: true,
      size: 46,
    },
  );
});

Deno.test("arguments: long and short forms, = values, repeats, -- and errors that name the option", () => {
  const { values, positionals } = parseArgs("send", [
    ...[
      "a",
      "--count=3",
      "-c",
      "4",
      "--vlan",
      "1",
      "--vlan=2",
      "-q",
      "--",
      "--not-an-option",
    ],
  ], {
    count: { type: "string", short: "c" },
    vlan: { type: "string", multiple: true },
    quiet: { type: "boolean", short: "q" },
  });
  assertEquals(positionals, ["a", "--not-an-option"]);
  assertEquals(values.string("count"), "4");
  assertEquals(values.strings("vlan"), ["1", "2"]);
  assertEquals(values.flag("quiet"), true);
  assertThrows(
    () => parseArgs("send", ["--quiet=yes"], { quiet: { type: "boolean" } }),
    InputError,
    `option "--quiet" takes no value`,
  );
  assertThrows(
    () => parseArgs("send", ["--count"], { count: { type: "string" } }),
    InputError,
    `option "--count" needs a value for send`,
  );
  assertThrows(
    () => parseArgs("send", ["--constructor"], {}),
    InputError,
    `unknown option "--constructor"`,
  );
  assertThrows(
    () => parseArgs("listen", ["-x"], {}),
    InputError,
    `unknown option "-x" for listen`,
  );
  // A mistyped long option gets the near one; a far one or a letter, none.
  const specs = {
    filter: { type: "string" },
    count: { type: "string" },
  } as const;
  assertThrows(
    () => parseArgs("listen", ["--filtr", "udp"], specs),
    InputError,
    `unknown option "--filtr" for listen (did you mean "--filter"?); see:`,
  );
  assertThrows(
    () => parseArgs("send", ["--coutn=3"], specs),
    InputError,
    `(did you mean "--count"?)`,
  );
  assertThrows(
    () => parseArgs("send", ["--bogus"], specs),
    InputError,
    `unknown option "--bogus" for send; see:`,
  );
});

Deno.test("nearest: the known word a mistyped one meant, or none", () => {
  const commands = ["send", "listen", "ping", "interfaces", "read"];
  assertEquals(nearest("sned", commands), "send");
  assertEquals(nearest("lisen", commands), "listen");
  assertEquals(nearest("interface", commands), "interfaces");
  assertEquals(nearest("pnig", commands), "ping");
  assertEquals(nearest("frobnicate", commands), undefined);
  assertEquals(nearest("x", commands), undefined);
  assertEquals(nearest("type", ["etherType", "direction"]), "etherType");
});
