// Reading an option object in one crossing of the wasm boundary (see
// options.rs): the values of `names`, by the rule options.rs states (own
// or from the object's class, never from Object.prototype), whether each
// is there, and the first own string key that is none of them. Reading
// them from Rust took two to four crossings per name (options.rs has the
// figures).
//
// Returns [values, presentMask, unknownKey], or the index of the name whose
// read threw (a getter, a Proxy trap) or whose prototype chain ran past 32.
export function readOptions(object, names) {
  const values = new Array(names.length);
  let present = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    let value;
    try {
      value = object[name];
      if (value !== undefined && !Object.hasOwn(object, name) && !fromClass(object, name)) value = undefined;
    } catch {
      return i;
    }
    values[i] = value;
    if (value !== undefined) present += 2 ** i;
  }
  let unknown;
  try {
    unknown = Reflect.ownKeys(object).find((key) => typeof key === 'string' && !names.includes(key));
  } catch {
    return names.length;
  }
  return [values, present, unknown];
}

/** `name` comes from a prototype other than Object.prototype (a Proxy can fake an endless chain). */
function fromClass(object, name) {
  let holder = object;
  for (let depth = 0; depth < 32; depth++) {
    holder = Object.getPrototypeOf(holder);
    if (holder === null || holder === Object.prototype) return false;
    if (Object.hasOwn(holder, name)) return true;
  }
  throw new RangeError('prototype chain too deep');
}
