import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { readListenerTls, type ListenerTls } from '../config/tls';
import { makeLogger } from '../log/logger';
import { applyScenario, DEFAULT_SCENARIO, parseScenario, type Scenario } from '../sim/scenario';
import { makeXRoadSim } from '../sim/server';
import type { CliContext } from './context';

/**
 * `dhx sim`: the X-Road simulator standalone (src/sim/), playing our security server for a local
 * adapter: `GET /verificationconf` and `POST /cgi-bin/consumer_proxy` with fake KOVs behind it, and the fake
 * ADIT (GOV/70006317/adit) unless the scenario says `"adit": false`.
 * Point the adapter at it with XROAD_SECURITY_SERVER=http://127.0.0.1:PORT.
 */

const whole = (name: string) => (v: string): number => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be a whole number`);
  return Number(v);
};

interface SimCliOptions {
  port: number;
  host: string;
  instance: string;
  adapter?: string;
  scenario?: string;
  for?: number;
  json?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
}

/** --tls-cert and --tls-key together, or neither; --tls-client-ca only with them (the checks of TLS_CERT & co.). */
function listenerTlsOf(o: SimCliOptions): ListenerTls | undefined {
  const problems: string[] = [];
  const listener = readListenerTls({ cert: '--tls-cert', key: '--tls-key', clientCa: '--tls-client-ca' }, { cert: o.tlsCert, key: o.tlsKey, clientCa: o.tlsClientCa }, problems);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return listener;
}

export function makeSimCommand(ctx: CliContext): Command {
  return new Command('sim')
    .description(
      'Run the X-Road simulator: global configuration (GET /verificationconf) and a consumer proxy\n' +
        '(POST /cgi-bin/consumer_proxy) routing to fake KOV document systems, fake intermediaries,\n' +
        'the fake ADIT (GOV/70006317/adit) and the adapter, with fault injection. Stops on SIGINT/SIGTERM (or after --for seconds).',
    )
    .configureOutput({ writeOut: (s) => ctx.stdout(s.replace(/\n$/, '')), writeErr: (s) => ctx.stderr(s.replace(/\n$/, '')) })
    .option('--port <port>', 'port to listen on (0: a free one)', whole('--port'), 8081)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--instance <instance>', 'X-Road instance', 'ee-dev')
    .option('--adapter <url>', "the adapter's POST /dhx URL, registered as GOV/70001975/DHX (SKA)")
    .option('--scenario <file>', 'JSON file with kovs, intermediaries, adapter and faults (default: four KOVs, one intermediary)')
    .option('--for <seconds>', 'stop after this many seconds', whole('--for'))
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS, as a security server does towards its information systems (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--tls-client-ca <file>', "PEM CA: require a client certificate signed by it (the adapter's XROAD_TLS_CERT)")
    .option('--json', 'print the address and the scenario as JSON')
    .action(async (o: SimCliOptions) => {
      let scenario: Scenario;
      try {
        scenario = o.scenario ? parseScenario(JSON.parse(fs.readFileSync(o.scenario, 'utf8'))) : DEFAULT_SCENARIO;
      } catch (err) {
        ctx.stderr(`dhx sim: ${o.scenario}: ${(err as Error).message}`);
        ctx.setExitCode(2);
        return;
      }
      let tls: ListenerTls | undefined;
      try {
        tls = listenerTlsOf(o);
      } catch (err) {
        ctx.stderr(`dhx sim: ${(err as Error).message}`);
        ctx.setExitCode(2);
        return;
      }
      if (o.adapter) scenario = { ...scenario, adapter: { memberCode: '70001975', name: 'Sotsiaalkindlustusamet', url: o.adapter } };
      const log = makeLogger({ level: 'info', destination: { write: (line: string) => void ctx.stderr(line.replace(/\n$/, '')) } });
      const sim = makeXRoadSim({ instance: scenario.instance ?? o.instance, log, ...(tls ? { tls } : {}) });
      applyScenario(sim, scenario);
      let url: string;
      try {
        if (scenario.adit) await sim.addAdit();
        url = await sim.start(o.port, o.host);
      } catch (err) {
        await sim.stop();
        ctx.stderr(`dhx sim: cannot listen on ${o.host}:${o.port}: ${(err as Error).message}`);
        ctx.setExitCode(1);
        return;
      }
      if (o.json) {
        ctx.stdout(
          JSON.stringify({
            url,
            instance: sim.instance,
            members: sim.globalConf().members,
            groups: sim.globalConf().groups,
            ...(sim.adit() ? { aditService: `${sim.instance}/GOV/70006317/adit` } : {}),
          }),
        );
      } else {
        ctx.stdout(`X-Road simulator on ${url} (instance ${sim.instance})`);
        ctx.stdout(`  global configuration: ${url}/verificationconf`);
        ctx.stdout(`  consumer proxy:       ${url}/cgi-bin/consumer_proxy`);
        for (const m of sim.globalConf().members) ctx.stdout(`  ${m.memberClass}/${m.memberCode} ${m.name} [${m.subsystems.join(', ')}]`);
        ctx.stdout(`  adapter: XROAD_SECURITY_SERVER=${url}`);
        if (sim.adit()) ctx.stdout(`  fake ADIT behind it: ADIT_SERVICE=${sim.instance}/GOV/70006317/adit`);
      }
      await new Promise<void>((resolve) => {
        const finish = (): void => {
          if (timer) clearTimeout(timer);
          process.off('SIGTERM', finish);
          process.off('SIGINT', finish);
          resolve();
        };
        const timer = o.for !== undefined ? setTimeout(finish, o.for * 1000) : undefined;
        process.once('SIGTERM', finish);
        process.once('SIGINT', finish);
      });
      await sim.stop();
      ctx.setExitCode(0);
    });
}
