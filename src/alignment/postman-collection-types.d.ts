// postman-collection ships its type definitions in types/ without pointing
// package.json at them; this makes TypeScript read those (current) ones.
/// <reference path="../../node_modules/postman-collection/types/index.d.ts" />
