/**
 * The check the live tests share: `read --json` of a capture they made,
 * compared with tshark field by field and, where tcpdump can read files
 * (not in a user namespace), with tcpdump line by line.
 *
 * @module
 */
import { deepEqual, equal } from "node:assert/strict";
import { cliWithFiles, inUserNamespace, jsonLines } from "./helpers.ts";
import { compareWithTshark } from "./tshark_layers.ts";
import { tcpdumpLines, words } from "./tcpdump_lines.ts";

/** `read --json`'s records of `file` and their lines, checked against both. */
export async function decodedAsOthers(
  file: string,
  minFields = 60,
  // deno-lint-ignore no-explicit-any
): Promise<{ records: any[]; lines: string[] }> {
  const records = jsonLines(
    (await cliWithFiles("read", "--json", file)).stdout,
  );
  const agreement = await compareWithTshark(file, records.map((r) => r.layers));
  deepEqual(agreement.mismatches, []);
  equal(agreement.fields > minFields, true, `${agreement.fields} fields`);
  const lines = records.map((r) => r.info as string);
  if (!inUserNamespace) {
    deepEqual(lines.map(words), (await tcpdumpLines(file)).map(words));
  }
  return { records, lines };
}
