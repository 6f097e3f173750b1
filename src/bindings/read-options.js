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
// Fills `values` (a fresh array from Rust) and answers one number, so
// that Rust reads the answer without a crossing per part: bit i says the
// i-th name has a value (not undefined), bit 26 + i that it is given (not
// null either: what `OptionBag::present` asks, which took two crossings per
// option), and 2 ** 52 that an own key is none of the names; that key is
// then values[names.length]. Unpacking [values, mask, unknownKey] and the
// undefined and null checks were 17 of an updatePassword call's 49
// crossings (counted by wrapping the glue's imports). A negative answer, -(i + 1), says the read of name i threw (a
// getter, a Proxy trap) or its prototype chain ran past 32; -(names.length
// + 1) that listing the keys or the prototype threw. At most 26 names (a
// call shape has 15 at most); more throw, which Rust reports.

/** For each names array (one per call shape, made once in Rust): name -> index. */
const indexes = new WeakMap();

export function readOptions(object, names, values) {
  if (names.length > 26) throw new RangeError('at most 26 option names');
  let indexOf = indexes.get(names);
  if (indexOf === undefined) {
    indexOf = new Map(names.map((name, i) => [name, i]));
    indexes.set(names, indexOf);
  }
  let present = 0;
  let unknown;
  let keys;
  let prototype;
  try {
    keys = Reflect.ownKeys(object);
    prototype = Object.getPrototypeOf(object);
  } catch {
    return -(names.length + 1);
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
      return -(i + 1);
    }
    values[i] = value;
    present += mark(value, i);
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
        return -(i + 1);
      }
      values[i] = value;
      present += mark(value, i);
    }
  }
  if (unknown === undefined) return present;
  values[names.length] = unknown;
  return present + 2 ** 52;
}

/**
 * The answer's bits for the i-th name's value: there (bit i), and given (bit
 * 26 + i). By a shift and one multiplication (2 ** i + 2 ** (26 + i) is
 * (1 << i) * (2 ** 26 + 1), exact below 2 ** 53; i < 26): `**` took 0.5 us
 * of an updatePassword call's 14 under the profiler (bench/profile.mjs).
 */
function mark(value, i) {
  if (value === undefined) return 0;
  return value === null ? 1 << i : (1 << i) * 67108865;
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
