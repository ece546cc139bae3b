/**
 * The chapter's errors. Each says what went wrong and where, in fields and in its message.
 * Given code.
 * @module
 */

/** An input file holds something that is not a record: a line that is not JSON, bad UTF-8. */
export class MalformedInputError extends Error {
  override readonly name = 'MalformedInputError';
  /** The input file. */
  readonly file: string;
  /** Byte offset of the start of the bad line. */
  readonly offset: number;

  constructor(file: string, offset: number, detail: string) {
    super(`malformed input in ${file} at byte offset ${offset}: ${detail}`);
    this.file = file;
    this.offset = offset;
  }
}

/** A job's map function threw. Retrying would throw again, so the job fails at once. */
export class MapperError extends Error {
  override readonly name = 'MapperError';
  /** The split being mapped, as `file[start, end)`. */
  readonly split: string;
  /** The input file. */
  readonly file: string;
  /** Byte offset of the record (its line) that the mapper threw on. */
  readonly offset: number;

  constructor(file: string, start: number, end: number, offset: number, cause: string) {
    const split = `${file}[${start}, ${end})`;
    super(`the map function threw on split ${split}, record at byte offset ${offset}: ${cause}`);
    this.split = split;
    this.file = file;
    this.offset = offset;
  }
}

/** A job's reduce (or combine) function threw on one key. */
export class ReducerError extends Error {
  override readonly name = 'ReducerError';
  readonly partition: number;
  readonly key: string;

  constructor(partition: number, key: string, cause: string) {
    super(`the reduce function threw on key ${JSON.stringify(key)} of partition ${partition}: ${cause}`);
    this.partition = partition;
    this.key = key;
  }
}

/** A task failed (its worker died or timed out) on every attempt it was allowed. */
export class TaskFailedError extends Error {
  override readonly name = 'TaskFailedError';
  readonly taskId: string;
  readonly attempts: number;

  constructor(taskId: string, attempts: number) {
    super(`task ${taskId} failed on all ${attempts} attempts; the job is abandoned`);
    this.taskId = taskId;
    this.attempts = attempts;
  }
}

/** Why a worker stopped without finishing its task (a crash, an exit): the task is retried. */
export class WorkerDiedError extends Error {
  override readonly name = 'WorkerDiedError';
}

/** Rebuilds an error sent across a thread boundary as its own class, when it is one of ours. */
export function errorFromWire(wire: { readonly name: string; readonly message: string; readonly fields: Readonly<Record<string, unknown>> }): Error {
  const f = wire.fields;
  const str = (k: string): string => String(f[k] ?? '');
  const num = (k: string): number => Number(f[k] ?? -1);
  switch (wire.name) {
    case 'MalformedInputError': {
      const error = new MalformedInputError(str('file'), num('offset'), '');
      error.message = wire.message;
      return error;
    }
    case 'MapperError': {
      const error = new MapperError(str('file'), 0, 0, num('offset'), '');
      error.message = wire.message;
      (error as { split: string }).split = str('split');
      return error;
    }
    case 'ReducerError': {
      const error = new ReducerError(num('partition'), str('key'), '');
      error.message = wire.message;
      return error;
    }
    default: {
      const error = new Error(wire.message);
      error.name = wire.name;
      return error;
    }
  }
}

/** The fields of an error, for sending it to another thread. */
export function errorToWire(error: unknown): { name: string; message: string; fields: Record<string, unknown> } {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(error)) if (typeof v === 'string' || typeof v === 'number') fields[k] = v;
  return { name: error.name, message: error.message, fields };
}

/** A user function of a dataflow operator threw, or handed a shuffle a record without a key. */
export class OperatorError extends Error {
  override readonly name = 'OperatorError';
  /** The operator: `map`, `filter`, `flatMap`, `groupByKey`, `reduceByKey` or `join`. */
  readonly operator: string;
  /** The dataset the operator makes, as `operator#id`. */
  readonly dataset: string;
  /** The stage whose task was running. */
  readonly stage: string;
  /** The partition that task was computing. */
  readonly partition: number;

  constructor(operator: string, dataset: string, stage: string, partition: number, cause: string) {
    super(`${operator} (${dataset}) failed in stage "${stage}", partition ${partition}: ${cause}`);
    this.operator = operator;
    this.dataset = dataset;
    this.stage = stage;
    this.partition = partition;
  }
}
