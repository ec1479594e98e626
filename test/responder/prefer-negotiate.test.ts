import t from 'tap';
import { negotiate, parsePrefer, type Preferences } from '../../src/responder/index.js';

t.test('parsePrefer table', async (t) => {
  const table: Array<[string | string[] | undefined, Preferences]> = [
    [undefined, {}],
    ['', {}],
    ['code=404', { code: 404 }],
    ['code=404, example=notFound, dynamic=true', { code: 404, example: 'notFound', dynamic: true }],
    ['code=201; dynamic=true', { code: 201, dynamic: true }],
    ['  CODE = 500 ', { code: 500 }],
    ['code="418"', { code: 418 }],
    ['example="two"', { example: 'two' }],
    ['example=a=b', { example: 'a=b' }],
    ['example=', {}],
    ['dynamic', { dynamic: true }],
    ['dynamic=TRUE', { dynamic: true }],
    ['dynamic=false', { dynamic: false }],
    ['code=abc', {}],
    ['code=40', {}],
    ['code=4040', {}],
    ['return=minimal, respond-async, wait=10', {}],
    [['code=404', 'dynamic=true'], { code: 404, dynamic: true }],
    // a repeated preference counts the first time only (RFC 7240 §2)
    ['code=200, code=404', { code: 200 }],
  ];
  for (const [header, expected] of table) t.same(parsePrefer(header), expected, JSON.stringify(header));
});

t.test('negotiate table', async (t) => {
  const xmlJson = ['application/xml', 'application/json'];
  // [what, offered, Accept, expected]
  const table: Array<[string, string[], string | undefined, string | null]> = [
    ['no Accept: JSON preferred', xmlJson, undefined, 'application/json'],
    ['empty Accept: JSON preferred', xmlJson, '', 'application/json'],
    ['*/*: JSON preferred', xmlJson, '*/*', 'application/json'],
    ['no JSON offered: first offered', ['text/plain', 'image/png'], '*/*', 'text/plain'],
    ['exact match', xmlJson, 'application/xml', 'application/xml'],
    ['case-insensitive', xmlJson, 'Application/XML', 'application/xml'],
    ['highest q wins', xmlJson, 'application/json;q=0.5, application/xml;q=0.9', 'application/xml'],
    ['q with spaces', xmlJson, 'application/json; q=0.2, application/xml ; q=0.3', 'application/xml'],
    ['*/* with low q loses to an explicit type', xmlJson, '*/*;q=0.1, application/xml', 'application/xml'],
    ['type wildcard: spec order breaks ties', xmlJson, 'application/*', 'application/xml'],
    ['nothing acceptable', xmlJson, 'text/html', null],
    ['q=0 refuses a type', xmlJson, 'application/xml;q=0, application/json', 'application/json'],
    ['q=0 on the only offered type refuses it', ['application/json'], 'application/json;q=0', null],
    ['q=0 on everything refuses everything', xmlJson, '*/*;q=0', null],
    ['a specific q=0 beats a wildcard that allows it', ['application/xml', 'text/plain'], 'application/xml;q=0, */*', 'text/plain'],
    ['a specific q=0 on the only offered type, wildcard notwithstanding', ['application/xml'], '*/*, application/xml;q=0', null],
    ['the most specific range decides, not the highest q among matches', ['application/xml', 'text/plain'], 'application/*;q=0.1, */*', 'text/plain'],
    ['offered type with parameters', ['application/json; charset=utf-8'], 'application/json', 'application/json; charset=utf-8'],
    ['accept with parameters', ['text/plain'], 'text/plain; charset=utf-8', 'text/plain'],
    ['problem+json is not application/json', ['application/problem+json'], 'application/json', null],
    ['problem+json by name', ['application/problem+json'], 'application/problem+json', 'application/problem+json'],
    ['vendor JSON preferred under */*', ['text/plain', 'application/vnd.github+json'], '*/*', 'application/vnd.github+json'],
    ['nothing offered', [], '*/*', null],
  ];
  for (const [what, offered, accept, expected] of table) t.equal(negotiate(offered, accept), expected, what);
});
