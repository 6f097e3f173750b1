// The browser build's API and loader in one module, which both browser
// entries import (browser.js and web.js), so a page that loads both still
// has one wasm instance. `#wasm` is the web glue of the browser module.
export * from './api.js';
export { initSync, default as initAsync, breachCheckMessage } from '#wasm';
