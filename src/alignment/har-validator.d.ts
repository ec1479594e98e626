/** The part of har-validator (CommonJS, no bundled types) mockdeck uses. */
declare module 'har-validator' {
  export interface HarSchemaError {
    keyword: string;
    /** ajv 6 property path, e.g. `.log.entries[3].response.content`. */
    dataPath: string;
    message?: string;
    params: Record<string, unknown>;
  }
  export interface HARError extends Error {
    errors: HarSchemaError[];
  }
  /** Resolves with the data when it is a valid HAR 1.2 document; rejects with HARError otherwise. */
  export function har(data: unknown): Promise<unknown>;
}
