export { createForwarder, type RecordingForwarder } from './forwarder.js';
export { buildInteraction, type RawExchange, type BuildContext } from './build-interaction.js';
export { RecordingStats } from './recording-stats.js';
export { upstreamError } from './upstream-error.js';
