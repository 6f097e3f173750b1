// The same package through `require` (a .cts file, moduleResolution node16).
import zoomPassword = require('zoom-password');

const report: zoomPassword.PasswordReport = zoomPassword.validatePassword('Zx9kq2Lm');
const valid: boolean = report.valid;
void zoomPassword.init();
// @ts-expect-error init takes at most one argument
void zoomPassword.init(1, 2);

export = { valid };
