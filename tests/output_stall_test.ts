/**
 * `listen -w` never waits on its file: a reader that stops for most of a
 * second (a FIFO into a stopped process; a disk that stalls looks the
 * same to a writer) costs no frame, though the ring holds far less than
 * arrives meanwhile. Frames wait in memory for the file, up to 64 MiB,
 * and the file gets every one of them. And a small ring (-B) is drained
 * often enough to hold a steady series.
 */
import { assertEquals, assertTrue } from "./assert.ts";
import { cli, integration, sleep, spawnCli, vethPair } from "./helpers.ts";
import { readPcap } from "../lib/pcap.ts";

Deno.test({
  name:
    "a FIFO whose reader stops for 700 ms loses no frame of a 50,000 frames/s series",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const dir = await Deno.makeTempDir();
    const fifo = `${dir}/capture.fifo`;
    try {
      await new Deno.Command("mkfifo", { args: [fifo] }).output();
      const reader = new Deno.Command("sh", {
        args: ["-c", `exec cat "${fifo}" > "${dir}/capture.pcap"`],
      }).spawn();
      const listen = spawnCli(
        "listen",
        pair.b,
        ...["--type", "exp2", "-w", fifo],
      );
      await listen.waitFor(/listening on/);
      // At 50,000 frames/s each of the ring's 128 blocks is handed over
      // after 2 ms with 100 frames in it: the ring holds about 256 ms. A
      // capture that waited on the stopped reader would lose what comes
      // in the rest of those 700 ms.
      Deno.kill(reader.pid, "SIGSTOP");
      const sending = cli(
        "send",
        pair.macB,
        pair.a,
        ...["--type", "exp2", "-c", "50000", "--rate", "50000", "-q"],
      );
      await sleep(700);
      Deno.kill(reader.pid, "SIGCONT");
      assertEquals((await sending).code, 0);
      await sleep(300);
      listen.process.kill("SIGINT");
      const out = await listen.done();
      await reader.status;
      assertEquals(out.code, 0, out.stderr);
      const summary = out.stderr.match(/(\d+) frames received, (\d+) dropped/);
      assertTrue(summary !== null, out.stderr);
      const [received, dropped] = [Number(summary![1]), Number(summary![2])];
      assertEquals(dropped, 0, out.stderr);
      const frames = readPcap(await Deno.readFile(`${dir}/capture.pcap`));
      assertEquals(frames.length, received);
      // The flood's own frames all arrived (a loaded machine may lose one
      // before the socket, not after it).
      assertTrue(received >= 49_900, `${received} frames received`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "-B 1024 (a ring of four blocks) keeps a 50,000 frames/s series",
  ...integration,
  async fn() {
    await using pair = await vethPair();
    const dir = await Deno.makeTempDir();
    try {
      const listen = spawnCli(
        "listen",
        pair.b,
        ...["--type", "exp2", "-B", "1024", "-w", `${dir}/c.pcap`],
      );
      await listen.waitFor(/listening on/);
      const sent = await cli(
        "send",
        pair.macB,
        pair.a,
        ...["--type", "exp2", "-c", "50000", "--rate", "50000", "-q"],
      );
      assertEquals(sent.code, 0);
      await sleep(300);
      listen.process.kill("SIGINT");
      const out = await listen.done();
      const dropped = Number(out.stderr.match(/(\d+) dropped/)?.[1]);
      // Four blocks handed over every 2 ms hold 8 ms: batches of 25 ms
      // lost two thirds of the series. A loaded machine may still miss a
      // batch's moment now and then.
      assertTrue(dropped < 1000, out.stderr);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
