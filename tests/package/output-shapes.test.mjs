// Every value the package hands back, made by real calls against the mock,
// has exactly the properties its declaration in the installed node.d.ts
// names: each required one present, nothing undeclared. The shapes are made
// in Rust (serde-wasm-bindgen, the error conversion, the bulk runner) and
// declared by hand in pkg-templates/*.d.ts; a field added, renamed or
// dropped on one side only fails here. The declarations are read with the
// TypeScript compiler's own API, as a user's editor reads them.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DEMO_TOKEN, startZoomMock } from '../../mock/zoom-mock.mjs';
import { installedPackage, loadEntry, root } from '../helpers/consumer.mjs';

const ts = createRequire(join(root, 'package.json'))('typescript');

/** name -> [{ name, optional }] for every exported interface and type alias (a union: its object branches, by index). */
function declaredShapes() {
  const file = join(installedPackage, 'node.d.ts');
  const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file));
  const shapes = new Map();
  const members = (type) => checker.getPropertiesOfType(type).map((property) => ({
    name: property.name,
    optional: (property.flags & ts.SymbolFlags.Optional) !== 0,
  }));
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))) continue;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    if (type.isUnion() && type.types.every((branch) => branch.flags & ts.TypeFlags.Object)) {
      type.types.forEach((branch, index) => shapes.set(`${symbol.name}[${index}]`, members(branch)));
    } else if (type.flags & ts.TypeFlags.Object) {
      shapes.set(symbol.name, members(type));
    }
  }
  return shapes;
}

describe('output shapes match their declarations', () => {
  let api;
  let mock;
  let shapes;
  before(async () => {
    api = await loadEntry('import');
    mock = await startZoomMock();
    shapes = declaredShapes();
  });
  after(() => mock.close());

  /**
   * `value`'s own enumerable properties against `name`'s declared ones.
   * `inherited` names declared members that live elsewhere on the value
   * (an Error's message and stack).
   */
  function assertShape(value, name, inherited = []) {
    const declared = shapes.get(name);
    assert.ok(declared, `node.d.ts declares no ${name}`);
    const own = Object.keys(value);
    const names = new Set(declared.map((member) => member.name));
    const undeclared = own.filter((key) => !names.has(key));
    assert.deepEqual(undeclared, [], `${name}: properties the declaration lacks`);
    const missing = declared
      .filter((member) => !member.optional && !own.includes(member.name) && !(inherited.includes(member.name) && member.name in value))
      .map((member) => member.name);
    assert.deepEqual(missing, [], `${name}: declared properties the value lacks`);
  }

  it('knows the declarations it checks', () => {
    for (const name of ['PasswordReport', 'Check', 'PreparedRequest', 'Outcome[0]', 'Outcome[1]', 'FieldError', 'UpdateResult',
      'ZoomPasswordError', 'BreachResult', 'BulkSummary', 'BulkResult', 'BulkError', 'BulkProgress', 'ProxyEvent']) {
      assert.ok(shapes.has(name), `node.d.ts declares ${name}`);
    }
  });

  it('validatePassword: the report and its checks', () => {
    const report = api.validatePassword('short', { weak_enhance_detection: true });
    assertShape(report, 'PasswordReport');
    assertShape(report.checks[0], 'Check');
    assertShape(report.violations[0], 'Check');
  });

  it('buildRequest: the prepared request', () => {
    const request = api.buildRequest({ userId: 'ada@example.com', password: 'Good-Pass-2024', accessToken: DEMO_TOKEN });
    assertShape(request, 'PreparedRequest');
    assert.deepEqual(Object.keys(request.fields), ['password']);
  });

  it('classifyResponse: both outcomes and a field error', () => {
    const headers = { get: () => null };
    const ok = api.classifyResponse({ status: 204, headers, body: '' });
    assertShape(ok, 'Outcome[0]');
    const failed = api.classifyResponse({
      status: 400, headers,
      body: JSON.stringify({ code: 300, message: 'Validation Failed.', errors: [{ field: 'password', message: 'Too weak.' }] }),
    });
    assertShape(failed, 'Outcome[1]');
    assert.equal(failed.fieldErrors.length, 1);
    assertShape(failed.fieldErrors[0], 'FieldError');
  });

  it('updatePassword: the result, and the error of a refused change', async () => {
    mock.reset({});
    const result = await api.updatePassword({ userId: 'ada@example.com', password: 'Fresh-Shape-Pass-1', accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    assertShape(result, 'UpdateResult');
    for (const attempt of [
      { userId: 'ada@example.com', password: 'short' },
      { userId: 'ada@example.com', password: 'Previous-Pass-6' },
      { userId: 'nobody@example.com', password: 'Fresh-Shape-Pass-2' },
    ]) {
      const error = await api.updatePassword({ ...attempt, accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl }).then(() => null, (e) => e);
      assert.ok(api.isZoomPasswordError(error), `${attempt.password}: ${error}`);
      assertShape(error, 'ZoomPasswordError', ['name', 'message', 'stack', 'cause']);
    }
  });

  it('checkBreachedPassword: the result', async () => {
    const result = await api.checkBreachedPassword('Password123', { rangeUrl: `${mock.origin}/range/` });
    assertShape(result, 'BreachResult');
  });

  it('updatePasswords: the summary, each kind of result, its error and the progress', async () => {
    mock.reset({});
    const client = new api.ZoomPasswordClient({ accessToken: DEMO_TOKEN, baseUrl: mock.baseUrl });
    const progress = [];
    const controller = new AbortController();
    const summary = await client.updatePasswords([
      { userId: 'grace@example.com', password: 'Fresh-Shape-Pass-3' },
      { userId: 'ada@example.com', password: 'short' },
      { userId: 'owner@example.com', password: 'Fresh-Shape-Pass-4' },
    ], {
      concurrency: 1,
      onProgress: (p) => progress.push(p),
      onResult: (_result, index) => { if (index === 1) controller.abort(); },
      stopSignal: controller.signal,
    });
    client.free();
    assertShape(summary, 'BulkSummary');
    const [done, refused, skipped] = summary.results;
    assert.deepEqual([done.ok, refused.ok, skipped.skipped], [true, false, true]);
    for (const result of summary.results) assertShape(result, 'BulkResult');
    assertShape(refused.error, 'BulkError');
    assert.ok(progress.some((p) => p.result), 'a progress report with a result');
    for (const p of progress) assertShape(p, 'BulkProgress');
  });

  it('createPasswordProxy: the audit event', async () => {
    mock.reset({});
    const events = [];
    const handler = api.createPasswordProxy({ accessToken: DEMO_TOKEN, zoomBaseUrl: mock.baseUrl, authorize: () => true, onEvent: (e) => events.push(e) });
    const body = new FormData();
    body.append('password', 'Fresh-Shape-Pass-5');
    const answer = await handler(new Request('http://127.0.0.1/zoom/users/grace%40example.com/password', { method: 'PUT', body }));
    assert.equal(answer.status, 204);
    await handler(new Request('http://127.0.0.1/elsewhere'));
    assert.equal(events.length, 2);
    for (const event of events) assertShape(event, 'ProxyEvent');
  });
});
