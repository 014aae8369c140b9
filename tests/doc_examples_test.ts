/**
 * Every TypeScript example type-checks: each ```ts block of every doc
 * comment (those marked `ignore` too, which need a network or privilege
 * to run) and each one in README, checked by `deno check` as the file a
 * user would paste it into. Imports of `@rawframe/rawframe...` resolve
 * through deno.json's exports, relative ones from the example's file.
 */
import { assertEquals, assertTrue } from "./assert.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const config = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));

/** Source files whose doc comments hold examples. */
function sources(dir: string): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync(`${ROOT}${dir}`)) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory) found.push(...sources(`${path}/`));
    else if (path.endsWith(".ts")) found.push(path);
  }
  return found;
}

/** The ```ts blocks of `text` (doc comment stars removed). */
function blocks(text: string, fromComments: boolean): string[] {
  const lines = fromComments
    ? text.split("\n").map((l) => l.replace(/^\s*\* ?/, ""))
    : text.split("\n");
  const found: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (current === undefined && /^```ts\b/.test(line.trim())) current = [];
    else if (current !== undefined && line.trim() === "```") {
      found.push(current.join("\n"));
      current = undefined;
    } else current?.push(line);
  }
  return found;
}

/** `code` with its imports made absolute, for a file elsewhere. */
function resolved(code: string, from: string): string {
  return code.replace(/from "([^"]+)"/g, (_, specifier: string) => {
    if (specifier.startsWith("@rawframe/rawframe")) {
      const sub = `.${specifier.slice("@rawframe/rawframe".length)}`;
      const target = config.exports[sub === "." ? "." : sub];
      return `from "${new URL(target, `file://${ROOT}`).href}"`;
    }
    if (specifier.startsWith(".")) {
      return `from "${new URL(specifier, `file://${ROOT}${from}`).href}"`;
    }
    return `from "${specifier}"`;
  });
}

Deno.test("every TypeScript example in the docs and README type-checks", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = ["mod.ts", "cli.ts", ...sources("lib/"), ...sources("cli/")];
    const examples: [string, string][] = [
      ...files.flatMap((file) =>
        blocks(Deno.readTextFileSync(`${ROOT}${file}`), true).map(
          (code) => [file, code] as [string, string],
        )
      ),
      ...blocks(Deno.readTextFileSync(`${ROOT}README.md`), false).map(
        (code) => ["README.md", code] as [string, string],
      ),
    ];
    const paths = await Promise.all(examples.map(async ([from, code], i) => {
      const path = `${dir}/example_${i}.ts`;
      // A module of its own: top-level await and no globals shared.
      await Deno.writeTextFile(path, `${resolved(code, from)}\nexport {};\n`);
      return path;
    }));
    const readme = examples.filter(([from]) => from === "README.md").length;
    assertTrue(
      examples.length >= 40 && readme >= 1,
      `${examples.length} examples`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--config", `${ROOT}deno.json`, ...paths],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const errors = new TextDecoder().decode(out.stderr).replace(
      /example_(\d+)\.ts/g,
      (_, i) => `${examples[Number(i)][0]} (example ${i})`,
    );
    assertEquals(out.code, 0, errors);
    console.log(
      `    ${examples.length} examples checked (${readme} in README)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
