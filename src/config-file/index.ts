export { loadConfigFile, type LoadOptions } from './load-config-file.js';
export { parseConfigText, type ParsedConfig, type Locate } from './parse-config.js';
export { validateConfig } from './validate-config.js';
export { resolveConfig, type DeckPlan, type PlannedMock, type ResolveContext } from './resolve-config.js';
export { applyPrecedence, type ConfigFlags, type EffectiveSettings, type Sourced } from './precedence.js';
export { configErrors, type ConfigErrorFactory } from './config-error.js';
export { CONFIG_SCHEMA, LOG_LEVELS, type ConfigFile, type FileMock, type LogLevel } from './config-schema.js';
export { keyPath, didYouMean } from './key-path.js';
