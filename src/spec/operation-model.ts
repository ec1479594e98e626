import type { JsonSchema, SpecVersion } from './schema-bundle.js';

/** The one operation model every spec version is normalized into. */

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = Uppercase<(typeof HTTP_METHODS)[number]>;

/** What the index holds for every operation at start: cheap, nothing dereferenced. */
export interface Operation {
  /** operationId, or `<METHOD> <path>` when the spec gives none. */
  id: string;
  method: HttpMethod;
  /** Path template as written in the spec, without the server base path. */
  path: string;
  /** JSON pointer of the operation object in the spec, e.g. `/paths/~1pets/get`. */
  pointer: string;
  tags: string[];
  summary: string | undefined;
  /** True when the spec gave no operationId. */
  synthesizedId: boolean;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ParameterModel {
  name: string;
  in: ParameterLocation;
  required: boolean;
  schema: JsonSchema;
  style: string | undefined;
  explode: boolean | undefined;
}

export interface MediaModel {
  schema: JsonSchema | null;
  /** Named examples in spec order; a lone `example` is named `default`. */
  examples: Array<{ name: string; value: unknown }>;
}

export interface RequestBodyModel {
  required: boolean;
  content: Record<string, MediaModel>;
}

export interface ResponseModel {
  /** '200', '2XX' or 'default', as in the spec. */
  status: string;
  description: string;
  headers: Record<string, { required: boolean; schema: JsonSchema }>;
  content: Record<string, MediaModel>;
}

export type SecuritySchemeModel =
  | { kind: 'apiKey'; name: string; in: 'header' | 'query' | 'cookie'; paramName: string }
  | { kind: 'http'; name: string; scheme: string }
  | { kind: 'oauth2' | 'openIdConnect' | 'mutualTLS'; name: string };

/** Alternatives (any one suffices), each a set of schemes that must all be present. */
export type SecurityRequirements = SecuritySchemeModel[][];

export interface ResolvedOperation extends Operation {
  parameters: ParameterModel[];
  requestBody: RequestBodyModel | null;
  responses: ResponseModel[];
  security: SecurityRequirements;
}

export interface SpecInfo {
  file: string;
  sha256: string;
  version: SpecVersion;
  title: string;
  apiVersion: string;
}
