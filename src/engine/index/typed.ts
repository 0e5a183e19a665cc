type Growable = Uint8Array | Uint32Array | Int32Array;

/**
 * A new typed array of the same kind with `size` elements: the first `length` (default all) copied from
 * `a`, the rest set to `fill` (default 0). The one way the index's growing arrays grow.
 */
export function resized<T extends Growable>(a: T, size: number, length = a.length, fill = 0): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a.subarray(0, length));
  if (fill !== 0) next.fill(fill, length);
  return next;
}

/** The first `length` elements of `a`: a view when little of it would go unused, else a compact copy. */
export function trimmed<T extends Growable>(a: T, length: number): T {
  return (length >= a.length * 0.9 ? a.subarray(0, length) : a.slice(0, length)) as T;
}
