// The whole check of a scenario before anything starts: JSON, shape, limits, every program.
// Errors name their place: `processes[1].program:3:14: unknown channel 'c9'`.

import type { Program } from './lang/ast';
import { check } from './lang/check';
import { parse } from './lang/parser';
import { DEFAULT_LIMITS, checkScenarioShape, type Limits, type PlaceError, type Scenario } from './scenario';

export type Validated =
  | { ok: true; scenario: Scenario; programs: Record<string, Program> }
  | { ok: false; errors: PlaceError[] };

export function validateScenario(input: unknown, limits: Limits = DEFAULT_LIMITS): Validated {
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [{ place: '(file)', message: `not valid JSON: ${(e as Error).message}` }] };
    }
  }
  const { scenario, errors } = checkScenarioShape(input, limits);
  if (!scenario) return { ok: false, errors };
  const programs: Record<string, Program> = {};
  if (errors.length === 0) {
    const ctx = {
      processes: scenario.processes.map((p) => ({ id: p.id, name: p.name })),
      channels: scenario.channels,
      messageBytes: limits.messageBytes,
    };
    scenario.processes.forEach((p, i) => {
      const { program, errors: syntax } = parse(p.program);
      const all = syntax.length ? syntax : check(program, { ...ctx, self: p.id });
      for (const e of all) errors.push({ place: `processes[${i}].program:${e.line}:${e.col}`, message: e.message });
      programs[p.id] = program;
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, scenario, programs };
}
