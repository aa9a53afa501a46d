/**
 * CPU seconds by process during a benchmark phase (Linux /proc; elsewhere nothing is reported). On a
 * 2-core machine the adapter, PostgreSQL and Redis share the CPU, so where the time goes says more than
 * the rate alone. PostgreSQL backends that exit are counted through the postmaster's children times.
 */
import fs from 'node:fs';

const TICK = 100; // USER_HZ on Linux

interface ProcTimes {
  comm: string;
  /** Own user + system time, and that of waited-for children, in ticks. */
  own: number;
  children: number;
}

function procTimes(pid: number | string): ProcTimes | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // Fields after the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14).
    return { comm, own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

export interface CpuSnapshot {
  /** Whole machine: busy and idle ticks. */
  busy: number;
  idle: number;
  byComm: Map<string, number>;
  byPid: Map<number, number>;
}

/** A snapshot of CPU ticks: by command name (own + children), and for the given pids (own). */
export function cpuSnapshot(pids: number[] = []): CpuSnapshot | undefined {
  if (!fs.existsSync('/proc/stat')) return undefined;
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (line[3] ?? 0) + (line[4] ?? 0);
  const busy = line.reduce((a, b) => a + b, 0) - idle;
  const byComm = new Map<string, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const t = procTimes(entry);
    if (t) byComm.set(t.comm, (byComm.get(t.comm) ?? 0) + t.own + t.children);
  }
  const byPid = new Map<number, number>();
  for (const pid of pids) {
    const t = procTimes(pid);
    if (t) byPid.set(pid, t.own);
  }
  return { busy, idle, byComm, byPid };
}

/** "cpu: workers 21.3 s, postgres 9.1 s, redis 1.2 s, machine busy 33.0 s of 34.2 s" for the interval. */
export function cpuReport(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined, perUnit?: { count: number; unit: string }): string {
  if (!a || !b) return 'cpu: not measured (no /proc)';
  const comm = (name: string): number => ((b.byComm.get(name) ?? 0) - (a.byComm.get(name) ?? 0)) / TICK;
  let workers = 0;
  for (const [pid, t] of b.byPid) workers += (t - (a.byPid.get(pid) ?? 0)) / TICK;
  const busy = (b.busy - a.busy) / TICK;
  const all = busy + (b.idle - a.idle) / TICK;
  const parts = [`workers ${workers.toFixed(1)} s`, `postgres ${comm('postgres').toFixed(1)} s`, `redis ${comm('redis-server').toFixed(1)} s`];
  let out = `cpu: ${parts.join(', ')}; machine busy ${busy.toFixed(1)} of ${all.toFixed(1)} core-s`;
  if (perUnit && perUnit.count > 0) {
    const ms = (s: number): string => ((s * 1000) / perUnit.count).toFixed(2);
    out += `\ncpu per ${perUnit.unit}: workers ${ms(workers)} ms, postgres ${ms(comm('postgres'))} ms, redis ${ms(comm('redis-server'))} ms`;
  }
  return out;
}
