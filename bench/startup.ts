/**
 * Start-up cost of the command line, whole processes, alternating runs:
 * an empty `deno run` script; the least any Deno raw-socket tool pays
 * (dlopen libc, open and close one AF_PACKET socket: the kernel's
 * packet_release() waits for an RCU grace period on close); `rawframe
 * --version`; and a one-frame `rawframe send`. Medians, and ratios to the
 * empty script.
 *
 * Run inside the benchmark's namespace (bench/run.ts calls it), or alone:
 * `deno run --allow-all bench/startup.ts <iface> [rounds]` in a namespace.
 *
 * @module
 */

const CLI = new URL("../cli.ts", import.meta.url).pathname;
const DENO = Deno.execPath();

/** One process's wall time in milliseconds. */
async function timed(args: string[]): Promise<number> {
  const started = performance.now();
  const out = await new Deno.Command(DENO, {
    args,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  if (!out.success) {
    throw new Error(
      `deno ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median milliseconds of each command, by name. */
export async function measureStartup(
  iface: string,
  rounds: number,
): Promise<Record<string, number>> {
  const dir = await Deno.makeTempDir();
  const empty = `${dir}/empty.ts`;
  const floor = `${dir}/floor.ts`;
  await Deno.writeTextFile(empty, "\n");
  await Deno.writeTextFile(
    floor,
    `const { symbols } = Deno.dlopen("libc.so.6", {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
});
symbols.close(symbols.socket(17, 3, 0));
`,
  );
  const commands: Record<string, string[]> = {
    "empty script": ["run", empty],
    "packet socket open+close": ["run", "--allow-ffi", floor],
    "rawframe --version": ["run", "--allow-ffi", CLI, "--version"],
    "rawframe send (one frame)": [
      ...["run", "--allow-ffi", CLI, "send", "ff:ff:ff:ff:ff:ff", iface],
    ],
  };
  const times: Record<string, number[]> = {};
  for (const name of Object.keys(commands)) {
    times[name] = [];
    await timed(commands[name]); // warm the module cache
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, args] of Object.entries(commands)) {
      times[name].push(await timed(args));
    }
  }
  await Deno.remove(dir, { recursive: true });
  return Object.fromEntries(
    Object.entries(times).map(([name, ms]) => [name, median(ms)]),
  );
}

/** Prints the start-up table: median ms and ratio to the empty script. */
export function printStartup(medians: Record<string, number>): void {
  const base = medians["empty script"];
  console.log("| start-up (whole process) | median | vs empty script |");
  console.log("| --- | ---: | ---: |");
  for (const [name, ms] of Object.entries(medians)) {
    console.log(
      `| ${name} | ${ms.toFixed(1)} ms | ${(ms / base).toFixed(2)} |`,
    );
  }
}

if (import.meta.main) {
  const [iface, rounds = "21"] = Deno.args;
  if (iface === undefined) {
    console.error("usage: bench/startup.ts <iface> [rounds]");
    Deno.exit(2);
  }
  printStartup(await measureStartup(iface, Number(rounds)));
}
