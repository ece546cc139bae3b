/**
 * The checkers, in one import:
 *
 * ```ts
 * import { assertLinearizable, History, kvModel } from '../../shared/checkers/index.js';
 * ```
 * @module
 */

export { History, type Operation, type OpStatus } from './history.js';
export { parseKvHistory } from './kv-history.js';
export {
  assertLinearizable,
  checkLinearizability,
  LinearizabilityError,
  type CheckOptions,
  type LinearizabilityResult,
} from './linearizability.js';
export { kvModel, type KvInput, type KvOutput, type KvState, type Model } from './model.js';
