import { createHash } from 'node:crypto';

/** File holding the cassette's meta. */
export const META_FILE = 'cassette.json';
/** File holding interactions that match no operation of the spec. */
export const UNMATCHED_FILE = '_unmatched.json';

const MAX_STEM = 80;
const HASH_LENGTH = 10;
/** A plain name never ends like a hashed one, so the two kinds cannot collide. */
const HASHED_TAIL = new RegExp(`-[0-9a-f]{${HASH_LENGTH}}$`);
const RESERVED = new Set(['cassette', '_unmatched']);
// Names Windows refuses as files whatever the extension.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * The file an operation's interactions live in. Stable (a pure function of the
 * id) and safe on every common file system: characters outside
 * `[A-Za-z0-9._-]` become `_`; when that changed anything, or the name is
 * reserved, hidden, too long or looks like a hashed name, a short hash of the
 * original id is appended, so two different ids never share a file.
 * `null` (no operation matched) maps to `_unmatched.json`.
 *
 * Ids that differ only in letter case ("getPet", "GetPet") get different names
 * here, which share one file on case-insensitive file systems; the store refuses
 * to write such a pair rather than mix them.
 *
 * @example
 * fileNameForOperation('getPetById')   // 'getPetById.json'
 * fileNameForOperation('GET /pets/{id}') // 'GET__pets__id_-895c8d92ee.json'
 * fileNameForOperation(null)           // '_unmatched.json'
 */
export function fileNameForOperation(operationId: string | null): string {
  if (operationId === null) return UNMATCHED_FILE;
  const sanitized = operationId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_').replace(/\.$/, '_');
  if (sanitized === operationId && !needsHash(sanitized)) return `${sanitized}.json`;
  const stem = sanitized.slice(0, MAX_STEM - HASH_LENGTH - 1) || 'op';
  return `${stem}-${shortHash(operationId)}.json`;
}

function needsHash(name: string): boolean {
  return (
    name.length === 0 ||
    name.length > MAX_STEM ||
    RESERVED.has(name.toLowerCase()) ||
    WINDOWS_DEVICE.test(name) ||
    HASHED_TAIL.test(name)
  );
}

const shortHash = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex').slice(0, HASH_LENGTH);

/** Marks a part file; never produced by fileNameForOperation, which maps `~` to `_`. */
const PART_MARK = '~';
// Part numbers from 2 up: part 1 is the plain name.
const PART_NAME = /^(.*)~([2-9]|[1-9][0-9]+)\.json$/;

/**
 * The file of part `part` of an operation file: part 1 is the file itself,
 * later parts (written when a file outgrows the store's part size) carry
 * `~<n>` before `.json`, so they sort and review beside the first one.
 *
 * @example
 * partFileName('getPetById.json', 1) // 'getPetById.json'
 * partFileName('getPetById.json', 3) // 'getPetById~3.json'
 */
export function partFileName(fileName: string, part: number): string {
  return part === 1 ? fileName : `${fileName.slice(0, -'.json'.length)}${PART_MARK}${part}.json`;
}

/**
 * The first part's file name and the part number of a file name.
 *
 * @example
 * partOf('getPetById~3.json') // { base: 'getPetById.json', part: 3 }
 * partOf('getPetById.json')   // { base: 'getPetById.json', part: 1 }
 */
export function partOf(fileName: string): { base: string; part: number } {
  const m = PART_NAME.exec(fileName);
  return m ? { base: `${m[1]}.json`, part: Number(m[2]) } : { base: fileName, part: 1 };
}
