// Every mechanism, by id. Adding one is a new module and a line here; nothing else switches on it.

import type { MechanismId } from '../../lib/mechanisms';
import { pipe } from './pipe';
import type { Mechanism } from './types';

export const registry: Record<MechanismId, Mechanism<any>> = {
  pipe,
} as Record<MechanismId, Mechanism<any>>;
