// A browser project (DOM lib, moduleResolution bundler): the default entry
// and zoom-password/web, whose init() takes a URL, a Response or bytes.
import { validatePassword, ZoomPasswordClient } from 'zoom-password';
// @ts-expect-error the token provider is in the full build only (Node, Deno, Bun, workerd)
import { serverToServerTokenProvider } from 'zoom-password';
// @ts-expect-error so are the bulk types
import type { BulkSummary } from 'zoom-password/web';
import initWeb, { updatePassword, type InitInput } from 'zoom-password/web';

const input: InitInput = new URL('/zoom_password_bg.wasm', location.href);
await initWeb(input);
await initWeb(fetch('/zoom_password_bg.wasm'));
const valid: boolean = validatePassword('Zx9kq2Lm').valid;
const pending: Promise<{ userId: string; attempts: number; alreadySet: boolean }> = updatePassword({
  userId: 'me', password: 'Zx9kq2Lm!', accessToken: 't', baseUrl: '/zoom/v2',
});

const client = new ZoomPasswordClient({ accessToken: 't', baseUrl: '/zoom/v2' });
void client.fetchPasswordPolicy('me');
// @ts-expect-error client.updatePasswords is in the full build only
void client.updatePasswords([]);

export type { BulkSummary };
export { valid, pending, serverToServerTokenProvider };
