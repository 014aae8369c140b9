/**
 * What a filter may cost is bounded: an expression longer than 1024
 * characters is refused at once (libpcap's optimizer took 6 GB and more
 * than 30 s for 15,000 terms), the costliest expressions within the bound
 * compile quickly in little memory, and a program longer than the kernel
 * takes is refused naming the kernel's limit.
 */
import { assertEquals, assertThrows, assertTrue } from "./assert.ts";
import { cliWithFiles, run } from "./helpers.ts";
import { compilePcapFilter, MAX_FILTER_LENGTH } from "../lib/filter.ts";
import { planSocket } from "../lib/open_options.ts";
import { InputError } from "../lib/errors.ts";

const HUGE = Array(15_000).fill("tcp").join(" or ");

Deno.test("a 15,000-term --filter is refused at once by read and listen, exit 2, naming the bound", async () => {
  const file = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    for (const args of [["read", file], ["listen", "lo"]]) {
      const started = performance.now();
      const out = await cliWithFiles(...args, "--filter", HUGE);
      const ms = performance.now() - started;
      assertEquals(out.code, 2, out.stderr);
      assertTrue(
        out.stderr.startsWith(
          `error: the filter expression has ${HUGE.length} characters; at most 1024 are compiled`,
        ),
        out.stderr,
      );
      assertTrue(ms < 5000, `${args[0]} took ${ms} ms`);
    }
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("the costliest expressions within 1024 characters compile in well under 2 s and 100 MiB", async () => {
  const costly = [
    "portrange 1-2",
    "portrange 1-2 and not portrange 3-4",
    "(portrange 1-2 or portrange 3-4) and (portrange 5-6 or portrange 7-8)",
    "port 80",
    "ip6 protochain 6",
  ];
  for (const term of costly) {
    let expression = term;
    while (expression.length + term.length + 4 <= MAX_FILTER_LENGTH) {
      expression += ` or ${term}`;
    }
    // A process of its own, to read its peak memory.
    const script = `import { compilePcapFilter } from ${
      JSON.stringify(new URL("../lib/filter.ts", import.meta.url).href)
    }; const t = performance.now(); compilePcapFilter(${
      JSON.stringify(expression)
    }); console.log(performance.now() - t);`;
    const out = await run("/usr/bin/time", [
      "-f",
      "%M",
      Deno.execPath(),
      "eval",
      script,
    ]);
    assertEquals(out.code, 0, out.stderr);
    const ms = Number(out.stdout.trim());
    const peakKiB = Number(out.stderr.trim().split("\n").at(-1));
    assertTrue(ms < 2000, `${term}: ${ms} ms`);
    assertTrue(peakKiB < 100 * 1024, `${term}: ${peakKiB} KiB`);
  }
  assertThrows(
    () => compilePcapFilter("tcp ".repeat(300)),
    InputError,
    "at most 1024",
  );
});

Deno.test("a socket filter longer than the kernel takes is refused, naming BPF_MAXINSNS", () => {
  const long = Array(4097).fill({ code: 6, jt: 0, jf: 0, k: 0 });
  assertThrows(
    () => planSocket("eth0", { filter: long }),
    InputError,
    "the kernel takes at most 4096 in a socket filter (BPF_MAXINSNS)",
  );
});
