/**
 * The scheduling framework's Status (pkg/scheduler/framework/interface.go):
 * a code, the reasons a learner reads in `0/3 nodes are available: …`, and
 * the plugin that decided.
 */

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export class Status {
  readonly code: Code;
  readonly reasons: string[];
  plugin?: string;

  constructor(code: Code, reasons: string[] = [], plugin?: string) {
    this.code = code;
    this.reasons = reasons;
    this.plugin = plugin;
  }

  static success(): Status {
    return SUCCESS;
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }

  /** Skip: from PreFilter or PreScore, this plugin has nothing to do for the pod this cycle. */
  static skip(): Status {
    return SKIP;
  }

  static error(message: string): Status {
    return new Status('Error', [message]);
  }

  static wait(): Status {
    return new Status('Wait');
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  /** Unschedulable or UnschedulableAndUnresolvable: the pod does not fit (not an error). */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }

  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(plugin: string): Status {
    if (this === SUCCESS || this === SKIP) return this;
    this.plugin ??= plugin;
    return this;
  }
}

const SUCCESS = new Status('Success');
const SKIP = new Status('Skip');

/** Data plugins keep for one scheduling cycle of one pod (framework.CycleState). */
export class CycleState {
  readonly #data = new Map<string, unknown>();

  write(key: string, value: unknown): void {
    this.#data.set(key, value);
  }

  read<T>(key: string): T | undefined {
    return this.#data.get(key) as T | undefined;
  }
}
