/**
 * mockdeck's public API.
 *
 * @example
 * import { createMock } from 'mockdeck';
 * const mock = await createMock({ spec: 'specs/petstore.yaml', port: 0 });
 * const url = await mock.listen();
 */
export { createMock, type Mock } from './server/create-mock.js';
export { resolveMockConfig, type MockInput, type MockConfig, type OnMiss, type RecordMode, type Latency, type AccessPolicy } from './config.js';
export { ERRORS, MockdeckError, isMockdeckError, toProblem, type ErrorCode, type ProblemDetails } from './errors.js';
export { loadSpec, type Spec } from './spec/index.js';
export { requestKey, type KeyParts, type MatchRules } from './matcher/index.js';
export type * from './types.js';
