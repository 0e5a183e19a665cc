type Growable = Uint8Array | Uint32Array | Int32Array;
export type Constructor<T> = {
  new (size: number): T;
  new (buffer: ArrayBufferLike, offset: number, length: number): T;
};

/**
 * For each buffer that {@link appended} made or wrote into, where (in bytes) the longest view it handed
 * out over it ends. Indexes share these buffers: an extension writes its values past the end of the
 * extended index's view, where no reader of that index looks (each reads its arrays up to their own
 * lengths), and hands out a longer view of the same buffer. Only an array whose view ends where the
 * claim ends may be written past; any other (an index in service extended a second time, whose first
 * extension already wrote there) is copied instead, so two extensions never write over each other.
 */
const claims = new WeakMap<ArrayBufferLike, number>();

/**
 * A new typed array of the same kind with `size` elements: the first `length` (default all) copied from
 * `a`, the rest set to `fill` (default 0). The one way the index's growing arrays grow.
 */
export function resized<T extends Growable>(a: T, size: number, length = a.length, fill = 0): T {
  const next = new (a.constructor as Constructor<T>)(size);
  next.set(a.subarray(0, length));
  if (fill !== 0) next.fill(fill, length);
  return next;
}

/**
 * The first `length` elements of `a`, which is not to be written again: a view when little of it would go
 * unused (the rest is then room for {@link appended} to grow it into), else a compact copy.
 */
export function trimmed<T extends Growable>(a: T, length: number): T {
  if (length < a.length * 0.9) return a.slice(0, length) as T;
  claims.set(a.buffer, a.byteOffset + length * a.BYTES_PER_ELEMENT);
  return a.subarray(0, length) as T;
}

/**
 * Capacity for `length` elements when an array must be copied to grow: an eighth to spare, so that a
 * copy comes once per eighth of growth (at 100k articles, once in some 600 feed polls of 20 articles),
 * as with a vector's geometric growth, for an eighth of memory rather than a vector's half.
 */
function roomFor(length: number): number {
  return length + Math.ceil(length / 8) + 1024;
}

/**
 * `base` followed by `added` (each plus `shift`), written into the spare capacity after `base` when it is
 * the longest view of its buffer, else into a copy with room to spare. `base`'s own elements are never
 * changed: whoever reads `base` reads the same values after as before.
 */
export function appended<T extends Growable>(base: T, added: ArrayLike<number>, shift = 0): T {
  const length = base.length + added.length;
  const end = base.byteOffset + base.byteLength;
  const Ctor = base.constructor as Constructor<T>;
  let out: T;
  if (
    claims.get(base.buffer) === end &&
    end + added.length * base.BYTES_PER_ELEMENT <= base.buffer.byteLength
  ) {
    out = new Ctor(base.buffer, base.byteOffset, length);
  } else {
    out = new Ctor(new Ctor(roomFor(length)).buffer, 0, length);
    out.set(base);
  }
  if (shift === 0) out.set(added, base.length);
  else for (let i = 0; i < added.length; i++) out[base.length + i] = added[i]! + shift;
  claims.set(out.buffer, out.byteOffset + out.byteLength);
  return out;
}

/** A new array of `length` zeros with room to grow, that {@link appended} then grows without copying. */
export function withRoom<T extends Growable>(kind: Constructor<T>, length: number): T {
  const out = new kind(new kind(roomFor(length)).buffer, 0, length);
  claims.set(out.buffer, out.byteLength);
  return out;
}
