import { z } from 'zod';
import { DhxFaultCode } from '../xroad/dhx-soap';
import type { SimFault, XRoadSim } from './server';

/**
 * What `dhx sim` (and the demo) put behind the simulated X-Road: fake KOVs, intermediaries with their
 * representees, our adapter, the fake ADIT (GOV/70006317/adit; `"adit": false` leaves it out), and faults. A JSON file of this shape may replace the default. Every
 * organisation here is fictional.
 */

const member = z.object({
  memberCode: z.string().min(1),
  name: z.string().min(1),
  memberClass: z.string().min(1).optional(),
  subsystems: z.array(z.string().min(1)).min(1).optional(),
  otherSubsystems: z.array(z.string().min(1)).optional(),
});

const isoDate = z.string().refine((s) => !Number.isNaN(new Date(s).getTime()), 'must be a date (ISO 8601)');

const fault = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('down') }),
  z.object({ kind: z.literal('slow'), delayMs: z.number().int().positive() }),
  z.object({ kind: z.literal('http500') }),
  z.object({ kind: z.literal('soapFault'), message: z.string().optional() }),
  z.object({ kind: z.literal('dhxFault'), faultCode: z.enum(Object.values(DhxFaultCode) as [DhxFaultCode, ...DhxFaultCode[]]), faultString: z.string().optional() }),
  z.object({ kind: z.literal('dropResponse') }),
]);

export const scenarioSchema = z.object({
  instance: z.string().min(1).optional(),
  adapter: member.extend({ url: z.string().url(), intermediary: z.boolean().optional() }).optional(),
  kovs: z.array(member).default([]),
  intermediaries: z
    .array(
      member.extend({
        representees: z.array(
          z.object({ memberCode: z.string().min(1), name: z.string().min(1), system: z.string().min(1).optional(), startDate: isoDate, endDate: isoDate.optional() }),
        ),
      }),
    )
    .default([]),
  faults: z.record(z.string(), fault.and(z.object({ times: z.number().int().positive().optional() }))).default({}),
  /** The fake ADIT behind the simulator (XRoadSim.addAdit): documents from and to people. */
  adit: z.boolean().default(true),
});

export type Scenario = z.output<typeof scenarioSchema>;

/** The default: four KOVs (one on a `DHX.x` subsystem only), one intermediary with a representee. */
export const DEFAULT_SCENARIO: Scenario = {
  kovs: [
    { memberCode: '75000001', name: 'Näidisvalla Vallavalitsus', subsystems: ['DHX'] },
    { memberCode: '75000002', name: 'Testlinna Linnavalitsus', subsystems: ['DHX', 'DHX.dvk'] },
    { memberCode: '75000003', name: 'Proovi Vallavalitsus', subsystems: ['DHX.delta'] },
    { memberCode: '75000004', name: 'Katse Vallavalitsus', subsystems: ['DHX'] },
  ],
  intermediaries: [
    {
      memberCode: '10000001',
      memberClass: 'COM',
      name: 'Näidisvahendaja OÜ',
      representees: [{ memberCode: '75000011', name: 'Väikevalla Vallavalitsus', startDate: '2025-01-01T00:00:00Z' }],
    },
  ],
  faults: {},
  adit: true,
};

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export function parseScenario(json: unknown): Scenario {
  const r = scenarioSchema.safeParse(json);
  if (!r.success) {
    throw new ScenarioError(`scenario is invalid:\n${r.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`);
  }
  return r.data;
}

export function applyScenario(sim: XRoadSim, s: Scenario): void {
  if (s.adapter) sim.addAdapter(s.adapter);
  for (const k of s.kovs) sim.addKov(k);
  for (const i of s.intermediaries) {
    sim.addIntermediary({
      ...i,
      representees: i.representees.map((r) => ({
        memberCode: r.memberCode,
        name: r.name,
        ...(r.system ? { system: r.system } : {}),
        startDate: new Date(r.startDate),
        ...(r.endDate ? { endDate: new Date(r.endDate) } : {}),
      })),
    });
  }
  for (const [code, f] of Object.entries(s.faults)) {
    const { times, ...rest } = f;
    sim.setFault(code, rest as SimFault, times ? { times } : {});
  }
}
