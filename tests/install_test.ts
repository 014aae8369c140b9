/**
 * README's ways to get a `rawframe` command work as written: the
 * `deno install` line it shows makes a command that reads a capture (read
 * permission included), and `deno task rawframe` runs with the same flags.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { run } from "./helpers.ts";
import { pcapHeader, pcapRecord } from "../lib/pcap.ts";
import { buildFrame } from "../lib/frame.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** The shell block of README that follows `after`, lines joined. */
function readmeCommand(after: string): string {
  const readme = Deno.readTextFileSync(`${ROOT}README.md`);
  const from = readme.indexOf(after);
  assertTrue(from >= 0, `README has no "${after}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(from))![1];
  return block.replace(/\\\n\s*/g, "").trim();
}

Deno.test("README's deno install line makes a rawframe command that reads a capture", async () => {
  const command = readmeCommand(
    "`rawframe` is the command `deno install` makes",
  );
  const args = command.split(/\s+/);
  assertEquals(args.slice(0, 2), ["deno", "install"]);
  const root = await Deno.makeTempDir();
  const capture = `${root}/one.pcap`;
  await Deno.writeFile(
    capture,
    new Uint8Array([
      ...pcapHeader(),
      ...pcapRecord(
        buildFrame({
          dst: "ff:ff:ff:ff:ff:ff",
          src: "02:00:00:00:00:01",
          type: 0x88b5,
          payload: "Hi",
        }),
        { seconds: 1, nanoseconds: 0 },
      ),
    ]),
  );
  try {
    const install = await run(
      Deno.execPath(),
      [...args.slice(1, -1), "--root", root, `${ROOT}cli.ts`],
      { timeoutMs: 60_000 },
    );
    assertEquals(install.code, 0, install.stderr);
    const read = await run(`${root}/bin/rawframe`, ["read", capture], {
      env: { PATH: `${Deno.execPath().replace(/\/[^/]+$/, "")}:/usr/bin:/bin` },
    });
    assertEquals(read.code, 0, read.stderr);
    assertTrue(
      read.stdout.endsWith(
        ' 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, 0x88b5 (exp1), length 60: "Hi"\n',
      ),
      read.stdout,
    );
    // deno task rawframe: the same flags, from deno.json.
    const task = await run(Deno.execPath(), [
      "task",
      "-q",
      "--cwd",
      ROOT,
      "rawframe",
      "read",
      capture,
    ]);
    assertEquals(task.code, 0, task.stderr);
    assertEquals(task.stdout, read.stdout);
    const script = await Deno.readTextFile(`${root}/bin/rawframe`);
    const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
    for (
      const flag of config.tasks.rawframe.split(" ").filter((w: string) =>
        w.startsWith("--")
      )
    ) {
      assertTrue(
        script.includes(flag),
        `${flag} in the installed command: ${script}`,
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
