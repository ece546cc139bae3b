/**
 * The chapter's error classes. Given code, identical in `chapters/` and `solutions/`. Decoding
 * errors use `DecodeError` from `shared/errors.ts`, which carries the byte offset.
 * @module
 */

/** A schema description is malformed (duplicate tag, unknown type name, bad default, …). */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  /** Where in the schema: a dotted path such as `User.interests`. */
  readonly path: string;

  constructor(path: string, detail: string) {
    super(`invalid schema at ${path}: ${detail}`);
    this.path = path;
  }
}

/**
 * Data written with one Avro schema cannot be read with another. Thrown when a resolver is
 * built (the schemas can never agree) or while reading (this datum takes a branch, or carries a
 * symbol, that the reader has no place for).
 */
export class ResolutionError extends Error {
  override readonly name = 'ResolutionError';
  /** Where in the schemas, e.g. `User.favoriteNumber`. */
  readonly path: string;
  /** Why, in words. */
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`cannot resolve the writer's schema against the reader's at ${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** A schema registry refused a new schema version: it breaks the subject's compatibility mode. */
export class IncompatibleSchemaError extends Error {
  override readonly name = 'IncompatibleSchemaError';
  readonly subject: string;
  /** One line per problem: version, direction, kind, path and reason. */
  readonly explanation: string;

  constructor(subject: string, mode: string, explanation: string) {
    super(`schema for subject "${subject}" is incompatible under ${mode}:\n${explanation}`);
    this.subject = subject;
    this.explanation = explanation;
  }
}

/** No schema is registered under this id, or this subject and version. */
export class UnknownSchemaError extends Error {
  override readonly name = 'UnknownSchemaError';

  constructor(what: string) {
    super(`no schema is registered for ${what}`);
  }
}

/** A value does not fit its schema (a string where an int belongs, a missing record field, …). */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
  /** Where in the value, e.g. `User.interests[2]`. */
  readonly path: string;
  /** What is wrong with it. */
  readonly detail: string;

  constructor(path: string, detail: string) {
    super(`cannot encode the value at ${path || '(top)'}: ${detail}`);
    this.path = path;
    this.detail = detail;
  }
}
