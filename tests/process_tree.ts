/**
 * A child process and everything it started, found in /proc: what a test
 * kills when a pipeline under it is stuck.
 *
 * @module
 */

/** `pid` and its descendants, children first (from /proc). */
export function treeOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry.name)]);
    } catch {
      // gone meanwhile
    }
  }
  const below = (p: number): number[] =>
    (children.get(p) ?? []).flatMap((c) => [...below(c), c]);
  return [...below(pid), pid];
}

/** Sends `sig` to each of `pids` that still exists. */
export function signal(pids: number[], sig: Deno.Signal): void {
  for (const pid of pids) {
    try {
      Deno.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}
