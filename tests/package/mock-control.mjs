// The local mock's control API (/__mock/...) over fetch, for the shared
// suites that run in Node and in Chromium alike.

export function mockControl(mockOrigin) {
  const control = async (path, body) => {
    const response = await fetch(`${mockOrigin}/__mock/${path}`, body === undefined
      ? {}
      : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return response.json();
  };
  const passwordRequests = async () => (await control('requests')).filter((r) => r.kind === 'password');
  return { control, passwordRequests };
}
