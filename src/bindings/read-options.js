// Reading an option object in one crossing of the wasm boundary (see
// options.rs): the values of `names`, by the rule options.rs states (own
// or from the object's class, never from Object.prototype), whether each
// is there, and the first own string key that is none of them. Reading
// them from Rust took two to four crossings per name (options.rs has the
// figures).
//
// It walks the object's own keys, not the names: a call knows a dozen
// names and is given three or four. Reading every name and asking hasOwn
// of each was 2.5 us of an updatePassword call's 48 under load (5,000
// calls at concurrency 32 against the mock, --cpu-prof).
//
// Returns [values, presentMask, unknownKey], or the index of the name whose
// read threw (a getter, a Proxy trap) or whose prototype chain ran past 32
// (`names.length` when listing the keys or the prototype threw).

/** For each names array (one per call shape, made once in Rust): name -> index. */
const indexes = new WeakMap();

export function readOptions(object, names) {
  let indexOf = indexes.get(names);
  if (indexOf === undefined) {
    indexOf = new Map(names.map((name, i) => [name, i]));
    indexes.set(names, indexOf);
  }
  const values = new Array(names.length);
  let present = 0;
  let unknown;
  let keys;
  let prototype;
  try {
    keys = Reflect.ownKeys(object);
    prototype = Object.getPrototypeOf(object);
  } catch {
    return names.length;
  }
  for (const key of keys) {
    if (typeof key !== 'string') continue;
    const i = indexOf.get(key);
    if (i === undefined) {
      unknown ??= key;
      continue;
    }
    let value;
    try {
      value = object[key];
    } catch {
      return i;
    }
    values[i] = value;
    if (value !== undefined) present += 2 ** i;
  }
  // An instance of a class may have options as accessors of its class.
  if (prototype !== null && prototype !== Object.prototype) {
    for (let i = 0; i < names.length; i++) {
      if (values[i] !== undefined || keys.includes(names[i])) continue;
      let value;
      try {
        value = object[names[i]];
        if (value !== undefined && !fromClass(object, names[i])) value = undefined;
      } catch {
        return i;
      }
      values[i] = value;
      if (value !== undefined) present += 2 ** i;
    }
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
