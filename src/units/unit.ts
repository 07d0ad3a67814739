import type { EventCounters } from '../core/events.ts';
import type { Format } from '../core/format.ts';

/** What every unit declares, Amaranth-style: its ports and their formats. Widths never change implicitly. */
export interface UnitPorts {
  readonly inputs: Readonly<Record<string, Format>>;
  readonly output: Format;
}

export interface Unit {
  readonly kind: 'mac' | 'shift' | 'activation' | 'mul' | 'update' | 'softmax';
  readonly name: string;
  readonly ports: UnitPorts;
  readonly counters: EventCounters;
}
