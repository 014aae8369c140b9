/**
 * Every options object the library takes refuses an unknown key and a
 * value of the wrong type, with an OptionError naming it: what TypeScript
 * catches, said at run time for JavaScript callers (and Bun and Node).
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { RawSocket } from "../lib/socket.ts";
import { buildFrame, vlanTag } from "../lib/frame.ts";
import { buildFilter, compilePcapFilter } from "../lib/filter.ts";
import { FrameSeries } from "../lib/series.ts";
import { ping } from "../lib/ping.ts";
import { pcapHeader, PcapWriter } from "../lib/pcap.ts";
import { InputError, OptionError } from "../lib/errors.ts";

/** Calls that must fail, each with the option its error must name. */
// deno-lint-ignore no-explicit-any
const untyped = (value: unknown): any => value;
const fakeSocket = untyped({
  interface: { mac: "02:00:00:00:00:01" },
  send() {},
  sendMany: () => 0,
  sendRepeated: () => 0,
  receive: () => Promise.resolve(null),
});

const CASES: [string, () => unknown, string, RegExp][] = [
  [
    "RawSocket.open with { type } (the option is etherType)",
    () => RawSocket.open("lo", untyped({ type: 0x88b5 })),
    "type",
    /unknown option "type"; did you mean "etherType"\? \(it takes etherType, direction, /,
  ],
  [
    "RawSocket.open with promisc: 'yes'",
    () => RawSocket.open("lo", untyped({ promisc: "yes" })),
    "promisc",
    /option "promisc" must be a boolean, not "yes" \(a string\)/,
  ],
  [
    "RawSocket.open with a ring of a wrong field",
    () => RawSocket.open("lo", untyped({ ring: { blocks: 4 } })),
    "blocks",
    /RawSocket.open ring: unknown option "blocks"/,
  ],
  [
    "RawSocket.open with options that are not an object",
    () => RawSocket.open("lo", untyped("eth0")),
    "",
    /options must be an object, not "eth0"/,
  ],
  [
    "buildFrame with ethertype",
    () =>
      buildFrame(
        untyped({
          dst: "ff:ff:ff:ff:ff:ff",
          src: "02:00:00:00:00:01",
          type: 0x88b5,
          ethertype: 1,
        }),
      ),
    "ethertype",
    /buildFrame: unknown option "ethertype"/,
  ],
  [
    "buildFrame with pad: 0",
    () =>
      buildFrame(
        untyped({
          dst: "ff:ff:ff:ff:ff:ff",
          src: "02:00:00:00:00:01",
          type: 0x88b5,
          pad: 0,
        }),
      ),
    "pad",
    /option "pad" must be a boolean, not 0 \(a number\)/,
  ],
  [
    "vlanTag with vid",
    () => vlanTag(untyped({ id: 1, vid: 2 })),
    "vid",
    /vlanTag: unknown option "vid"/,
  ],
  [
    "buildFilter with a MAC as text",
    () => buildFilter(untyped({ src: "02:00:00:00:00:01" })),
    "src",
    /option "src" must be a Uint8Array/,
  ],
  [
    "compilePcapFilter with interface",
    () => compilePcapFilter("arp", untyped({ interface: "eth0" })),
    "interface",
    /compilePcapFilter: unknown option "interface"/,
  ],
  [
    "FrameSeries with a schedule of no kind",
    () => new FrameSeries(fakeSocket, [], untyped({ schedule: { ms: 5 } })),
    "schedule",
    /schedule kind undefined is none of fast, interval, rate, recorded/,
  ],
  [
    "FrameSeries with interval in place of schedule",
    () => new FrameSeries(fakeSocket, [], untyped({ interval: 5 })),
    "interval",
    /FrameSeries: unknown option "interval"/,
  ],
  [
    "FrameSeries with an interval schedule of the wrong field",
    () =>
      new FrameSeries(
        fakeSocket,
        [],
        untyped({ schedule: { kind: "interval", intervalMs: 5 } }),
      ),
    "intervalMs",
    /FrameSeries interval schedule: unknown option "intervalMs"/,
  ],
];

Deno.test("options of the wrong name or type are refused with an OptionError naming them", () => {
  for (const [what, call, option, says] of CASES) {
    let error: unknown;
    try {
      call();
    } catch (caught) {
      error = caught;
    }
    assertTrue(error instanceof OptionError, `${what}: ${error}`);
    assertTrue(error instanceof InputError, `${what}: an InputError too`);
    assertEquals((error as OptionError).option, option, what);
    assertTrue(says.test((error as Error).message), `${what}: ${error}`);
  }
});

Deno.test("asynchronous calls refuse wrong options too: ping, FrameSeries.run", async () => {
  const calls: [string, () => Promise<unknown>, string][] = [
    [
      "ping with interval",
      () =>
        ping(fakeSocket, untyped({ dst: "02:00:00:00:00:02", interval: 5 }))
          .next(),
      "interval",
    ],
    [
      "FrameSeries.run with a timeout",
      () =>
        new FrameSeries(fakeSocket, [new Uint8Array(60)]).run(
          untyped({ timeout: 5 }),
        ),
      "timeout",
    ],
    [
      "FrameSeries.run with a signal that is not one",
      () =>
        new FrameSeries(fakeSocket, [new Uint8Array(60)]).run(
          untyped({ signal: true }),
        ),
      "signal",
    ],
  ];
  for (const [what, call, option] of calls) {
    let error: unknown;
    try {
      await call();
    } catch (caught) {
      error = caught;
    }
    assertTrue(error instanceof OptionError, `${what}: ${error}`);
    assertEquals((error as OptionError).option, option, what);
  }
});

Deno.test("a pcap precision other than micro or nano is refused, not taken for micro", () => {
  for (
    const call of [
      () => pcapHeader(untyped("nanos")),
      () => new PcapWriter(() => {}, untyped("ns")),
    ]
  ) {
    let error: unknown;
    try {
      call();
    } catch (caught) {
      error = caught;
    }
    assertTrue(error instanceof InputError, String(error));
  }
});
