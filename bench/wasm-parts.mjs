// The wasm by part: bytes of function bodies grouped by crate and module,
// and of data, read from wasm-bindgen's output before wasm-opt (the one
// with a name section). Proportions, not final sizes: wasm-opt shrinks the
// whole by about a tenth. Printed by the bench so the next cut is visible.

import { readFileSync } from 'node:fs';

function reader(bytes) {
  let at = 0;
  const uleb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return result;
    }
  };
  return { uleb, get at() { return at; }, set at(v) { at = v; }, name: () => { const n = uleb(); const s = new TextDecoder().decode(bytes.subarray(at, at + n)); at += n; return s; } };
}

/** `[part, bytes][]`, largest first: code by crate (and module, for this crate), data, the rest. */
export function wasmParts(path) {
  const bytes = readFileSync(path);
  const r = reader(bytes);
  r.at = 8;
  let imported = 0;
  const bodies = [];
  const names = new Map();
  const parts = new Map();
  const add = (part, n) => parts.set(part, (parts.get(part) ?? 0) + n);
  while (r.at < bytes.length) {
    const id = bytes[r.at++];
    const size = r.uleb();
    const end = r.at + size;
    if (id === 2) {
      const count = r.uleb();
      for (let i = 0; i < count; i++) {
        r.name(); r.name();
        const kind = bytes[r.at++];
        if (kind === 0) { imported++; r.uleb(); } else if (kind === 1) { r.at++; const f = r.uleb(); r.uleb(); if (f & 1) r.uleb(); } else if (kind === 2) { const f = r.uleb(); r.uleb(); if (f & 1) r.uleb(); } else { r.at += 2; }
      }
      add('imports (names of JS functions)', size);
    } else if (id === 10) {
      const count = r.uleb();
      for (let i = 0; i < count; i++) { const n = r.uleb(); bodies.push(n); r.at += n; }
    } else if (id === 11) {
      add('data (dictionary, messages, Unicode tables)', size);
    } else if (id === 0) {
      const name = r.name();
      if (name === 'name') {
        while (r.at < end) {
          const sub = bytes[r.at++];
          const subSize = r.uleb();
          const subEnd = r.at + subSize;
          if (sub === 1) {
            const count = r.uleb();
            for (let i = 0; i < count; i++) { const index = r.uleb(); names.set(index, r.name()); }
          }
          r.at = subEnd;
        }
      }
    } else {
      add('other sections', size);
    }
    r.at = end;
  }
  bodies.forEach((n, i) => {
    const name = (names.get(imported + i) ?? '?').replace(/^<+/, '').replace(/\[[0-9a-f]{16}\]/g, '');
    const path = name.match(/^([A-Za-z_][A-Za-z0-9_]*)(?:::([A-Za-z_][A-Za-z0-9_]*))?(?:::([A-Za-z_][A-Za-z0-9_]*))?/);
    let part = path && name.includes('::') ? path[1] : 'wasm-bindgen shims and exports';
    if (part === 'zoom_password' && path[2]) part = `zoom_password::${path[2]}${path[3] ? `::${path[3]}` : ''}`;
    if (['core', 'alloc', 'std', '__rustc', 'compiler_builtins', 'u8', 'u16', 'u32', 'u64', 'usize', 'str', 'char', 'T'].includes(part)) part = 'Rust std (core, alloc, std; with their generics for our types)';
    if (['wasm_bindgen', 'js_sys', 'web_sys', 'wasm_bindgen_futures'].includes(part)) part = 'wasm-bindgen, js-sys, web-sys, futures';
    if (/^(memcpy|memset|memcmp|memmove|fmin|fmax)$/.test(name)) part = 'Rust std (core, alloc, std; with their generics for our types)';
    add(`code: ${part}`, n);
  });
  return [...parts].sort((a, b) => b[1] - a[1]);
}
