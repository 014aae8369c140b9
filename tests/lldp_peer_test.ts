/**
 * LLDP against lldpd, the daemon switches and servers run: lldpd in a
 * peer namespace takes rawframe's crafted LLDPDU as a neighbour (chassis,
 * port, name, description and TTL as sent), and rawframe decodes lldpd's
 * own announcement as lldpcli describes its own chassis.
 */

import { equal } from "node:assert/strict";
import {
  cli,
  integration,
  inUserNamespace,
  jsonLines,
  sleep,
  startListen,
  vethPair,
} from "./helpers.ts";
import { type PeerNamespace, peerNamespace } from "./peer_netns.ts";

/** lldpcli's JSON (`-f json`), asked of the lldpd listening on `socket`. */
async function lldpcli(
  peer: PeerNamespace,
  socket: string,
  ...what: string[]
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  return JSON.parse(
    await peer.sh("lldpcli", "-u", socket, "-f", "json", ...what),
  );
}

/** The one value of an object keyed by a name lldpd chose (`{ name: {...} }`). */
// deno-lint-ignore no-explicit-any
function only(keyed: Record<string, any>): [string, any] {
  const entries = Object.entries(keyed);
  equal(entries.length, 1, JSON.stringify(keyed));
  return entries[0];
}

Deno.test({
  name:
    "lldpd takes a crafted LLDPDU as its neighbour; rawframe decodes lldpd's own",
  ...integration,
  // lldpd drops to its own user, which a user namespace does not map.
  ignore: integration.ignore || inUserNamespace,
  async fn() {
    await using pair = await vethPair();
    await using peer = await peerNamespace(pair.b);
    const dir = await Deno.makeTempDir();
    await Deno.chmod(dir, 0o755); // lldpd's own lldpcli runs as _lldpd
    const socket = `${dir}/lldpd.socket`;
    // lldpd announces itself as it starts: listen first.
    const listen = await startListen(
      pair.a,
      ...["--type", "lldp", "-c", "1", "--json", "--timeout", "30"],
    );
    const daemon = peer.spawn("lldpd", "-d", "-u", socket, "-I", pair.b);
    try {
      const heard = await listen.done(35_000);
      const [record] = jsonLines(heard.stdout);
      equal(record?.layers?.length, 1, `${heard.stderr}${daemon.both}`);
      const [lldp] = record.layers;
      const [name, chassis] = only(
        (await lldpcli(peer, socket, "show", "chassis"))["local-chassis"]
          .chassis,
      );
      equal(lldp.layer, "lldp");
      equal(lldp.chassis, chassis.id.value);
      equal(lldp.name, name);
      equal(record.src, pair.macB);

      const layers =
        `lldp chassis=02:00:00:00:00:01 port="ge-0/0/1" name="core switch" descr=uplink ttl=90`;
      let neighbour;
      for (let tries = 0; neighbour === undefined && tries < 40; tries++) {
        const sent = await cli(
          "send",
          "01:80:c2:00:00:0e",
          pair.a,
          "--layers",
          layers,
        );
        equal(sent.code, 0, sent.stderr);
        await sleep(250);
        neighbour = (await lldpcli(peer, socket, "show", "neighbors"))
          .lldp.interface?.[pair.b];
      }
      const [neighbourName, neighbourChassis] = only(neighbour.chassis);
      equal(neighbour.via, "LLDP");
      equal(neighbourName, "core switch");
      equal(neighbourChassis.id.type, "mac");
      equal(neighbourChassis.id.value, "02:00:00:00:00:01");
      equal(neighbour.port.id.type, "ifname");
      equal(neighbour.port.id.value, "ge-0/0/1");
      equal(neighbour.port.descr, "uplink");
      equal(neighbour.port.ttl, "90");
    } finally {
      daemon.process.kill("SIGTERM");
      await daemon.done();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
