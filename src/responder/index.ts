export { replyFromSpec, chooseResponse, type Reply, type SpecReplyInput, type SpecReplyDeps } from './spec-reply.js';
export { parsePrefer, type Preferences } from './prefer.js';
export { negotiate } from './negotiate.js';
export { GenerationCache, generateValue, seedFrom } from './generate-body.js';
export { replyFromInteraction } from './replay-interaction.js';
